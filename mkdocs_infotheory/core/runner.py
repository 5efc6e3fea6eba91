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
or the interpreter's exit kill pages still running. (On the portable path, macOS, a process in a
session of its own is the exception: see :mod:`.process_tree`.)
"""

from __future__ import annotations

import dataclasses
import json
import math
import pickle
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import forkserver
from .kernel import PageJob
from .model import Cell, CellError, CellResult

#: How long the server may take to start (importing numpy and the other preloaded modules).
#: Once it is ready, a page may wait for a free slot as long as the pages before it run.
START_LIMIT = 120.0
#: How long the server may take to report a page's exit once it ended.
EXIT_LIMIT = 10.0
#: How long a server whose sockets closed may take to be seen gone (it is dying).
SERVER_END_LIMIT = 2.0

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


def _ended_server(cell: Cell) -> CellResult:
    error = CellError(
        type="ProcessExit",
        message="this fence ended the fork server that runs the pages: run again alone, on a "
        "server of its own, it ended that one too (the other pages were run again)",
        line=cell.line,
        hint="do not signal the parent process (os.getppid()) or its process group",
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

    def _server_now(self) -> forkserver.ForkServer:
        """The shared server, replaced by a fresh one if it died (killed from outside, or by
        a fence)."""
        with self._lock:
            if not self._server.alive:
                old = self._server
                self._server = forkserver.acquire(old.preload, old.threads, old.slots)
                forkserver.release(old, retire=True)
            return self._server

    def run(self, job: PageJob, timeout_for: Callable[[Cell], float]) -> list[CellResult]:
        """Run ``job``; see :meth:`_attempt` for when the server dies under it.

        The rule for a server that dies (a fence killed it: ``os.kill(os.getppid(), 9)``) is
        deterministic whatever else was running: every page whose run the server did not see
        to its end is run again. A page that had not started yet runs again like any page; a
        page that was running (any of them may be the one that killed it) runs again *alone*,
        on a server of its own, where nothing else can end that server: if it dies again, the
        fence that was running is blamed at its line, and the other pages have their real
        results."""
        results, ended, started = self._attempt(job, timeout_for, solo=False)
        for _ in range(2):
            if not ended:
                break
            results, ended, started = self._attempt(job, timeout_for, solo=started)
            if started:
                break  # a run alone is the last word
        return results

    def _attempt(
        self, job: PageJob, timeout_for: Callable[[Cell], float], solo: bool
    ) -> tuple[list[CellResult], bool, bool]:
        """One run of ``job``: its results, whether its server ended before it saw the page
        to its end (results not to be trusted), and whether the page had started by then."""
        with self._lock:
            if self._closed:
                return [_stopped(cell) for cell in job.cells], False, False
        if solo:
            shared = self._server
            server = forkserver.ForkServer(shared.preload, shared.threads, slots=1)
            job = dataclasses.replace(job, watch_server=True)
        else:
            server = self._server_now()
        with self._lock:
            server.live += 1
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            page = server.start_page(payload)
        except OSError:  # the server is gone already: no page of ours ran on it
            with self._lock:
                server.live -= 1
            if solo:
                server.close()
            return [_crashed(cell, None) for cell in job.cells], True, False
        with self._lock:
            self._pages.add(page)
        with _live_lock:
            _live.add(page)
        ended = False
        try:
            results = self._collect(page, job, timeout_for, server)
        finally:
            if not page.finished:
                page.kill()
            if page.wait_exit(EXIT_LIMIT) is None:
                page.kill()
                ended = not self._closed and server.ended(SERVER_END_LIMIT)
            page.close()
            with _live_lock:
                _live.discard(page)
            with self._lock:
                self._pages.discard(page)
                server.live -= 1
            if solo:
                server.close()
            else:
                forkserver.release(server)
        return results, ended and not solo, page.pid is not None

    def _collect(
        self,
        page: forkserver.PageProcess,
        job: PageJob,
        timeout_for: Callable[[Cell], float],
        server: forkserver.ForkServer,
    ) -> list[CellResult]:
        server_ready = server.wait_ready(START_LIMIT)
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
                code = None if page.killed else page.wait_exit(EXIT_LIMIT)
                if page.killed:
                    results[cell.index] = _stopped(cell)
                elif code is None and job.watch_server and server.ended(SERVER_END_LIMIT):
                    results[cell.index] = _ended_server(cell)
                else:
                    results[cell.index] = _crashed(cell, code)
                break
            message = _message(frame)
            if "pid" in message and page.pid is None and not results:
                page.pid = int(message["pid"])
                if page.killed:  # close() came before the pid: kill it now
                    page.kill()
            elif "result" in message and message["result"] == pending[0].index:
                index = pending.pop(0).index
                results[index] = _decoded(message["data"], job, index)
            elif message.get("server_ended") == pending[0].index and job.watch_server:
                cell = pending.pop(0)
                results[cell.index] = _ended_server(cell)
                break
            else:
                # Whatever it is, it is not the report this fence owes: the fence is failed
                # at its line (it must never read as "done" or silence the cells after it).
                page.kill()
                cell = pending.pop(0)
                results[cell.index] = _unreadable(cell, message)
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


#: What every report the build cannot take at its word says to do about it.
_TAMPERED_HINT = (
    "a fence may have written to the plugin's channel or changed a module it relies on "
    "(json, os, socket, sys, builtins); undo that change at the end of the fence"
)


def _message(frame: bytes) -> dict[str, Any]:
    """A frame as the page's report: a JSON object whose fields have the types the
    protocol gives them, or ``{}`` (unreadable). A ``pid`` must be a positive int, a
    ``result`` an int index with ``data`` an object."""
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(message, dict):
        return {}
    if "pid" in message and not (type(message["pid"]) is int and message["pid"] > 0):
        return {}
    if "result" in message and not (
        type(message["result"]) is int and isinstance(message.get("data"), dict)
    ):
        return {}
    if "server_ended" in message and type(message["server_ended"]) is not int:
        return {}
    return message


def _unreadable(cell: Cell, message: dict[str, Any]) -> CellResult:
    """The failure for a fence whose report never came in a form the build can read."""
    if isinstance(message.get("broken"), str):
        what = f"the plugin could not run or report this fence ({message['broken']})"
    elif message.get("done") is True:
        what = "the process running this page said it was done before reporting this fence"
    elif message:
        what = "the process running this page sent a report out of turn"
    else:
        what = "the process running this page sent a report the build cannot read"
    error = CellError(type="ReportError", message=what, line=cell.line, hint=_TAMPERED_HINT)
    return CellResult(error=error)


def _decoded(data: object, job: PageJob, index: int) -> CellResult:
    try:
        result = CellResult.from_json(data)  # type: ignore[arg-type]
        if not _well_formed(result):
            raise TypeError("a field of the wrong type")
        return result
    except Exception as exc:
        line = next((c.line for c in job.cells if c.index == index), 0)
        error = CellError(
            type="ResultError",
            message=f"the fence's result could not be read ({type(exc).__name__})",
            line=line,
            hint=_TAMPERED_HINT,
        )
        return CellResult(error=error)


def _well_formed(result: CellResult) -> bool:
    """Whether every field the build reads has the type it expects (JSON from a page that a
    fence may have tampered with could put a list where a line number belongs)."""
    error = result.error
    return (
        (result.value is None or isinstance(result.value, str))
        and (
            error is None
            or (
                type(error.line) is int
                and all(
                    isinstance(text, str)
                    for text in (error.type, error.message, error.traceback, error.hint)
                )
            )
        )
        and all(isinstance(f.format, str) and isinstance(f.data, str) for f in result.figures)
        and all(
            type(m.line) is int and all(isinstance(t, str) for t in (m.source, m.expected, m.got))
            for m in result.mismatches
        )
    )
