"""How pages share the machine: at most ``slots`` run at once and the rest wait in the fork
server (however long the pages before them take), many pages may be handed over at the same
moment to a server that is still starting, and each page's numerical thread pools are sized
so that the pages together use the CPUs once."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mkdocs_infotheory.core import runner as runner_module
from mkdocs_infotheory.core.forkserver import THREAD_VARIABLES
from mkdocs_infotheory.core.kernel import PageJob
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.core.runner import ProcessRunner

#: Records when the page's process ran, by the monotonic clock every process shares.
TIMED_PAGE = """
```python exec="on"
import os, time
started = time.monotonic()
time.sleep({seconds})
print(started, time.monotonic(), os.getpid())
```
"""

#: A timed page that first creates ``marker``: the test knows it holds its slot.
MARKED_PAGE = """
```python exec="on"
import os, pathlib, time
started = time.monotonic()
pathlib.Path({marker!r}).touch()
time.sleep({seconds})
print(started, time.monotonic(), os.getpid())
```
"""


def job_for(text: str) -> PageJob:
    return PageJob(filename="docs/p.md", source=text, cells=tuple(parse_page(text).cells))


def run_concurrently(runner: ProcessRunner, texts: list[str]) -> list[str]:
    """Hand every page to the runner at once, from as many threads, as a build's pool does."""
    with ThreadPoolExecutor(len(texts)) as pool:
        results = list(pool.map(lambda text: runner.run(job_for(text), lambda c: 60)[0], texts))
    for result in results:
        assert result.error is None, result.error
    return [result.output for result in results]


def test_pages_beyond_the_slots_wait_their_turn() -> None:
    runner = ProcessRunner(("json",), threads=1, slots=2)  # its own server, started cold
    outputs = run_concurrently(runner, [TIMED_PAGE.format(seconds=0.4)] * 6)
    spans = sorted((float(start), float(end)) for start, end, _pid in map(str.split, outputs))
    # All six ran, each in its own process, and never more than two at the same moment.
    assert len({line.split()[2] for line in outputs}) == 6
    for index, (start, _end) in enumerate(spans):
        running = sum(1 for other_start, other_end in spans if other_start <= start < other_end)
        assert running <= 2, (index, spans)
    assert max(end for _, end in spans) - min(start for start, _ in spans) >= 3 * 0.4


def test_a_page_may_wait_for_a_slot_longer_than_the_start_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The start limit is for the server's start-up; waiting behind a long page is not a
    failure to start (it used to be reported as a crash). The long page is known to hold the
    one slot before the second is handed over, so the order asserted on is the order made."""
    runner = ProcessRunner(("base64",), threads=1, slots=1)
    assert runner_module.START_LIMIT > 1
    runner._server.wait_ready(60)
    monkeypatch.setattr(runner_module, "START_LIMIT", 0.2)
    marker = tmp_path / "long-page-started"
    long_page = MARKED_PAGE.format(marker=str(marker), seconds=1.0)
    with ThreadPoolExecutor(1) as pool:
        long_result = pool.submit(lambda: runner.run(job_for(long_page), lambda c: 60)[0])
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and not long_result.done(), long_result
            time.sleep(0.01)
        short_result = runner.run(job_for(TIMED_PAGE.format(seconds=0)), lambda c: 60)[0]
        first = long_result.result()
    for result in (first, short_result):
        assert result.error is None, result.error
    first_start, first_end, _pid = map(float, first.output.split())
    second_start = float(short_result.output.split()[0])
    # One slot: the second page started when the first ended, well past the start limit.
    assert second_start >= first_end
    assert second_start - first_start > 0.2


def test_many_pages_at_once_on_a_server_still_starting() -> None:
    """Every page thread waits for the server's one "ready" frame; only one may read it."""
    runner = ProcessRunner(("csv", "decimal"), threads=1, slots=2)
    outputs = run_concurrently(runner, [TIMED_PAGE.format(seconds=0)] * 8)
    assert len(outputs) == 8


THREADS_PAGE = """
```python exec="on"
import json, os
print(json.dumps({name: os.environ.get(name) for name in NAMES}))
```
"""


def test_numerical_thread_pools_are_sized_unless_the_author_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")  # the author's choice wins
    runner = ProcessRunner(("html",), threads=2, slots=1)
    text = THREADS_PAGE.replace("NAMES", repr(list(THREAD_VARIABLES)))
    (output,) = run_concurrently(runner, [text])
    seen = json.loads(output)
    assert seen.pop("OPENBLAS_NUM_THREADS") == "3"
    assert set(seen.values()) == {"2"}
    assert "OPENBLAS_NUM_THREADS" in os.environ  # the build's own environment is untouched
    assert os.environ.get("OMP_NUM_THREADS") is None


def test_without_a_size_the_environment_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    runner = ProcessRunner(("string",), threads=None, slots=1)
    text = THREADS_PAGE.replace("NAMES", repr(list(THREAD_VARIABLES)))
    (output,) = run_concurrently(runner, [text])
    assert set(json.loads(output).values()) == {None}
