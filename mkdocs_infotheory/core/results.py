"""Where a page's results come from: the one decision between frozen results, results reused
from the previous build, the cache, a (background or fresh) run, or a note saying nothing ran.

Failures are never cached nor frozen. The table of every case is
``tests/unit/core/test_results_table.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import CellResult
from .prepared import PreparedPage
from .settings import EngineSettings
from .stats import BuildStats

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .cache import ResultCache
    from .freeze import FreezeCheck, FreezeStore

EXECUTION_OFF = (
    "not executed: execution is off (execute: false, or MKDOCS_INFOTHEORY_EXECUTE=false) "
    "and no cached result exists for this page"
)


@dataclass(frozen=True, slots=True)
class Run:
    """What running a page gave: one result per cell, and the seconds it took."""

    results: list[CellResult]
    seconds: float


class ResultSources:
    """The stores a build's results may come from, and the rule that picks one per page.

    Owned by one :class:`~.engine.Engine` (which runs pages); it counts into the build's
    ``stats`` and, when given a ``memory``, keeps every page's results there by key.
    """

    def __init__(
        self,
        settings: EngineSettings,
        stats: BuildStats,
        cache: ResultCache | None,
        freeze: FreezeStore | None,
        reuse: Mapping[str, list[CellResult]],
        memory: dict[str, list[CellResult]] | None,
    ) -> None:
        self._settings = settings
        self._stats = stats
        self._cache = cache
        self._freeze = freeze
        self._reuse = reuse
        self._memory = memory

    def frozen(self, page: PreparedPage) -> FreezeCheck | None:
        return self._freeze.check(page.filename, page.cells) if self._freeze else None

    def found(self, page: PreparedPage) -> bool:
        """Whether ``page``'s results exist without running it (frozen, reused or cached)."""
        frozen = self.frozen(page)
        if frozen is not None and frozen.complete:
            return True
        if page.key in self._reuse:
            return True
        return bool(self._cache and self._cache.has(page.key))

    def results(
        self,
        page: PreparedPage,
        background: Callable[[], Future[Run] | None],
        run: Callable[[], Run],
    ) -> list[CellResult]:
        """One result per cell of ``page``: from its current frozen results, its background
        run (``background`` hands it over, or None), results reused from the previous build,
        the cache, a fresh ``run``, or a "not executed" note when execution is off (or, under
        ``freeze: true``, for the cells from the first one without a current frozen result)."""
        cells = page.cells
        if not cells:
            return []
        stats = self._stats
        stats.pages += 1
        fences = sum(1 for cell in cells if cell.kind == "fence")
        frozen = self.frozen(page)
        if frozen is not None and frozen.complete:
            stats.fences_frozen += fences
            return frozen.results
        if frozen is not None and self._settings.freeze == "true":
            stats.pages_not_frozen += 1
            return frozen.results + self._not_frozen(page, frozen)
        future = background()
        reused = self._reuse.get(page.key)
        if future is None and reused is not None and len(reused) == len(cells):
            stats.fences_cached += fences
            stats.failures += sum(1 for r in reused if r.failed)
            self._keep(page.key, reused)
            return reused
        cached = None if future or not self._cache else self._cache.get(page.key, len(cells))
        if cached is not None:
            stats.fences_cached += fences
            self._keep(page.key, cached)
            self._put_frozen(page, cached)
            return cached
        if not self._settings.execute:
            return [CellResult(skipped=EXECUTION_OFF) for _ in cells]
        done = future.result() if future else run()
        stats.fences_run += fences
        stats.seconds += done.seconds
        stats.failures += sum(1 for r in done.results if r.failed)
        self._keep(page.key, done.results)
        self._put_frozen(page, done.results)
        return done.results

    def _keep(self, key: str, results: list[CellResult]) -> None:
        if self._memory is not None:
            self._memory[key] = results

    def _put_frozen(self, page: PreparedPage, results: list[CellResult]) -> None:
        if self._freeze is not None and self._settings.freeze == "auto":
            self._stats.pages_frozen += self._freeze.put(page.filename, page.cells, results)

    def _not_frozen(self, page: PreparedPage, frozen: FreezeCheck) -> list[CellResult]:
        """Notes for the cells from the first one without a current frozen result: the first
        says why and what to do (and becomes the page's warning), the rest point to it."""
        from .freeze import NOT_FROZEN

        assert self._freeze is not None
        first = len(frozen.results)
        name = self._freeze.name(page.filename)
        where = f"{self._freeze.directory.name}/{name}" if name else ""
        advice = (
            "freeze: true never runs code; build with freeze: auto (or "
            "MKDOCS_INFOTHEORY_FREEZE=auto) where the code can run"
            + (f", then commit {where}" if where else "")
        )
        notes = [CellResult(skipped=f"{NOT_FROZEN}: {frozen.reason} ({advice})")]
        later = f"{NOT_FROZEN}: an earlier cell of this page has no current frozen result"
        notes.extend(CellResult(skipped=later) for _ in page.cells[first + 1 :])
        return notes
