"""Nothing a page starts is left running: after the page, after the build, after the build is
killed (SIGKILL) or interrupted (Ctrl-C on ``mkdocs serve``). Process pools work in fences.

These start real ``mkdocs`` processes whose fences start real ``sleep`` processes, and look
the pids up afterwards. On the portable process path (macOS; forced on Linux with
``_MKDOCS_INFOTHEORY_PORTABLE_PROCESSES=1``) the two that start a session of their own are
documented to escape: there they must still be running, and are killed by the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from mkdocs_infotheory.core.platform import process_path
from mkdocs_infotheory.core.process_tree import _libc_prctl
from tests.sites import Site, build_environment, free_port, served

#: The path the builds these tests start take here (the same system, the same environment).
PORTABLE = process_path(_libc_prctl() is not None, os.getpid()) == "portable"

#: A fence that starts three `sleep 300`: a plain child, one in its own session (setsid) and
#: an orphaned grandchild (double fork + setsid); it writes their pids to PIDS. The two in a
#: session of their own let go of the build's output, as daemons do.
SPAWNING_FENCE = """
```python exec="on"
import os, subprocess
pids = [subprocess.Popen(["sleep", "300"]).pid]
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
pids.append(subprocess.Popen(["sleep", "300"], start_new_session=True, **quiet).pid)
read_end, write_end = os.pipe()
child = os.fork()
if child == 0:
    grandchild = os.fork()
    if grandchild == 0:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.execvp("sleep", ["sleep", "300"])
    os.write(write_end, str(grandchild).encode())
    os._exit(0)
os.waitpid(child, 0)
pids.append(int(os.read(read_end, 32)))
pids += [os.getpid(), os.getppid()]
with open({pids!r}, "w") as stream:
    stream.write(" ".join(map(str, pids)))
print("started", len(pids) - 2)
{tail}
```
"""


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped counts as gone)."""
    if not os.path.isdir("/proc/self"):  # macOS
        state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True)
        return state.returncode == 0 and not state.stdout.strip().startswith(b"Z")
    try:
        with open(f"/proc/{pid}/stat") as stream:
            state = stream.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def assert_gone(pids: list[int], seconds: float, what: str) -> None:
    """Every process in ``pids`` (as SPAWNING_FENCE wrote them) ends within ``seconds``, but
    on the portable path the two in a session of their own, which must still run."""
    survivors = wait_gone(pids, seconds)
    escaped = pids[1:3] if PORTABLE else []
    assert survivors == escaped, what
    for pid in escaped:
        os.kill(pid, signal.SIGKILL)


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    alive = [pid for pid in pids if running(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in alive if running(pid)]
    return alive


def read_pids(path: Path, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            pids = [int(p) for p in path.read_text().split()]
            if len(pids) == 5:
                return pids
        time.sleep(0.1)
    pytest.fail(f"the fence never wrote its pids to {path}")


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    """Pids to SIGKILL after the test whatever happened, so a failing test leaves nothing."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def start_mkdocs(site: Site, *args: str, log: Path) -> subprocess.Popen[bytes]:
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(site.config))
    with log.open("w") as stream:
        return subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *args],
            cwd=site.root,
            stdout=subprocess.PIPE,
            stderr=stream,
            env=build_environment(),
        )


def test_nothing_a_page_started_outlives_the_build(
    make_site: Callable[..., Site], tmp_path: Path, leftovers: list[int]
) -> None:
    site = make_site()
    pid_file = tmp_path / "pids"
    site.write("index.md", "# Spawns\n" + SPAWNING_FENCE.format(pids=str(pid_file), tail=""))
    build = start_mkdocs(site, "build", log=tmp_path / "build.log")
    try:
        # The build's stdout is a pipe: a leftover holding it would keep this from ending.
        build.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        build.kill()
        leftovers.extend(read_pids(pid_file, 1))
        pytest.fail("the build's output stayed open: a fence's process outlived the build")
    pids = read_pids(pid_file, 1)
    leftovers.extend(pids)
    assert build.returncode == 0, (tmp_path / "build.log").read_text()
    assert "started 3" in (site.root / "site" / "index.html").read_text()
    assert_gone(pids, 5, "page process, server or a sleep child survived the build")


def test_killing_the_build_mid_fence_stops_every_process(
    make_site: Callable[..., Site], tmp_path: Path, leftovers: list[int]
) -> None:
    site = make_site()
    pid_file = tmp_path / "pids"
    spin = "while True:\n    pass"
    site.write("index.md", "# Spins\n" + SPAWNING_FENCE.format(pids=str(pid_file), tail=spin))
    build = start_mkdocs(site, "build", log=tmp_path / "build.log")
    try:
        pids = read_pids(pid_file)
        leftovers.extend(pids)
        build.send_signal(signal.SIGKILL)
        build.wait(10)
        # The three sleeps, the spinning page process and the fork server.
        assert_gone(pids, 5, "processes survived `kill -9` of mkdocs")
    finally:
        build.kill()
        build.wait(10)


@pytest.mark.parametrize("command", ["serve", "build"])
def test_ctrl_c_stops_mkdocs_during_a_long_fence(
    make_site: Callable[..., Site], tmp_path: Path, leftovers: list[int], command: str
) -> None:
    site = make_site()
    pid_file = tmp_path / "pids"
    tail = "import time\ntime.sleep(600)"
    text = SPAWNING_FENCE.format(pids=str(pid_file), tail=tail)
    site.write("index.md", "# Long\n" + text.replace('exec="on"', 'exec="on" timeout="900"', 1))
    address = ["-a", f"127.0.0.1:{free_port()}"] if command == "serve" else []
    serve = start_mkdocs(site, command, *address, log=tmp_path / "mkdocs.log")
    try:
        pids = read_pids(pid_file)
        leftovers.extend(pids)
        interrupted = time.monotonic()
        serve.send_signal(signal.SIGINT)
        try:
            serve.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"mkdocs {command} did not stop within 30 s of Ctrl-C")
        assert time.monotonic() - interrupted < 10
        assert_gone(pids, 5, "processes survived Ctrl-C")
    finally:
        serve.kill()
        serve.wait(10)


POOLS = """
# Pools

```python exec="on"
from multiprocessing import Pool

def square(x):
    return x * x

with Pool(2) as pool:
    print("pool", pool.map(square, range(5)))
```

```python exec="on"
from concurrent.futures import ProcessPoolExecutor

def cube(x):
    return x ** 3

with ProcessPoolExecutor(2) as executor:
    print("executor", list(executor.map(cube, range(4))))
```

```python exec="on" session="other"
import multiprocessing

def double(x):
    return 2 * x

pool = multiprocessing.Pool(2)  # never closed: the page's end cleans it up
print("unclosed", pool.map(double, [1, 2]))
```
"""


def test_process_pools_work_in_fences(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", POOLS)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    outputs = [pre.get_text() for pre in build.article().select("div.language-text pre")]
    assert outputs == [
        "pool [0, 1, 4, 9, 16]\n",
        "executor [0, 1, 8, 27]\n",
        "unclosed [2, 4]\n",
    ]


WRITER = """
# Writes

```python exec="on"
import time
with open("out.txt", "w") as stream:  # the working directory is the docs folder
    stream.write(str(time.time()))
raise ValueError("fails after writing")
```
"""


def test_a_fence_writing_into_docs_does_not_make_serve_loop(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = make_site()
    page = site.write("index.md", WRITER)
    site.save_config()
    with served(site.root, log=tmp_path / "serve.log") as (_, log):
        deadline = time.monotonic() + 60
        while "Serving on" not in log() and time.monotonic() < deadline:
            time.sleep(0.2)
        page.write_text(WRITER + "\nAn edit by the author.\n")  # one real change
        while log().count("1 fences run") < 2 and time.monotonic() < deadline + 60:
            time.sleep(0.2)
        time.sleep(8)  # a looping server would rebuild several times in this while
    text = log()
    builds = text.count("Building documentation...")
    # First build; the author's edit (runs the page, which writes again); at most one more
    # build caused by that write, which reuses the results instead of looping.
    assert 2 <= builds <= 3, f"{builds} builds:\n{text}"
    assert text.count("1 fences run") == 2, text
    assert text.count("docs/out.txt changed while the last build ran") == builds - 2, text
