"""Run the cells of one page, in order, in the current process.

This is what the child process of :mod:`mkdocs_infotheory.core.runner` executes; it is also
callable in-process (tests, or a builder that wants no isolation). It knows nothing about
processes, caching or rendering: cells in, one :class:`CellResult` per cell out, streamed
through ``emit`` so the parent always knows which cell is running.
"""

from __future__ import annotations

import builtins
import linecache
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..formatters import formatter_for
from ..model import Cell, CellError, CellResult
from . import display
from .capture import OutputCapture
from .figures import collect_figures
from .tracebacks import cell_error

Emit = Callable[[int, CellResult], None]


@dataclass(frozen=True, slots=True)
class PageJob:
    """Everything needed to run a page, picklable so it can be sent to a child process."""

    filename: str
    source: str
    cells: tuple[Cell, ...]
    preamble: str = ""
    cwd: str = "."
    paths: tuple[str, ...] = ()
    max_output: int = 100_000
    figure_format: Literal["svg", "png"] = "svg"
    #: After each fence, check that the fork server is not dying, and say so if it is (the
    #: page then runs alone on its own server, see :meth:`.runner.ProcessRunner.run`).
    watch_server: bool = False


class _Page:
    def __init__(self, job: PageJob) -> None:
        self.job = job
        self.modules: dict[str, types.ModuleType] = {}
        self.preamble_errors: dict[str, CellError] = {}
        # Tracebacks show the author's lines: register the page under its file name.
        lines = job.source.splitlines(keepends=True)
        linecache.cache[job.filename] = (len(job.source), None, lines, job.filename)

    def compile_at(self, code: str, line: int, mode: str) -> Any:
        """Compile ``code`` so its first line is line ``line`` of the author's file."""
        return compile("\n" * (line - 1) + code, self.job.filename, mode, dont_inherit=True)

    def module(self, session: str, line: int) -> types.ModuleType:
        """The session's namespace, as a real ``__main__`` module: while a cell runs it *is*
        ``sys.modules["__main__"]``, so functions defined in a fence can be pickled by name
        (``multiprocessing.Pool(2).map(f, ...)`` works as in a script)."""
        if session not in self.modules:
            module = types.ModuleType("__main__")
            module.__dict__["__builtins__"] = builtins
            module.__dict__["display"] = display.display
            self.modules[session] = module
            sys.modules["__main__"] = module
            if self.job.preamble.strip():
                try:
                    exec(compile(self.job.preamble, "<preamble>", "exec"), module.__dict__)
                except Exception as exc:
                    error = cell_error(exc, "<preamble>", line)
                    error.line = line
                    error.hint = "the plugin's `preamble` option failed; fix it in mkdocs.yml"
                    self.preamble_errors[session] = error
        return self.modules[session]

    def run(self, cell: Cell) -> CellResult:
        started = time.perf_counter()
        result = CellResult()
        main = sys.modules.get("__main__")
        capture = OutputCapture(self.job.max_output)
        salt = f"{self.job.filename}-{cell.index}"
        shown = display.Displays(capture, self.job.figure_format, salt)
        try:
            with capture, shown:
                self._execute(cell, result)
        finally:
            if main is not None:
                sys.modules["__main__"] = main
        try:
            result.figures = collect_figures(
                self.job.figure_format, f"{self.job.filename}-{cell.index}"
            )
        except Exception as exc:
            result.error = result.error or cell_error(exc, self.job.filename, cell.line)
        result.output = capture.text
        result.displays = shown.placed(capture.positions, len(result.output))
        result.truncated = capture.truncated
        result.seconds = time.perf_counter() - started
        return result

    def _execute(self, cell: Cell, result: CellResult) -> None:
        try:
            namespace = self.module(cell.session, cell.line).__dict__
            sys.modules["__main__"] = self.modules[cell.session]
            if cell.session in self.preamble_errors:
                result.error = self.preamble_errors[cell.session]
            elif cell.kind == "inline":
                value = eval(self.compile_at(cell.code, cell.line, "eval"), namespace)
                result.value = str(value)
            else:
                context = _Context(self.job.cwd, namespace, self.compile_at, self.job.filename)
                formatter_for(cell.language).execute(cell, context, result)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are author errors too
            result.error = cell_error(exc, self.job.filename, cell.line)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a fence's formatter runs it with (see :mod:`..formatters`)."""

    cwd: str
    _namespace: dict[str, Any]
    _compile_at: Callable[[str, int, str], Any]
    filename: str

    def namespace(self) -> dict[str, Any]:
        return self._namespace

    def compile_at(self, code: str, line: int, mode: str) -> Any:
        return self._compile_at(code, line, mode)


def run_page(job: PageJob, emit: Emit) -> None:
    """Run every cell of ``job`` in document order; fences of one session share a namespace."""
    display.install()
    page = _Page(job)
    for cell in job.cells:
        emit(cell.index, page.run(cell))
