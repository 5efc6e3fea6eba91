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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from .. import __version__
from .cache import ResultCache, fingerprint_files, page_key
from .displayed import display_problems
from .model import Cell, CellResult, Diagnostic
from .parse import ParsedPage, parse_page
from .render import Placeholder, render_page

if TYPE_CHECKING:
    # Imported where first needed: a build whose results all come from the cache runs
    # nothing, so it never pays for the runner, the kernel, the thread pool (about 13 ms of
    # CPU to import), nor for frozen results when ``freeze`` is off.
    from concurrent.futures import Future, ThreadPoolExecutor

    from .freeze import FreezeCheck, FreezeMode, FreezeStore
    from .kernel import PageJob
    from .runner import ProcessRunner

EXECUTION_OFF = (
    "not executed: execution is off (execute: false, or MKDOCS_INFOTHEORY_EXECUTE=false) "
    "and no cached result exists for this page"
)


@dataclass(frozen=True)
class EngineSettings:
    """Build-wide settings; adapters fill them from their own configuration.

    The core knows no particular library: which modules every namespace imports
    (``preamble``), which the worker imports once ahead of time (``preload``) and which
    sources feed every cache key (``dependencies``) all come from the adapter
    (see :mod:`mkdocs_infotheory.hosts.defaults`).
    """

    preamble: str = ""
    timeout: float = 30.0
    max_output: int = 100_000
    execute: bool = True
    cache_dir: Path | None = None
    workers: int = 1
    figure_format: Literal["svg", "png"] = "svg"
    #: Working directory of the code (the docs folder; made absolute by the engine, so a
    #: relative ``docs`` means the same folder in the runner and in a bash fence) and extra
    #: ``sys.path`` entries.
    cwd: str = "."
    paths: tuple[str, ...] = ()
    #: Files and folders whose content is part of every cache key (the adapter lists the
    #: bundled compute source first, then the author's ``dependencies``).
    dependencies: tuple[Path, ...] = ()
    #: Modules the worker process imports once (e.g. numpy), so each page starts fast.
    preload: tuple[str, ...] = ()
    #: Folders inside listed dependencies that are not content (the cache, the built site).
    unhashed: tuple[Path, ...] = ()
    #: Frozen results (:mod:`.freeze`): ``auto`` reuses and writes them, ``true`` only reads
    #: them (nothing executes). ``docs_prefix`` is how page names start (``docs``): a page
    #: ``docs/a/b.md`` is frozen in ``<freeze_dir>/a/b.md.json``.
    freeze: FreezeMode = "false"
    freeze_dir: Path | None = None
    docs_prefix: str = ""
    #: The configuration (``mkdocs.yml``) whose pages this build claims in ``freeze_dir``.
    freeze_owner: str = "mkdocs.yml"
    #: ``markdown-exec``: fences read with markdown-exec's defaults (see :func:`.parse_page`).
    compat: str = ""


class BuildStats:
    """What one build did, for the log line at its end.

    A plain class, as are :class:`PageOutcome` and the internal records: making a dataclass
    costs every build's start-up 0.2-1 ms, about what the plugin spends on ten pages.
    """

    __slots__ = (
        "failures",
        "fences_cached",
        "fences_frozen",
        "fences_run",
        "pages",
        "pages_frozen",
        "pages_not_frozen",
        "seconds",
    )

    def __init__(self) -> None:
        self.pages = 0
        self.fences_run = 0
        self.fences_cached = 0
        self.failures = 0
        self.seconds = 0.0
        self.fences_frozen = 0
        self.pages_not_frozen = 0
        #: Pages whose frozen-results file this build wrote or updated.
        self.pages_frozen = 0

    def summary(self) -> str:
        text = (
            f"{self.pages} pages with code, {self.fences_run} fences run, "
            f"{self.fences_cached} from cache, {self.failures} failures, "
            f"{self.seconds:.2f} s executing"
        )
        if self.fences_frozen or self.pages_frozen or self.pages_not_frozen:
            text += (
                f"; {self.fences_frozen} fences from frozen results, "
                f"{self.pages_frozen} pages frozen, {self.pages_not_frozen} not frozen"
            )
        return text


