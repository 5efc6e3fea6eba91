"""Run a page in a fresh child process, with per-cell time limits.

Why a process per page: author code may call ``sys.exit()``, ``os._exit()``, crash the
interpreter, leak memory or loop forever, and none of that may take the build down or leak
state into another page. The children are forked from multiprocessing's fork server, which
imports numpy once, so a fresh process costs milliseconds rather than a numpy import.
The author's own modules are imported in the child, never preloaded, so an edited helper
module is picked up by the next build of ``mkdocs serve``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection
from pathlib import Path

from .._forkserver_main import MAIN_PATH_VARIABLE
from .cache import fingerprint_files
from .kernel import PageJob, run_page
from .model import Cell, CellError, CellResult

PRELOAD = (
    "mkdocs_infotheory._forkserver_main",
    "numpy",
    "mkdocs_infotheory.core.kernel",
    "mkdocs_infotheory.compute",
)
#: The compute source this process imports (in the fork server: the one it preloads).
#: (Until the fork server takes its preload list from EngineSettings.preload.)
_LOADED_COMPUTE = fingerprint_files([Path(__file__).resolve().parent.parent / "compute"])


def fresh_compute(job: PageJob) -> bool:
    """Forget a preloaded ``compute`` whose source changed since the fork server started
    (``mkdocs serve`` while its author edits it), so the preamble imports the new one.
    Returns whether it had to."""
    if not job.compute_fingerprint or job.compute_fingerprint == _LOADED_COMPUTE:
        return False
    stale = [
        name for name in sys.modules if name.split(".")[:2] == ["mkdocs_infotheory", "compute"]
    ]
    for name in stale:
        del sys.modules[name]
    return True


def _child_main(conn: Connection, job: PageJob) -> None:
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # our own process group, so a timeout also stops `bash` children
    os.chdir(job.cwd)
    sys.path[:0] = list(job.paths)
    fresh_compute(job)
    os.environ.setdefault("MPLBACKEND", "Agg")
    run_page(job, lambda index, result: conn.send(("result", index, result)))
    conn.send(("done",))
    conn.close()


def _kill(process: multiprocessing.process.BaseProcess) -> None:
    if process.pid is None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _exit_message(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the process running this page was killed by {name}"
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


def _start_fork_server() -> None:
    """Start the fork server now, telling it the main script to import (see _forkserver_main)."""
    main_path = spawn.get_preparation_data("infotheory").get("init_main_from_path")
    if main_path:
        os.environ[MAIN_PATH_VARIABLE] = main_path
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(MAIN_PATH_VARIABLE, None)


class ProcessRunner:
    """Runs :class:`PageJob` s in child processes; safe to call from several threads."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(PRELOAD))
        _start_fork_server()

    def run(self, job: PageJob, timeout_for: Callable[[Cell], float]) -> list[CellResult]:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_child_main, args=(sender, job), daemon=True)
        process.start()
        sender.close()
        results: dict[int, CellResult] = {}
        pending = list(job.cells)
        try:
            deadline = time.monotonic() + timeout_for(pending[0]) if pending else 0.0
            while pending:
                if not receiver.poll(max(deadline - time.monotonic(), 0.0)):
                    _kill(process)
                    cell = pending.pop(0)
                    results[cell.index] = _timed_out(cell, timeout_for(cell))
                    break
                try:
                    message = receiver.recv()
                except (EOFError, OSError):
                    process.join(5)
                    cell = pending.pop(0)
                    results[cell.index] = _crashed(cell, process.exitcode)
                    break
                if message[0] != "result":
                    break
                index, result = message[1], message[2]
                results[index] = result
                pending = [cell for cell in pending if cell.index != index]
                if pending:
                    deadline = time.monotonic() + timeout_for(pending[0])
            for cell in pending:
                results[cell.index] = CellResult(
                    skipped="not run: the process running this page ended at an earlier fence"
                )
        finally:
            if process.is_alive():
                process.join(1)
            if process.is_alive():
                _kill(process)
                process.join()
            receiver.close()
        return [results[cell.index] for cell in job.cells]
