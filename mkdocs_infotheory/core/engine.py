"""The core's one entry point: Markdown of a page in, Markdown with results out.

Adapters (the MkDocs plugin; a Python-Markdown extension later) create one :class:`Engine`
per build, may :meth:`~Engine.prefetch` every page so pages execute in parallel while the
builder is still busy elsewhere, then call :meth:`~Engine.process` for each page and log the
returned diagnostics their own way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .. import __version__
from .cache import ResultCache, fingerprint_files, page_key
from .dependencies import compute_source
from .kernel import PageJob
from .model import Cell, CellResult, Diagnostic
from .parse import ParsedPage, parse_page
from .render import Placeholder, render_page
from .runner import ProcessRunner

EXECUTION_OFF = (
    "not executed: execution is off (execute: false, or MKDOCS_INFOTHEORY_EXECUTE=false) "
    "and no cached result exists for this page"
)


#: Every namespace starts with this unless the author configures another preamble.
DEFAULT_PREAMBLE = "import numpy as np\nfrom mkdocs_infotheory.compute import *\n"


@dataclass(frozen=True)
class EngineSettings:
    """Build-wide settings; adapters fill them from their own configuration."""

    preamble: str = DEFAULT_PREAMBLE
    timeout: float = 30.0
    max_output: int = 100_000
    execute: bool = True
    cache_dir: Path | None = None
    workers: int = 1
    figure_format: Literal["svg", "png"] = "svg"
    #: Working directory of the code (the docs folder) and extra ``sys.path`` entries.
    cwd: str = "."
    paths: tuple[str, ...] = ()
    dependencies: tuple[Path, ...] = ()


@dataclass
class BuildStats:
    pages: int = 0
    fences_run: int = 0
    fences_cached: int = 0
    failures: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.pages} pages with code, {self.fences_run} fences run, "
            f"{self.fences_cached} from cache, {self.failures} failures, "
            f"{self.seconds:.2f} s executing"
        )


@dataclass
class PageOutcome:
    markdown: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Run:
    results: list[CellResult]
    seconds: float


class Engine:
    """Parses, executes (isolated, cached, in parallel) and renders pages."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.stats = BuildStats()
        self.cache = ResultCache(settings.cache_dir) if settings.cache_dir else None
        self._compute = fingerprint_files([compute_source()])
        self._environment = self._compute + fingerprint_files(settings.dependencies)
        self._environment += "\0".join(
            [__version__, settings.preamble, str(settings.max_output), settings.figure_format]
        )
        self._runner: ProcessRunner | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[tuple[str, str], Future[_Run]] = {}

    # -- execution -----------------------------------------------------------------------
    def _job(self, filename: str, text: str, cells: Sequence[Cell], first_line: int) -> PageJob:
        s = self.settings
        return PageJob(
            filename=filename,
            # Padded so that tracebacks quote the right lines of the author's file.
            source="\n" * (first_line - 1) + text,
            cells=tuple(cells),
            preamble=s.preamble,
            cwd=s.cwd,
            paths=s.paths,
            max_output=s.max_output,
            figure_format=s.figure_format,
            compute_fingerprint=self._compute,
        )

    def _timeout(self, cell: Cell) -> float:
        return cell.options.timeout or self.settings.timeout

    def _execute(self, job: PageJob) -> _Run:
        if self._runner is None:
            self._runner = ProcessRunner()
        started = time.perf_counter()
        results = self._runner.run(job, self._timeout)
        return _Run(results, time.perf_counter() - started)

    def _cached(self, key: str, cells: Sequence[Cell]) -> list[CellResult] | None:
        return self.cache.get(key, len(cells)) if self.cache else None

    def prefetch(self, filename: str, text: str, first_line: int = 1) -> None:
        """Start running a page in the background if it has code and no cached results."""
        if not self.settings.execute:
            return
        cells = parse_page(text, first_line).cells
        if not cells:
            return
        key = page_key(cells, self._environment)
        if (filename, key) in self._pending or (self.cache and self.cache.has(key)):
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max(1, self.settings.workers), "infotheory")
        job = self._job(filename, text, cells, first_line)
        self._pending[(filename, key)] = self._pool.submit(self._execute, job)

    def process(
        self, filename: str, text: str, placeholder: Placeholder, first_line: int = 1
    ) -> PageOutcome:
        """Execute ``text``'s cells (or reuse results) and render them into its Markdown.

        ``filename`` is how messages name the page (e.g. ``docs/index.md``); ``first_line`` is
        the file line where ``text`` starts (after front matter).
        """
        parsed = parse_page(text, first_line)
        if not parsed.cells and not parsed.problems:
            return PageOutcome(text)
        results = self._results(filename, text, parsed, first_line)
        markdown = render_page(text, parsed, results, placeholder, filename)
        return PageOutcome(markdown, self._diagnostics(filename, parsed, results))

    def _results(
        self, filename: str, text: str, parsed: ParsedPage, first_line: int
    ) -> list[CellResult]:
        cells = parsed.cells
        if not cells:
            return []
        self.stats.pages += 1
        fences = sum(1 for cell in cells if cell.kind == "fence")
        key = page_key(cells, self._environment)
        future = self._pending.pop((filename, key), None)
        cached = None if future else self._cached(key, cells)
        if cached is not None:
            self.stats.fences_cached += fences
            return cached
        if not self.settings.execute:
            return [CellResult(skipped=EXECUTION_OFF) for _ in cells]
        # Source text changes line numbers in messages, so a prefetched run must have seen the
        # same text; otherwise run again (only possible when another plugin edited the page).
        run = (
            future.result()
            if future
            else self._execute(self._job(filename, text, cells, first_line))
        )
        self.stats.fences_run += fences
        self.stats.seconds += run.seconds
        self.stats.failures += sum(1 for r in run.results if r.failed)
        if self.cache:
            self.cache.put(key, run.results)
        return run.results

    def _diagnostics(
        self, filename: str, parsed: ParsedPage, results: Sequence[CellResult]
    ) -> list[Diagnostic]:
        found: list[Diagnostic] = [
            Diagnostic("warning", filename, p.line, f"invalid fence: {p.message}")
            for p in parsed.problems
        ]
        for cell, result in zip(parsed.cells, results, strict=True):
            if result.error is not None:
                message = result.error.summary()
                found.append(Diagnostic("warning", filename, result.error.line, message))
            for mismatch in result.mismatches:
                found.append(
                    Diagnostic(
                        "warning",
                        filename,
                        mismatch.line,
                        f"doctest output differs for `{mismatch.source}`: expected "
                        f"{mismatch.expected.strip()!r}, got {mismatch.got.strip()!r}",
                    )
                )
            if result.truncated:
                found.append(
                    Diagnostic(
                        "warning",
                        filename,
                        cell.line,
                        f"output truncated to max_output={self.settings.max_output} characters",
                    )
                )
            if result.skipped == EXECUTION_OFF and cell.index == 0:
                found.append(Diagnostic("info", filename, cell.line, EXECUTION_OFF))
        found.sort(key=lambda d: d.line)
        return found

    def close(self) -> None:
        """Finish background work (adapters evict unused cache entries afterwards)."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