class PreparedPage(NamedTuple):
    """One page as the engine sees it, computed once and used by every later step.

    ``filename`` is how messages name the page (e.g. ``docs/index.md``); ``first_line`` is the
    file line where ``text`` starts (after front matter); ``key`` is the cache key of its cells
    ("" when it has none). Immutable, as a named tuple (a frozen dataclass costs every build's
    start-up ~0.4 ms to create).
    """

    filename: str
    text: str
    first_line: int
    parsed: ParsedPage
    key: str
    #: The text as the host handed it over (``text`` unless the adapter expanded it).
    source: str = ""

    @property
    def cells(self) -> list[Cell]:
        return self.parsed.cells

    @property
    def has_work(self) -> bool:
        """Whether processing can change the text (cells to run or fences to report)."""
        return bool(self.parsed.cells or self.parsed.problems or self.parsed.plain)


class PageOutcome:
    """A page's Markdown with its results, and what to tell the author about it."""

    __slots__ = ("diagnostics", "markdown", "results")

    def __init__(
        self,
        markdown: str,
        diagnostics: list[Diagnostic] | None = None,
        results: list[CellResult] | None = None,
    ) -> None:
        self.markdown = markdown
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []
        #: One result per cell (hosts that report rather than render, e.g. pytest, read them).
        self.results: list[CellResult] = results if results is not None else []


