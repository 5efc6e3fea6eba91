"""Run a page in a fresh child process, with per-cell time limits.

Why a process per page: author code may call ``sys.exit()``, ``os._exit()``, crash the
interpreter, leak memory or loop forever, and none of that may take the build down or leak
state into another page. The children are forked from our fork server
(:mod:`~mkdocs_infotheory.core.forkserver`), which imports the preloaded modules (numpy) once,
so a fresh process costs a millisecond or two rather than a numpy import. The author's own
modules are imported in the child, never preloaded, so an edited helper module is picked up by
the next build of ``mkdocs serve``; an edited *preloaded* module makes the next build start a
fresh server.

Nothing a page starts outlives it: when ``run`` returns, the page's process and everything it
started (subprocesses, process pools, ``setsid`` daemons) are gone, and :meth:`ProcessRunner.close`
or the interpreter's exit kill pages still running.
"""

from __future__ import annotations

import json
import math
import pickle
import signal
import threading
import time
from collections.abc import Callable, Sequence

from . import forkserver
from .kernel import PageJob
from .model import Cell, CellError, CellResult

#: How long the server may take to start (importing numpy and the other preloaded modules).
#: Once it is ready, a page may wait for a free slot as long as the pages before it run.
START_LIMIT = 120.0
#: How long the server may take to report a page's exit once it ended.
EXIT_LIMIT = 10.0

_live: set[forkserver.PageProcess] = set()
_live_lock = threading.Lock()


def _kill_all_pages() -> None:
    with _live_lock:
        pages = list(_live)
    for page in pages:
        page.kill()


forkserver.on_exit(_kill_all_pages)


def clamp_seconds(value: float) -> float:
    """A usable wait for any float: never negative, never infinite, never NaN."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return forkserver.MAX_WAIT
    if math.isnan(seconds):
        return forkserver.MAX_WAIT
    return min(max(seconds, 0.0), forkserver.MAX_WAIT)


def _exit_message(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the process running this page was killed by {name}"
    if code is None:
        return "the process running this page ended without reporting why"
    return f"the process running this page exited with status {code}"


def _timed_out(cell: Cell, limit: float) -> CellResult:
    error = CellError(
        type="TimeoutError",
        message=f"the fence ran longer than {limit:g} s and was stopped",
        line=cell.line,
        hint='raise the limit with timeout="SECONDS" on the fence, or the plugin\'s timeout option',
    )
    return CellResult(error=error, seconds=limit)


def _crashed(cell: Cell, exitcode: int | None) -> CellResult:
    error = CellError(
        type="ProcessExit",
        message=_exit_message(exitcode),
        line=cell.line,
        hint="this fence ended its interpreter (os._exit, a native crash, or the OS)",
    )
    return CellResult(error=error)


def _stopped(cell: Cell) -> CellResult:
    error = CellError(
        type="Stopped",
        message="the build was stopped while this fence ran",
        line=cell.line,
    )
    return CellResult(error=error)


class ProcessRunner:
    """Runs :class:`PageJob` s in child processes; safe to call from several threads.

    ``preload`` names modules the fork server imports once (``EngineSettings.preload``);
    ``threads`` sizes each page's numerical thread pools (see :mod:`.forkserver`; ``None``
    leaves them as the environment says); ``slots`` is how many pages run at once (more may
    be handed over: they wait in the server, ready to start the moment a slot frees). The
    server starts in the background here, so create the runner early.
    """

    def __init__(
        self, preload: Sequence[str] = (), threads: int | None = None, slots: int = 1
    ) -> None:
        self._server = forkserver.acquire(tuple(preload), threads, max(1, slots))
        self._pages: set[forkserver.PageProcess] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _start(self, job: PageJob) -> forkserver.PageProcess:
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            return self._server.start_page(payload)
        except OSError:
            # The server died (killed from outside): start another once.
            old = self._server
            self._server = forkserver.acquire(old.preload, old.threads, old.slots)
            return self._server.start_page(payload)

    def run(self, job: PageJob, timeout_for: Callable[[Cell], float]) -> list[CellResult]:
        server = self._server
        with self._lock:
            if self._closed:
                return [_stopped(cell) for cell in job.cells]
            server.live += 1
        page = self._start(job)
        with self._lock:
            self._pages.add(page)
        with _live_lock:
            _live.add(page)
        try:
            return self._collect(page, job, timeout_for, server.wait_ready(START_LIMIT))
        finally:
            if not page.finished:
                page.kill()
            if page.wait_exit(EXIT_LIMIT) is None:
                page.kill()
            page.close()
            with _live_lock:
                _live.discard(page)
            with self._lock:
                self._pages.discard(page)
                server.live -= 1
            forkserver.release(server)

    def _collect(
        self,
        page: forkserver.PageProcess,
        job: PageJob,
        timeout_for: Callable[[Cell], float],
        server_ready: bool,
    ) -> list[CellResult]:
        results: dict[int, CellResult] = {}
        pending = list(job.cells)

        def limit() -> float:
            return clamp_seconds(timeout_for(pending[0]))

        # A server that never got ready fails the page at once (reported like a crash); a
        # ready one starts it when a slot frees (or closes the socket if it dies).
        deadline = time.monotonic() + (forkserver.MAX_WAIT if server_ready else 0.0)
        while pending:
            try:
                frame = page.data.read(deadline - time.monotonic())
            except TimeoutError:
                if page.pid is None:
                    frame = None  # never started: reported like a crash
                else:
                    page.kill()
                    results[pending[0].index] = _timed_out(pending[0], limit())
                    pending.pop(0)
                    break
            except OSError:
                frame = None
            if frame is None:
                cell = pending.pop(0)
                if page.killed:
                    results[cell.index] = _stopped(cell)
                else:
                    results[cell.index] = _crashed(cell, page.wait_exit(EXIT_LIMIT))
                break
            try:
                message = json.loads(frame)
            except ValueError:
                message = {}
            if "pid" in message:
                page.pid = int(message["pid"])
                if page.killed:  # close() came before the pid: kill it now
                    page.kill()
            elif "result" in message:
                index = int(message["result"])
                results[index] = _decoded(message["data"], job, index)
                pending = [cell for cell in pending if cell.index != index]
            else:
                page.finished = "done" in message
                break
            if pending:
                deadline = time.monotonic() + limit()
        for cell in pending:
            results[cell.index] = CellResult(
                skipped="not run: the process running this page ended at an earlier fence"
            )
        return [results[cell.index] for cell in job.cells]

    def close(self) -> None:
        """Kill this runner's running pages (the build ended or was interrupted)."""
        with self._lock:
            self._closed = True
            pages = list(self._pages)
        for page in pages:
            page.kill()


def _decoded(data: object, job: PageJob, index: int) -> CellResult:
    try:
        return CellResult.from_json(data)  # type: ignore[arg-type]
    except Exception as exc:
        line = next((c.line for c in job.cells if c.index == index), 0)
        error = CellError(
            type="ResultError",
            message=f"the fence's result could not be read ({type(exc).__name__})",
            line=line,
        )
        return CellResult(error=error)
