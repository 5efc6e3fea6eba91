"""Where a page's results come from: the engine's decision table, every row of it.

:meth:`Engine.results` is the one place that picks frozen results, the cache, a run or a note
for a page. Each row below is one combination of the freeze mode, a cache entry, the page's
frozen file and ``execute``, with where the results came from and what the cache and the frozen
file hold afterwards. The stores are real (files in a temporary folder) and so is a run (the
page's one fence prints ``ran``), so a row fails when a store is read or written where it
should not be, or code runs where nothing may run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_infotheory.core import CellResult, Engine, EngineSettings
from mkdocs_infotheory.core.engine import EXECUTION_OFF
from mkdocs_infotheory.core.freeze import NOT_FROZEN

PAGE = 'Text.\n\n```python exec="on"\nprint("ran")\n```\n'
#: The same page before its code changed: a frozen file of it is outdated for ``PAGE``.
OLD_PAGE = PAGE.replace('"ran"', '"old"')
FILENAME = "docs/page.md"

# mode   cache  frozen    execute -> results     cache after  frozen after
#
# ``frozen`` before: current (frozen for this code), outdated (for OLD_PAGE), missing.
# Results: frozen / cached / ran (the planted output, or the run's), off (the "execution is
# off" note), not-frozen (the note that says how to freeze the page).
# After: what a fresh look at the cache and the frozen file finds (``-`` nothing current).
TABLE = """
false  hit   current   on   cached      cached  current
false  hit   current   off  cached      cached  current
false  hit   outdated  on   cached      cached  outdated
false  hit   outdated  off  cached      cached  outdated
false  hit   missing   on   cached      cached  missing
false  hit   missing   off  cached      cached  missing
false  miss  current   on   ran         ran     current
false  miss  current   off  off         -       current
false  miss  outdated  on   ran         ran     outdated
false  miss  outdated  off  off         -       outdated
false  miss  missing   on   ran         ran     missing
false  miss  missing   off  off         -       missing
auto   hit   current   on   frozen      cached  current
auto   hit   current   off  frozen      cached  current
auto   hit   outdated  on   cached      cached  cached
auto   hit   outdated  off  cached      cached  cached
auto   hit   missing   on   cached      cached  cached
auto   hit   missing   off  cached      cached  cached
auto   miss  current   on   frozen      -       current
auto   miss  current   off  frozen      -       current
auto   miss  outdated  on   ran         ran     ran
auto   miss  outdated  off  off         -       outdated
auto   miss  missing   on   ran         ran     ran
auto   miss  missing   off  off         -       missing
true   hit   current   on   frozen      cached  current
true   hit   current   off  frozen      cached  current
true   hit   outdated  on   not-frozen  cached  outdated
true   hit   outdated  off  not-frozen  cached  outdated
true   hit   missing   on   not-frozen  cached  missing
true   hit   missing   off  not-frozen  cached  missing
true   miss  current   on   frozen      -       current
true   miss  current   off  frozen      -       current
true   miss  outdated  on   not-frozen  -       outdated
true   miss  outdated  off  not-frozen  -       outdated
true   miss  missing   on   not-frozen  -       missing
true   miss  missing   off  not-frozen  -       missing
"""
ROWS = [tuple(line.split()) for line in TABLE.strip().splitlines()]

#: What each store is planted with, so a result names where it came from.
PLANTED = {"cached": "from the cache\n", "current": "frozen\n"}


def _settings(tmp_path: Path, freeze: str = "auto", execute: bool = True) -> EngineSettings:
    return EngineSettings(
        execute=execute,
        cache_dir=tmp_path / "cache",
        freeze=freeze,  # type: ignore[arg-type]
        freeze_dir=tmp_path / "frozen",
        docs_prefix="docs",
        cwd=str(tmp_path),
    )


def _plant(tmp_path: Path, cache: str, frozen: str) -> None:
    """Put the cache entry and the frozen file in place, through an engine's own stores."""
    engine = Engine(_settings(tmp_path))
    assert engine.cache is not None and engine.freeze is not None
    page = engine.prepare(FILENAME, PAGE)
    if cache == "hit":
        engine.cache.put(page.key, [CellResult(output=PLANTED["cached"])])
    if frozen != "missing":
        cells = page.cells if frozen == "current" else engine.prepare(FILENAME, OLD_PAGE).cells
        assert engine.freeze.put(FILENAME, cells, [CellResult(output=PLANTED["current"])])


def _source(result: CellResult) -> str:
    if result.skipped == EXECUTION_OFF:
        return "off"
    if result.skipped and result.skipped.startswith(NOT_FROZEN):
        return "not-frozen"
    assert not result.skipped and result.error is None, result
    named = {"from the cache\n": "cached", "frozen\n": "frozen", "ran\n": "ran"}
    return named[result.output]


def _stores_after(tmp_path: Path) -> tuple[str, str]:
    """What a fresh engine finds: the cache entry's origin, and the frozen file's state."""
    engine = Engine(_settings(tmp_path))
    assert engine.cache is not None and engine.freeze is not None
    page = engine.prepare(FILENAME, PAGE)
    cached = engine.cache.get(page.key, 1)
    cache = _source(cached[0]) if cached else "-"
    check = engine.freeze.check(FILENAME, page.cells)
    if check.complete:
        output = check.results[0].output
        frozen = "current" if output == PLANTED["current"] else _source(check.results[0])
    elif (tmp_path / "frozen" / "page.md.json").exists():
        frozen = "outdated"
    else:
        frozen = "missing"
    return cache, frozen


def test_the_table_covers_every_combination_once() -> None:
    combinations = {row[:4] for row in ROWS}
    assert len(combinations) == len(ROWS) == 3 * 2 * 3 * 2


@pytest.mark.parametrize(
    ("mode", "cache", "frozen", "execute", "source", "cache_after", "frozen_after"),
    ROWS,
    ids=["-".join(row[:4]) for row in ROWS],
)
def test_where_results_come_from(
    tmp_path: Path,
    mode: str,
    cache: str,
    frozen: str,
    execute: str,
    source: str,
    cache_after: str,
    frozen_after: str,
) -> None:
    _plant(tmp_path, cache, frozen)
    engine = Engine(_settings(tmp_path, mode, execute == "on"))
    try:
        results = engine.results(engine.prepare(FILENAME, PAGE))
    finally:
        engine.close()
    assert [_source(result) for result in results] == [source]
    assert _stores_after(tmp_path) == (cache_after, frozen_after)
