"""The runner and kernel through real page processes: output captured at the descriptor
level, exceptions that cannot describe themselves, absurd time limits, results that cannot be
sent back, and a page's leftovers killed when it ends."""

from __future__ import annotations

import math
import os
import signal
import time
from pathlib import Path

import pytest

from mkdocs_infotheory.core.kernel import PageJob, run_page
from mkdocs_infotheory.core.model import CellResult
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.core.runner import ProcessRunner, _decoded, _message, clamp_seconds
from tests.build.test_processes import running


def job_for(text: str, **overrides: object) -> PageJob:
    cells = tuple(parse_page(text).cells)
    return PageJob(filename="docs/p.md", source=text, cells=cells, **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def runner() -> ProcessRunner:
    return ProcessRunner()


def run(
    runner: ProcessRunner, text: str, limit: float = 30, **overrides: object
) -> list[CellResult]:
    return runner.run(job_for(text, **overrides), lambda cell: limit)


EVERY_WRITER = """
```python exec="on"
import os, subprocess, sys
print("one")
sys.stdout.buffer.write(b"two\\n")
os.write(1, b"three\\n")
subprocess.run(["echo", "four"], check=True)
print("five", file=sys.stderr)
os.write(2, b"six\\n")
subprocess.run(["sh", "-c", "echo seven >&2"], check=True)
print("eight", end="")
sys.__stdout__.write(" nine")
import ctypes
ctypes.CDLL(None).printf(b" ten")
```
"""


def test_every_way_of_writing_reaches_the_page_in_order(runner: ProcessRunner) -> None:
    (result,) = run(runner, EVERY_WRITER)
    assert result.error is None, result.error
    assert result.output == "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight nine ten"


def test_every_way_of_writing_in_process_too() -> None:
    results: list[CellResult] = []
    run_page(job_for(EVERY_WRITER), lambda _index, result: results.append(result))
    assert results[0].output == "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight nine ten"


def test_descriptor_output_obeys_max_output_without_blocking(runner: ProcessRunner) -> None:
    text = (
        '```python exec="on"\nimport os\n'
        "for _ in range(2000):\n    os.write(1, b'x' * 1000)\nprint('end')\n```\n"
        '```python exec="on"\nprint("next")\n```\n'
    )
    first, second = run(runner, text, max_output=50)
    assert first.output == "x" * 50 and first.truncated
    assert second.output == "next\n" and not second.truncated


def test_output_of_a_background_process_does_not_hold_the_cell(
    runner: ProcessRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "printed"
    text = (
        '```python exec="on"\nimport os, subprocess, time\n'
        f'subprocess.Popen(["sh", "-c", "echo early; touch {marker}; sleep 30; echo late"])\n'
        f"while not os.path.exists({str(marker)!r}):\n    time.sleep(0.05)\n```\n"
    )
    started = time.monotonic()
    (result,) = run(runner, text, limit=20)
    assert time.monotonic() - started < 10
    assert result.error is None and result.output == "early\n"


def test_bash_background_job_does_not_hold_the_fence(runner: ProcessRunner, tmp_path: Path) -> None:
    text = '```bash exec="on"\necho start\nsleep 30 &\necho end\n```\n'
    started = time.monotonic()
    (result,) = run(runner, text, limit=20, cwd=str(tmp_path))
    assert time.monotonic() - started < 10
    assert result.error is None and result.output == "start\nend\n"


UNSHOWABLE = """
```python exec="on"
class BadError(Exception):
    def __str__(self):
        raise RuntimeError("no words")

print("before")
raise BadError()
```

```python exec="on"
print("the page goes on")
```

`{python} type("Weird", (), {"__str__": lambda self: 1 / 0})()`

`{python} 1 + 1`
"""


def test_an_exception_that_cannot_be_shown_is_reported_at_its_line(runner: ProcessRunner) -> None:
    bad, after, weird, fine = run(runner, UNSHOWABLE)
    assert bad.error is not None and bad.error.type == "BadError"
    assert bad.error.line == 8  # `raise BadError()` (the text starts with a blank line)
    assert "could not be shown" in bad.error.summary() and "RuntimeError" in bad.error.summary()
    assert bad.output == "before\n"
    assert after.error is None and after.output == "the page goes on\n"
    assert weird.error is not None and weird.error.type == "ZeroDivisionError"
    assert fine.value == "2"


@pytest.mark.parametrize("limit", [math.inf, 1e12, 1e300, math.nan, -5.0, 0.0])
def test_any_float_time_limit_is_usable(runner: ProcessRunner, limit: float) -> None:
    assert 0 <= clamp_seconds(limit) <= 1e6
    results = run(runner, '```python exec="on"\nprint(1)\n```\n', limit=limit)
    # A zero or negative limit stops the fence at once; nothing raises either way.
    assert results[0].output == "1\n" or (
        results[0].error is not None and results[0].error.type == "TimeoutError"
    )


def test_infinite_limits_still_let_fences_finish(runner: ProcessRunner) -> None:
    (result,) = run(runner, '```python exec="on"\nprint("ok")\n```\n', limit=math.inf)
    assert result.output == "ok\n"


def test_unsendable_result_does_not_kill_the_page(runner: ProcessRunner) -> None:
    text = (
        "`{python} type('S', (str,), {'__str__': lambda self: self})('\\udcff')`\n\n"
        '```python exec="on"\nprint("after")\n```\n'
    )
    weird, after = run(runner, text)
    assert after.output == "after\n"
    assert weird.error is None and weird.value == "?"
    weird.value.encode("utf-8")  # a page can be written with it


def test_a_page_leftovers_are_killed_when_it_ends(runner: ProcessRunner, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    text = (
        '```python exec="on"\nimport subprocess\n'
        'p = subprocess.Popen(["sleep", "300"])\n'
        'q = subprocess.Popen(["sleep", "300"], start_new_session=True)\n'
        f"open({str(pid_file)!r}, 'w').write(f'{{p.pid}} {{q.pid}}')\n```\n"
    )
    (result,) = run(runner, text)
    assert result.error is None
    child, detached = map(int, pid_file.read_text().split())

    assert not running(child)
    if runner._server.processes == "portable":  # documented: a new session is out of reach
        assert running(detached)
        os.kill(detached, signal.SIGKILL)
    else:
        assert runner._server.processes == "linux"
        assert not running(detached)


def test_a_forked_child_that_runs_on_does_not_run_the_rest_of_the_page(
    runner: ProcessRunner,
) -> None:
    text = (
        '```python exec="on"\nimport os\nforked = os.fork()\nprint("fence")\n```\n'
        '```python exec="on"\nprint("second", forked != 0)\n```\n'
    )
    first, second = run(runner, text)
    assert second.output == "second True\n", (first, second)


def test_a_fence_that_kills_the_fork_server_is_reported_and_the_next_page_runs() -> None:
    own = ProcessRunner(("json",))  # its own server: the shared one stays up for other tests
    text = (
        '```python exec="on"\nimport os, signal, time\n'
        "os.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)\n```\n"
        "`{python} 1`\n"
    )
    started = time.monotonic()
    crashed, after = own.run(job_for(text), lambda cell: 20)
    assert time.monotonic() - started < 10
    assert crashed.error is not None and crashed.error.type == "ProcessExit"
    assert "ended the fork server" in crashed.error.message and crashed.error.line == 2
    assert after.skipped
    (again,) = own.run(job_for('```python exec="on"\nprint("next")\n```\n'), lambda cell: 20)
    assert again.output == "next\n"


# -- what the page reports, read strictly ---------------------------------------------------
@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"\xff\xfe",
        b"null",
        b"[]",
        b'"done"',
        b'{"pid": "12"}',
        b'{"pid": 0}',
        b'{"pid": 1.5}',
        b'{"pid": true}',
        b'{"result": "0", "data": {}}',
        b'{"result": 0, "data": []}',
        b'{"result": 0}',
        b'{"server_ended": "0"}',
        b"[" * 100_000,
    ],
)
def test_a_frame_of_the_wrong_shape_is_unreadable(frame: bytes) -> None:
    assert _message(frame) == {}


@pytest.mark.parametrize(
    "data",
    [
        {"error": {"type": 1, "message": "m", "line": 1}},
        {"error": {"type": "E", "message": "m", "line": "1"}},
        {"error": {"type": "E", "message": "m", "line": 1, "extra": 1}},
        {"error": ["E"]},
        {"value": ["not", "text"]},
        {"figures": [{"format": "svg", "data": 1}]},
        {"figures": "svg"},
        {"mismatches": [{"line": 1, "source": 1, "expected": "", "got": ""}]},
        {"seconds": "soon"},
    ],
)
def test_a_result_with_fields_of_the_wrong_type_is_an_error_at_the_fence(data: object) -> None:
    job = job_for('text\n\n```python exec="on"\nx = 1\n```\n')
    result = _decoded(data, job, 0)
    assert result.error is not None and result.error.type == "ResultError"
    assert result.error.line == 4


FORGE = """
```python exec="on"
import os, stat, struct
for fd in map(int, os.listdir("/dev/fd")):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            os.write(fd, struct.pack("!Q", len({payload!r})) + {payload!r})
    except OSError:
        pass
```

```python exec="on"
print("later")
```
"""


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        (b"garbage", "cannot read"),
        (b'{"done": true}', "said it was done"),
        (b'{"result": 1, "data": {}}', "out of turn"),
        (b'{"pid": 1}', "out of turn"),
        (b'{"server_ended": 0}', "out of turn"),
    ],
)
def test_a_forged_frame_fails_its_fence_and_never_reads_as_done(
    runner: ProcessRunner, payload: bytes, says: str
) -> None:
    forged, later = run(runner, FORGE.format(payload=payload))
    assert forged.error is not None and forged.error.type == "ReportError", forged
    assert says in forged.error.message and forged.error.line == 3
    assert later.skipped and later.error is None


def test_tampering_with_what_the_page_reports_through_changes_nothing(
    runner: ProcessRunner,
) -> None:
    text = (
        '```python exec="on"\nimport builtins, json, os, socket\n'
        'json.dumps = lambda *a, **k: "garbage"\n'
        "json.JSONEncoder.encode = lambda self, o: 'garbage'\n"
        "os.getpid = lambda: 1\nbuiltins.vars = lambda o: {}\n"
        "socket.socket.sendall = lambda self, data: None\n```\n\n"
        '```python exec="on"\nprint("later", 6 * 7)\n```\n'
    )
    first, later = run(runner, text)
    assert first.error is None and later.output == "later 42\n", (first, later)
