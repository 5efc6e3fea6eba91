"""Where a long build is: pages done of total and the page running longest, now and then.

Why: a site whose pages train a model or run a Monte-Carlo estimate executes for minutes,
and until the summary line a build printed nothing, so an author could not tell a slow page
from a hung one. The reporter stays silent for a build whose pages finish within a few
seconds, then writes one line every few seconds while pages run (never one line per page);
at the end it names the slowest pages, the ones worth freezing.

Host-neutral: the engine tells it when a page is queued, starts and ends (its ``observer``);
the host gives the callable that writes a line (the MkDocs plugin's logger at INFO, the
Markdown extension's standard error). Events come from the engine's pool threads; one lock
guards the counts, and one daemon thread wakes to report while pages run.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Literal

#: Seconds of execution before the first progress line, and between two lines.
DEFAULT_SECONDS = 5.0
#: Internal (tests): both intervals in seconds, e.g. ``0.5``.
SECONDS_VARIABLE = "_MKDOCS_INFOTHEORY_PROGRESS_SECONDS"
#: How many of the slowest pages the summary names.
SLOWEST_NAMED = 3

Event = Literal["queued", "started", "done"]


def progress_seconds() -> float:
    """The reporting interval: :data:`DEFAULT_SECONDS` unless the internal variable is set
    to a positive number (anything else is ignored: it is not an author's setting)."""
    try:
        value = float(os.environ.get(SECONDS_VARIABLE, ""))
    except ValueError:
        return DEFAULT_SECONDS
    return value if value > 0 else DEFAULT_SECONDS


class Progress:
    """Counts a build's page runs and reports them through ``emit`` (see the module)."""

    def __init__(
        self,
        emit: Callable[[str], None],
        seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit = emit
        self._seconds = seconds if seconds is not None else progress_seconds()
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        #: Pages of the current burst of runs (a ``mkdocs serve`` rebuild starts a new one).
        self._total = 0
        self._done = 0
        self._running: dict[str, float] = {}
        self._burst_started = 0.0
        #: Seconds each page ran, over the whole build (for :meth:`slowest`).
        self._durations: dict[str, float] = {}
        self._longest: tuple[str, float] = ("", 0.0)

    def __call__(self, event: Event, filename: str) -> None:
        """The engine's observer: ``filename`` was queued, started or is done."""
        with self._lock:
            now = self._clock()
            if not self._running and self._done >= self._total:
                # Nothing in flight: a new burst (the first runs, or a rebuild's re-runs).
                self._total = self._done = 0
                self._burst_started = now
                self._longest = ("", 0.0)
            if event == "queued":
                self._total += 1
            elif event == "started":
                self._running[filename] = now
            elif event == "done":
                started = self._running.pop(filename, now)
                self._done += 1
                self._total = max(self._total, self._done + len(self._running))
                seconds = now - started
                self._durations[filename] = seconds
                if seconds > self._longest[1]:
                    self._longest = (filename, seconds)
            if event == "started":
                self._total = max(self._total, self._done + len(self._running))
                self._ensure_thread()

    def _ensure_thread(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(
                target=self._watch, name="infotheory-progress", daemon=True
            )
            self._thread.start()

    def _watch(self) -> None:
        last = None
        while not self._wake.wait(self._seconds / 4):
            with self._lock:
                if not self._running:
                    continue
                now = self._clock()
                if now - self._burst_started < self._seconds:
                    continue
                if last is not None and now - last < self._seconds:
                    continue
                line = self._line(now)
                last = now
            self._emit(line)

    def _line(self, now: float) -> str:
        name, seconds = self._longest
        for running, started in self._running.items():
            if now - started > seconds:
                name, seconds = running, now - started
        running = len(self._running)
        return (
            f"running pages: {self._done} of {self._total} done, {running} in progress, "
            f"{now - self._burst_started:.0f} s so far; longest: {name} ({seconds:.0f} s)"
        )

    def slowest(self) -> list[tuple[str, float]]:
        """The pages that ran at least the reporting interval, slowest first (at most
        :data:`SLOWEST_NAMED`): the ones worth freezing."""
        with self._lock:
            ranked = sorted(self._durations.items(), key=lambda item: -item[1])
        return [(name, s) for name, s in ranked[:SLOWEST_NAMED] if s >= self._seconds]

    def summary_suffix(self) -> str:
        """What the build's summary line adds: ``; slowest pages: docs/a.md 12.0 s, ...``."""
        pages = self.slowest()
        if not pages:
            return ""
        named = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in pages)
        return f"; slowest pages (worth freezing): {named}"

    def close(self) -> None:
        """Stop reporting (the build is over); the summary still reads :meth:`slowest`."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(timeout=5)


def stderr_progress() -> Progress:
    """A reporter that writes to standard error in the host's log format, for a host with no
    logger of ours (Zensical runs the Markdown extension, not the plugin)."""

    def emit(line: str) -> None:
        print(f"INFO    -  infotheory: {line}", file=sys.stderr, flush=True)

    return Progress(emit)
