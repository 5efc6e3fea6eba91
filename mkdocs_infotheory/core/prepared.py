"""A page as the engine sees it: prepared once (parsed, keyed), and what processing returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .model import Cell, CellResult, Diagnostic
from .parse import ParsedPage


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """One page as the engine sees it, computed once and used by every later step.

    ``filename`` is how messages name the page (e.g. ``docs/index.md``); ``first_line`` is the
    file line where ``text`` starts (after front matter); ``key`` is the cache key of its cells
    ("" when it has none).
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


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """A page's Markdown with its results, and what to tell the author about it."""

    markdown: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: One result per cell (hosts that report rather than render, e.g. pytest, read them).
    results: list[CellResult] = field(default_factory=list)


def remap_lines(parsed: ParsedPage, first_line: int, line_map: Sequence[int]) -> ParsedPage:
    """``parsed`` with every line number moved from the expanded text to the author's file:
    ``line_map`` gives, counted from ``first_line``, the file line of each expanded line."""

    def line(number: int) -> int:
        index = min(max(number - first_line, 0), len(line_map) - 1)
        return first_line - 1 + line_map[index]

    return ParsedPage(
        cells=[replace(cell, line=line(cell.line)) for cell in parsed.cells],
        problems=[replace(problem, line=line(problem.line)) for problem in parsed.problems],
        plain=[replace(fence, line=line(fence.line)) for fence in parsed.plain],
    )
