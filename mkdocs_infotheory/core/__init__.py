"""The execution core: Markdown page in, Markdown with executed results out.

No MkDocs imports here, so the same core can serve the MkDocs plugin, a Python-Markdown
extension and other builders. Modules, in the order data flows through them:
``parse`` (cells) -> ``cache``/``runner``/``kernel`` (results) -> ``render`` (Markdown),
tied together by ``engine``.
"""

from __future__ import annotations

from .engine import BuildStats, Engine, EngineSettings, PageOutcome, PreparedPage
from .model import Cell, CellError, CellResult, Diagnostic, FenceOptions
from .parse import ParsedPage, parse_page

__all__ = [
    "BuildStats",
    "Cell",
    "CellError",
    "CellResult",
    "Diagnostic",
    "Engine",
    "EngineSettings",
    "FenceOptions",
    "PageOutcome",
    "ParsedPage",
    "PreparedPage",
    "parse_page",
]