class _Run(NamedTuple):  # internal: a named tuple costs less to create than a dataclass
    results: list[CellResult]
    seconds: float


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
        self._reuse = dict(reuse or {})
        self._remember = remember
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
        self._runner: ProcessRunner | None = None
        self._runner_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[tuple[str, str], Future[_Run]] = {}
        #: Results waiting to be written to the cache, and how many pages are running now.
        self._unstored: list[tuple[str, list[CellResult]]] = []
        self._running = 0
        self._store_lock = threading.Lock()
        self._prefetch_lock = threading.Lock()
        #: Told when a page run is queued, starts and is done (the host's progress reporter).
        self.observer: Callable[[str, str], None] | None = None

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
            parsed = _remap_lines(parsed, first_line, line_map)
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
            if self._runner is None:
                from .runner import ProcessRunner

                self._runner = ProcessRunner(
                    self.settings.preload, self.threads_per_page, self.settings.workers
                )
            return self._runner

    def _execute(self, job: PageJob, key: str) -> _Run:
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
        return _Run(results, seconds)

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
        if self.settings.execute and self.settings.freeze != "true":
            self._started_runner()

    @property
    def has_cached_results(self) -> bool:
        """Whether the results cache holds any entry (a fresh CI runner's has none)."""
        return self.cache is not None and self.cache.has_entries()

    def _cached(self, key: str, cells: Sequence[Cell]) -> list[CellResult] | None:
        return self.cache.get(key, len(cells)) if self.cache else None

    def _frozen(self, page: PreparedPage) -> FreezeCheck | None:
        return self.freeze.check(page.filename, page.cells) if self.freeze else None

    def prefetch(self, page: PreparedPage) -> bool:
        """Start running ``page`` in the background if it has code and no cached or frozen
        results (``freeze: true`` never runs anything). Returns whether the page waits for a
        run (False: :meth:`process` will find its results, or has nothing to run)."""
        if not self.settings.execute or not page.cells or self.settings.freeze == "true":
            return False
        # A host may prefetch from two threads (the MkDocs plugin's early start and on_files):
        # the same page must run once.
        with self._prefetch_lock:
            return self._prefetch(page)

    def _prefetch(self, page: PreparedPage) -> bool:
        if (page.filename, page.key) in self._pending:
            return True
        frozen = self._frozen(page)
        if frozen is not None and frozen.complete:
            return False
        if page.key in self._reuse:
            return False
        if self.cache and self.cache.has(page.key):
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
        if not page.has_work:
            return PageOutcome(page.text)
        # A fence with unusable options fails like a fence that raised (--strict aborts on both).
        self.stats.failures += len(page.parsed.problems)
        results = self.results(page)
        markdown = render_page(page.text, page.parsed, results, placeholder, page.filename)
        return PageOutcome(markdown, self._diagnostics(page, results), results)

    def process_text(
        self, filename: str, text: str, placeholder: Placeholder, first_line: int = 1
    ) -> PageOutcome:
        """:meth:`prepare` then :meth:`process`, for hosts that see each page once."""
        return self.process(self.prepare(filename, text, first_line), placeholder)

    def results(self, page: PreparedPage) -> list[CellResult]:
        """:meth:`_results`, each through the one check fresh, cached and frozen results all
        pass before rendering (:mod:`.sanitize`)."""
        from .sanitize import checked_results

        results, refused = checked_results(
            page.cells, self._results(page), self.settings.max_output
        )
        self.stats.failures += refused
        return results

    def _results(self, page: PreparedPage) -> list[CellResult]:
        """One result per cell of ``page``: from its current frozen results, its background
        run, the cache, a fresh run, or a "not executed" note when execution is off (or, under
        ``freeze: true``, for the cells from the first one without a current frozen result).
        Failures are never cached nor frozen."""
        cells = page.cells
        if not cells:
            return []
        self.stats.pages += 1
        fences = sum(1 for cell in cells if cell.kind == "fence")
        frozen = self._frozen(page)
        if frozen is not None and frozen.complete:
            self.stats.fences_frozen += fences
            return frozen.results
        if frozen is not None and self.settings.freeze == "true":
            self.stats.pages_not_frozen += 1
            return frozen.results + self._not_frozen(page, frozen)
        future = self._pending.pop((page.filename, page.key), None)
        reused = self._reuse.get(page.key)
        if future is None and reused is not None and len(reused) == len(cells):
            self.stats.fences_cached += fences
            self.stats.failures += sum(1 for r in reused if r.failed)
            self._keep(page.key, reused)
            return reused
        cached = None if future else self._cached(page.key, cells)
        if cached is not None:
            self.stats.fences_cached += fences
            self._keep(page.key, cached)
            self._put_frozen(page, cached)
            return cached
        if not self.settings.execute:
            return [CellResult(skipped=EXECUTION_OFF) for _ in cells]
        run = future.result() if future else self._execute(self._job(page), page.key)
        self.stats.fences_run += fences
        self.stats.seconds += run.seconds
        self.stats.failures += sum(1 for r in run.results if r.failed)
        self._keep(page.key, run.results)
        self._put_frozen(page, run.results)
        return run.results

    def _keep(self, key: str, results: list[CellResult]) -> None:
        if self._remember:
            self.memory[key] = results

    def _put_frozen(self, page: PreparedPage, results: list[CellResult]) -> None:
        if self.freeze is not None and self.settings.freeze == "auto":
            self.stats.pages_frozen += self.freeze.put(page.filename, page.cells, results)

    def _not_frozen(self, page: PreparedPage, frozen: FreezeCheck) -> list[CellResult]:
        """Notes for the cells from the first one without a current frozen result: the first
        says why and what to do (and becomes the page's warning), the rest point to it."""
        from .freeze import NOT_FROZEN

        assert self.freeze is not None
        first = len(frozen.results)
        name = self.freeze.name(page.filename)
        where = f"{self.freeze.directory.name}/{name}" if name else ""
        advice = (
            "freeze: true never runs code; build with freeze: auto (or "
            "MKDOCS_INFOTHEORY_FREEZE=auto) where the code can run"
            + (f", then commit {where}" if where else "")
        )
        notes = [CellResult(skipped=f"{NOT_FROZEN}: {frozen.reason} ({advice})")]
        later = f"{NOT_FROZEN}: an earlier cell of this page has no current frozen result"
        notes.extend(CellResult(skipped=later) for _ in page.cells[first + 1 :])
        return notes

    def _diagnostics(self, page: PreparedPage, results: Sequence[CellResult]) -> list[Diagnostic]:
        filename, parsed = page.filename, page.parsed
        found: list[Diagnostic] = [
            Diagnostic("warning", filename, p.line, f"invalid fence: {p.message}")
            for p in parsed.problems
        ]
        found.extend(
            Diagnostic("warning", filename, p.line, f"invalid fence: {p.message}")
            for p in parsed.plain
            if p.message
        )
        for cell, result in zip(parsed.cells, results, strict=True):
            if result.error is not None:
                error = result.error
                detail = error.traceback.rstrip()
                detail += f"\nHint: {error.hint}" if detail and error.hint else ""
                found.append(Diagnostic("warning", filename, error.line, error.summary(), detail))
            for mismatch in result.mismatches:
                found.append(
                    Diagnostic(
                        "warning",
                        filename,
                        mismatch.line,
                        f"doctest output differs for `{mismatch.source}`: expected "
                        f"{mismatch.expected.strip()!r}, got {mismatch.got.strip()!r}",
                        f"Expected:\n{_indented(mismatch.expected)}\n"
                        f"Got:\n{_indented(mismatch.got)}",
                    )
                )
            if result.truncated:
                what = "inline value" if cell.kind == "inline" else "output"
                found.append(
                    Diagnostic(
                        "warning",
                        filename,
                        cell.line,
                        f"{what} truncated to max_output={self.settings.max_output} characters",
                    )
                )
            found.extend(display_problems(cell, result, filename))
            if result.skipped == EXECUTION_OFF and cell.index == 0:
                found.append(Diagnostic("info", filename, cell.line, EXECUTION_OFF))
            if result.skipped and self.freeze is not None:
                from .freeze import NOT_FROZEN  # notes only frozen results write

                if result.skipped.startswith(NOT_FROZEN) and not any(
                    d.message.startswith(NOT_FROZEN) for d in found
                ):
                    found.append(Diagnostic("warning", filename, cell.line, result.skipped))
        found.sort(key=lambda d: d.line)
        return found

    def close(self) -> None:
        """End background work: pages nobody asked for are cancelled, pages still running are
        killed with everything they started (adapters evict unused cache entries afterwards;
        call it too when the host stops, e.g. Ctrl-C on ``mkdocs serve``)."""
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


def _remap_lines(parsed: ParsedPage, first_line: int, line_map: Sequence[int]) -> ParsedPage:
    def line(number: int) -> int:
        index = min(max(number - first_line, 0), len(line_map) - 1)
        return first_line - 1 + line_map[index]

    return ParsedPage(
        cells=[replace(cell, line=line(cell.line)) for cell in parsed.cells],
        problems=[replace(problem, line=line(problem.line)) for problem in parsed.problems],
        plain=[replace(fence, line=line(fence.line)) for fence in parsed.plain],
    )


def _cap_inline_value(result: CellResult, limit: int) -> None:
    """Cut an inline value to ``limit`` characters, like fence output (``max_output``).

    Done here, before caching and rendering, so a runaway value (``'y' * 20_000_000``) reaches
    neither the page, nor the search index, nor the cache.
    """
    if result.value is not None and len(result.value) > limit:
        result.value = result.value[:limit]
        result.truncated = True


def _indented(text: str) -> str:
    """Doc-test output set off by four spaces (``<nothing>`` when empty), as doctest does."""
    lines = text.rstrip("\n").split("\n") if text.strip() else ["<nothing>"]
    return "\n".join(f"    {line}" for line in lines)
