"""The portable process path (macOS), forced on Linux: the same guarantees, where the platform
allows, and the one documented difference.

Each test sets ``_MKDOCS_INFOTHEORY_PORTABLE_PROCESSES=1`` before its fork server starts (a
runner with preloaded modules no other test uses, so no server started without the switch is
reused) and checks that the server really took the portable path: it says so when ready, and
a fence reads back from the kernel that neither ``PR_SET_PDEATHSIG`` nor
``PR_SET_CHILD_SUBREAPER`` was set on its process. Guarantees checked: a timeout kills the
page's whole process group; pages die with the server however it dies; a fence that kills the
server is blamed at its line; nothing is left when a build ends or is killed, except a process
in a session of its own, which the portable path cannot reach (documented in
docs/reference/safety.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mkdocs_infotheory.core.model import CellResult
from mkdocs_infotheory.core.platform import PORTABLE_VARIABLE
from mkdocs_infotheory.core.runner import ProcessRunner
from tests.build.test_processes import (
    SPAWNING_FENCE,
    read_pids,
    running,
    start_mkdocs,
    wait_gone,
)
from tests.sites import Site
from tests.unit.core.test_runner import job_for

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="forces the portable path on Linux"
)

#: Reads back from the kernel what prctl set on the page's process: (death signal, subreaper).
PRCTL_STATE = """
```python exec="on"
import ctypes
libc = ctypes.CDLL(None)
death, reaper = ctypes.c_int(-1), ctypes.c_int(-1)
libc.prctl(2, ctypes.byref(death), 0, 0, 0)  # PR_GET_PDEATHSIG
libc.prctl(37, ctypes.byref(reaper), 0, 0, 0)  # PR_GET_CHILD_SUBREAPER
print(death.value, reaper.value)
```
"""


@pytest.fixture
def portable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PORTABLE_VARIABLE, "1")


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def own_runner(name: str) -> ProcessRunner:
    """A runner on a server of its own (``name``: a module no other test preloads)."""
    runner = ProcessRunner((name,))
    assert runner._server.wait_ready(60)
    return runner


def test_the_switch_chooses_the_portable_path_and_no_prctl_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PORTABLE_VARIABLE, "1")
    portable = own_runner("colorsys")
    (state,) = portable.run(job_for(PRCTL_STATE), lambda cell: 20)
    assert portable._server.processes == "portable"
    assert state.output == "0 0\n", state
    # The control: the same fence on the Linux path sees both set.
    monkeypatch.delenv(PORTABLE_VARIABLE)
    linux = own_runner("fractions")
    (state,) = linux.run(job_for(PRCTL_STATE), lambda cell: 20)
    assert linux._server.processes == "linux"
    assert state.output == f"{int(signal.SIGKILL)} 1\n", state


#: A page whose fence starts a child and an orphaned grandchild (double fork, same group),
#: writes their pids and its own, then waits.
GROUP_FENCE = """
```python exec="on" timeout="{limit}"
import os, subprocess, time
pids = [subprocess.Popen(["sleep", "300"]).pid]
read_end, write_end = os.pipe()
child = os.fork()
if child == 0:
    grandchild = os.fork()
    if grandchild == 0:
        os.execvp("sleep", ["sleep", "300"])
    os.write(write_end, str(grandchild).encode())
    os._exit(0)
os.waitpid(child, 0)
pids += [int(os.read(read_end, 32)), os.getpid(), os.getppid()]
first = not os.path.exists({pids_file!r})
with open({pids_file!r} + ".tmp", "w") as stream:
    stream.write(" ".join(map(str, pids)))
os.replace({pids_file!r} + ".tmp", {pids_file!r})
if first:
    time.sleep(120)
print("ran again")
```
"""


def test_a_timeout_kills_the_pages_whole_group(
    portable: None, tmp_path: Path, leftovers: list[int]
) -> None:
    pid_file = tmp_path / "pids"
    runner = own_runner("statistics")
    text = GROUP_FENCE.format(limit=2, pids_file=str(pid_file))
    started = time.monotonic()
    (result,) = runner.run(job_for(text), lambda cell: 2)
    pids = [int(p) for p in pid_file.read_text().split()]
    leftovers.extend(pids[:3])
    assert runner._server.processes == "portable"
    assert result.error is not None and result.error.type == "TimeoutError", result
    assert time.monotonic() - started < 15
    # The child, the orphaned grandchild and the page itself; the server stays up.
    assert wait_gone(pids[:3], 5) == []
    assert running(pids[3])


def test_pages_die_with_the_server_and_run_again(
    portable: None, tmp_path: Path, leftovers: list[int]
) -> None:
    pid_file = tmp_path / "pids"
    runner = own_runner("netrc")
    text = GROUP_FENCE.format(limit=200, pids_file=str(pid_file))
    results: list[CellResult] = []
    worker = threading.Thread(
        target=lambda: results.extend(runner.run(job_for(text), lambda cell: 200))
    )
    worker.start()
    try:
        pids = _read(pid_file, 4)
        leftovers.extend(pids[:3])
        child, grandchild, page, server = pids
        os.kill(server, signal.SIGKILL)
        # Nothing waits for the page's 120 s: its watcher kills its group at once.
        assert wait_gone([child, grandchild, page], 3) == []
    finally:
        worker.join(60)
    assert not worker.is_alive()
    (result,) = results
    # Run again (alone, on a server of its own), where the pid file exists: it does not wait.
    assert result.error is None and result.output == "ran again\n", result


def _read(path: Path, count: int, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pids = [int(p) for p in path.read_text().split()]
        except (OSError, ValueError):
            pids = []
        if len(pids) == count:
            return pids
        time.sleep(0.05)
    pytest.fail(f"the fence never wrote its pids to {path}")


@pytest.mark.parametrize(
    "kill",
    ["os.kill(os.getppid(), signal.SIGKILL)", "os.killpg(os.getpgid(os.getppid()), 9)"],
    ids=["kill-parent", "killpg-parent-group"],
)
def test_a_fence_that_kills_the_server_is_blamed(portable: None, kill: str) -> None:
    runner = own_runner("wave" if "killpg" in kill else "calendar")
    # The fence ends right after the kill: the page asks the server whether it is dying.
    text = f'```python exec="on"\nimport os, signal\n{kill}\n```\n\n`{{python}} 1`\n'
    started = time.monotonic()
    killed, after = runner.run(job_for(text), lambda cell: 20)
    assert runner._server.processes == "portable"
    assert time.monotonic() - started < 15
    assert killed.error is not None and "ended the fork server" in killed.error.message
    assert killed.error.line == 2
    assert after.skipped
    (again,) = runner.run(job_for('```python exec="on"\nprint("next")\n```\n'), lambda c: 20)
    assert again.output == "next\n"


def test_a_killed_build_leaves_only_what_left_the_group(
    portable: None, make_site: Callable[..., Site], tmp_path: Path, leftovers: list[int]
) -> None:
    """The documented difference: the plain child, the page and the server go; the two
    processes in a session of their own (``setsid``) keep running on the portable path."""
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
        plain, detached, double_forked, page, server = pids
        assert wait_gone([plain, page, server], 5) == []
        assert running(detached) and running(double_forked)
    finally:
        build.kill()
        build.wait(10)


def test_a_finished_build_leaves_only_what_left_the_group(
    portable: None, make_site: Callable[..., Site], tmp_path: Path, leftovers: list[int]
) -> None:
    site = make_site()
    pid_file = tmp_path / "pids"
    site.write("index.md", "# Spawns\n" + SPAWNING_FENCE.format(pids=str(pid_file), tail=""))
    build = start_mkdocs(site, "build", log=tmp_path / "build.log")
    build.communicate(timeout=120)
    pids = read_pids(pid_file, 1)
    leftovers.extend(pids)
    assert build.returncode == 0, (tmp_path / "build.log").read_text()
    assert "started 3" in (site.root / "site" / "index.html").read_text()
    plain, detached, double_forked, page, server = pids
    assert wait_gone([plain, page, server], 5) == []
    assert running(detached) and running(double_forked)
