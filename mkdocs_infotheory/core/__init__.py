"""The execution core: Markdown page in, Markdown with executed results out.

No MkDocs imports here, so the same core can serve the MkDocs plugin, a Python-Markdown
extension and other builders. Modules, in the order data flows through them:
``parse`` (cells) -> ``cache``/``runner``/``kernel`` (results) -> ``render`` (Markdown),
tied together by ``engine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import BuildStats, Engine, EngineSettings, PageOutcome, PreparedPage
    from .model import Cell, CellError, CellResult, Diagnostic, FenceOptions
    from .parse import ParsedPage, parse_page

#: Where each public name lives. Imported on first use, so that the fork server and the page
#: processes, which import ``core.kernel``, do not pay for the engine, cache and renderer.
_HOMES = {
    "BuildStats": "engine",
    "Engine": "engine",
    "EngineSettings": "engine",
    "PageOutcome": "engine",
    "PreparedPage": "engine",
    "Cell": "model",
    "CellError": "model",
    "CellResult": "model",
    "Diagnostic": "model",
    "FenceOptions": "model",
    "ParsedPage": "parse",
    "parse_page": "parse",
}

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


__getattr__ = lazy_exports(__name__, _HOMES, globals())
