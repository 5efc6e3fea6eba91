"""The core's one entry point: Markdown of a page in, Markdown with results out.

Adapters (the MkDocs plugin, the Python-Markdown extension) create one :class:`Engine` per
build and :meth:`~Engine.prepare` each page once: the :class:`PreparedPage` record holds the
page's display path, text, first line, cells and cache key, so nothing is parsed or hashed
twice. They may :meth:`~Engine.prefetch` every prepared page so pages execute in parallel
while the builder is still busy elsewhere, then call :meth:`~Engine.process` with the same
record and log the returned diagnostics their own way. :meth:`~Engine.results` is the one
place that decides where a page's results come from (frozen results, a background run, the
cache, a fresh run, or nothing when execution is off or the page must be frozen).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .cache import ResultCache, fingerprint_files, page_key
from .diagnostics import page_diagnostics
from .model import Cell, CellResult
from .parse import parse_page
from .prepared import PageOutcome, PreparedPage, remap_lines
from .render import Placeholder, render_page
from .results import EXECUTION_OFF, ResultSources, Run
from .settings import EngineSettings
from .stats import BuildStats

if TYPE_CHECKING:
    # Imported where first needed: a build whose results all come from the cache runs
    # nothing, so it never imports the runner, the kernel and the thread pool, nor frozen
    # results when ``freeze`` is off.
    from concurrent.futures import Future, ThreadPoolExecutor

    from .freeze import FreezeStore
    from .kernel import PageJob
    from .runner import ProcessRunner

#: Names that lived here before the engine's records got modules of their own.
__all__ = [
    "EXECUTION_OFF",
    "BuildStats",
    "Engine",
    "EngineClosed",
    "EngineSettings",
    "PageOutcome",
    "PreparedPage",
]


class EngineClosed(RuntimeError):
    """A closed engine was asked to run or process a page: an engine serves one build."""


class Engine:
    """Parses, executes (isolated, cached, in parallel) and renders pages."""

    def __init__(
        self,
        settings: EngineSettings,
        reuse: Mapping[str, list[CellResult]] | None = None,
        remember: bool = False,
    ) -> None:
        """``reuse``: results by page key from the previous build (its :attr:`memory`), used
        instead of running pages again, failures included; for a rebuild that nothing but
        the previous build's own fences caused (see :mod:`.writes`). ``remember``: keep
        every page's results in :attr:`memory` for that (a host that rebuilds, e.g.
        ``mkdocs serve``); otherwise a page's results are let go once it is rendered."""
        self.settings = settings
        #: Every page's results of this build, by key (what a next build may reuse), when
        #: the host asked to ``remember`` them.
        self.memory: dict[str, list[CellResult]] = {}
        self.stats = BuildStats()
        self.cache = ResultCache(settings.cache_dir) if settings.cache_dir else None
        self._cwd = str(Path(settings.cwd).resolve())
        sources = fingerprint_files(settings.dependencies, settings.unhashed)
        self._environment = sources + "\0".join(
            [__version__, settings.preamble, str(settings.max_output), settings.figure_format]
        )
        self.freeze: FreezeStore | None = None
        if settings.freeze != "false" and settings.freeze_dir is not None:
            from .freeze import FreezeStore, inputs_key

            inputs = inputs_key(
                sources, settings.preamble, settings.max_output, settings.figure_format
            )
            self.freeze = FreezeStore(
                settings.freeze_dir, settings.docs_prefix, inputs, settings.freeze_owner
            )
        self._sources = ResultSources(
            settings,
            self.stats,
            self.cache,
            self.freeze,
            dict(reuse or {}),
            self.memory if remember else None,
        )
        self._runner: ProcessRunner | None = None
        self._runner_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[tuple[str, str], Future[Run]] = {}
        #: Results waiting to be written to the cache, and how many pages are running now.
        self._unstored: list[tuple[str, list[CellResult]]] = []
        self._running = 0
        self._store_lock = threading.Lock()
        self._prefetch_lock = threading.Lock()
        #: Told when a page run is queued, starts and is done (the host's progress reporter).
        self.observer: Callable[[str, str], None] | None = None
        #: Set by :meth:`close`: nothing runs or is processed afterwards.
        self._closed = False

    def prepare(
        self,
        filename: str,
        text: str,
        first_line: int = 1,
        line_map: Sequence[int] | None = None,
        source: str | None = None,
    ) -> PreparedPage:
        """Parse ``text`` once and compute its cache key: the record every later step uses.

        ``line_map`` is for text the host expanded (e.g. snippets): the file line, counted
        from ``first_line``, of each line of ``text``; ``source`` what the host handed over
        before expanding it (adapters compare it to tell whether the page changed since).
        """
        parsed = parse_page(text, first_line, self.settings.compat)
        if line_map:
            parsed = remap_lines(parsed, first_line, line_map)
        key = page_key(parsed.cells, self._environment) if parsed.cells else ""
        original = text if source is None else source
        return PreparedPage(filename, text, first_line, parsed, key, original)

    # -- execution -----------------------------------------------------------------------
    def _job(self, page: PreparedPage) -> PageJob:
        from .kernel import PageJob

        s = self.settings
        return PageJob(
            filename=page.filename,
            # Padded so that tracebacks quote the right lines of the author's file.
            source="\n" * (page.first_line - 1) + page.text,
            cells=tuple(page.cells),
            preamble=s.preamble,
            cwd=self._cwd,
            paths=s.paths,
            max_output=s.max_output,
            figure_format=s.figure_format,
        )

    def _timeout(self, cell: Cell) -> float:
        return cell.options.timeout or self.settings.timeout

    @property
    def threads_per_page(self) -> int:
        """The CPUs each running page may use for numerical thread pools (BLAS, OpenMP):
        ``workers`` pages run at once, so together they use every CPU and no more."""
        return max(1, (os.cpu_count() or 1) // max(1, self.settings.workers))

    def _started_runner(self) -> ProcessRunner:
        """The runner, created once (pool threads may ask at the same time). Its fork server
        starts in the background at the first page that must run, usually from
        :meth:`prefetch` while the host is still busy: a build that runs nothing (no code,
        everything cached) starts no process at all."""
        with self._runner_lock:
            self._check_open()
            if self._runner is None:
                from .runner import ProcessRunner

                self._runner = ProcessRunner(
                    self.settings.preload, self.threads_per_page, self.settings.workers
                )
            return self._runner

    def _execute(self, job: PageJob, key: str) -> Run:
        """Run ``job`` and store its results under ``key``. Called on the pool's threads for
        prefetched pages, so the cache write stays off the host's thread."""
        runner = self._started_runner()
        with self._store_lock:
            self._running += 1
        started = time.perf_counter()
        if self.observer is not None:
            self.observer("started", job.filename)
        try:
            results = runner.run(job, self._timeout)
        except BaseException:
            self._store()
            raise
        finally:
            if self.observer is not None:
                self.observer("done", job.filename)
        seconds = time.perf_counter() - started
        for cell, result in zip(job.cells, results, strict=True):
            if cell.kind == "inline":
                _cap_inline_value(result, self.settings.max_output)
        self._store((key, results))
        return Run(results, seconds)

    def _store(self, entry: tuple[str, list[CellResult]] | None = None) -> None:
        """Queue ``entry`` for the cache; write the queue once no page is running.

        Why wait: a cache file is half a dozen system calls, and at each one this thread lets
        go of the GIL and then waits to take it back from the host's busy thread (up to its
        5 ms switch interval), which delays the next page. Once the last page has run, the
        host is rendering templates and the writes cost nobody anything.
        """
        with self._store_lock:
            if entry is not None and self.cache is not None:
                self._unstored.append(entry)
            self._running -= 1
            if self._running > 0:
                return
            entries, self._unstored = self._unstored, []
        self._write(entries)

    def _write(self, entries: list[tuple[str, list[CellResult]]]) -> None:
        if self.cache is not None:
            for key, results in entries:
                self.cache.put(key, results)

    def start_early(self) -> None:
        """Start the fork server now, in the background, for a host that knows early that
        pages will run (e.g. a build without any cached results): its start-up (importing
        numpy) then overlaps the host's own instead of delaying the first page."""
        self._check_open()
        if self.settings.execute and self.settings.freeze != "true":
            self._started_runner()

    @property
    def has_cached_results(self) -> bool:
        """Whether the results cache holds any entry (a fresh CI runner's has none)."""
        return self.cache is not None and self.cache.has_entries()

    def prefetch(self, page: PreparedPage) -> bool:
        """Start running ``page`` in the background if it has code and no cached or frozen
        results (``freeze: true`` never runs anything). Returns whether the page waits for a
        run (False: :meth:`process` will find its results, or has nothing to run)."""
        self._check_open()
        if not self.settings.execute or not page.cells or self.settings.freeze == "true":
            return False
        # A host may prefetch from two threads (the MkDocs plugin's early start and on_files):
        # the same page must run once.
        with self._prefetch_lock:
            return self._prefetch(page)

    def _prefetch(self, page: PreparedPage) -> bool:
        if (page.filename, page.key) in self._pending:
            return True
        if self._sources.found(page):
            return False
        self._started_runner()
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            # Twice as many pages in flight as run at once: the next ones wait in the fork
            # server, which starts each the moment a running page ends.
            self._pool = ThreadPoolExecutor(2 * max(1, self.settings.workers), "infotheory")
        if self.observer is not None:  # before the pool can start it
            self.observer("queued", page.filename)
        self._pending[(page.filename, page.key)] = self._pool.submit(
            self._execute, self._job(page), page.key
        )
        return True

    def waits_for_run(self, page: PreparedPage) -> bool:
        """Whether ``page``'s results come from a run started by :meth:`prefetch` (False:
        :meth:`process` finds them at once, from the cache, frozen or reused results)."""
        return (page.filename, page.key) in self._pending

    def discard(self, page: PreparedPage) -> None:
        """Forget a background run nobody will ask for (the host changed the page's text)."""
        future = self._pending.pop((page.filename, page.key), None)
        if future is not None:
            future.cancel()

    def process(self, page: PreparedPage, placeholder: Placeholder) -> PageOutcome:
        """Execute the page's cells (or reuse results) and render them into its Markdown."""
        self._check_open()
        if not page.has_work:
            return PageOutcome(page.text)
        # A fence with unusable options fails like a fence that raised (--strict aborts on both).
        self.stats.failures += len(page.parsed.problems)
        results = self.results(page)
        markdown = render_page(page.text, page.parsed, results, placeholder, page.filename)
        diagnostics = page_diagnostics(
            page, results, self.settings.max_output, self.freeze is not None
        )
        return PageOutcome(markdown, diagnostics, results)

    def process_text(
        self, filename: str, text: str, placeholder: Placeholder, first_line: int = 1
    ) -> PageOutcome:
        """:meth:`prepare` then :meth:`process`, for hosts that see each page once."""
        return self.process(self.prepare(filename, text, first_line), placeholder)

    def results(self, page: PreparedPage) -> list[CellResult]:
        """One result per cell of ``page`` (where from: :meth:`.ResultSources.results`), each
        through the one check fresh, cached and frozen results all pass before rendering
        (:mod:`.sanitize`)."""
        self._check_open()
        from .sanitize import checked_results

        results, refused = checked_results(
            page.cells,
            self._sources.results(
                page,
                lambda: self._background(page),
                lambda: self._execute(self._job(page), page.key),
            ),
            self.settings.max_output,
        )
        self.stats.failures += refused
        return results

    def _background(self, page: PreparedPage) -> Future[Run] | None:
        """Hand over the run :meth:`prefetch` started for ``page`` (None: there is none)."""
        return self._pending.pop((page.filename, page.key), None)

    def _check_open(self) -> None:
        if self._closed:
            raise EngineClosed(
                "this engine was closed at the end of its build; make a new Engine for the "
                "next build (a closed one starts no process, thread or pool again)"
            )

    def close(self) -> None:
        """End the build's background work, for good: pages nobody asked for are cancelled,
        pages still running are killed with everything they started, the thread pool is
        shut down (adapters evict unused cache entries afterwards; call it too when the host
        stops, e.g. Ctrl-C on ``mkdocs serve``). Closing again does nothing new; asking a
        closed engine to run or process a page raises :class:`EngineClosed`. Its records
        (:attr:`stats`, :attr:`memory`, :attr:`cache`, :attr:`freeze`) stay readable."""
        with self._runner_lock:
            self._closed = True
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        with self._runner_lock:
            runner = self._runner
        if runner is not None:
            runner.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        with self._store_lock:  # what pages that ran meanwhile left (normally nothing)
            entries, self._unstored = self._unstored, []
        self._write(entries)


def _cap_inline_value(result: CellResult, limit: int) -> None:
    """Cut an inline value to ``limit`` characters, like fence output (``max_output``).

    Done here, before caching and rendering, so a runaway value (``'y' * 20_000_000``) reaches
    neither the page, nor the search index, nor the cache.
    """
    if result.value is not None and len(result.value) > limit:
        result.value = result.value[:limit]
        result.truncated = True
