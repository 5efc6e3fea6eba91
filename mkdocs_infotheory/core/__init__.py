"""The execution core: Markdown page in, Markdown with executed results out.

No MkDocs imports here, so the same core can serve the MkDocs plugin, a Python-Markdown
extension and other builders. Modules, in the order data flows through them:
``parse`` (cells) -> ``prepared`` (a page prepared once) -> ``results`` (where results come
from: ``freeze``/``cache``/``runner``/``kernel``) -> ``render`` (Markdown) and
``diagnostics`` (messages), tied together by ``engine`` (one per build, with its
``settings`` and ``stats``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import Engine, EngineClosed
    from .model import Cell, CellError, CellResult, Diagnostic, FenceOptions
    from .parse import ParsedPage, parse_page
    from .prepared import PageOutcome, PreparedPage
    from .settings import EngineSettings
    from .stats import BuildStats

#: Where each public name lives. Imported on first use, so that the fork server and the page
#: processes, which import ``core.kernel``, do not pay for the engine, cache and renderer.
_HOMES = {
    "BuildStats": "stats",
    "Engine": "engine",
    "EngineClosed": "engine",
    "EngineSettings": "settings",
    "PageOutcome": "prepared",
    "PreparedPage": "prepared",
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
    "EngineClosed",
    "EngineSettings",
    "FenceOptions",
    "PageOutcome",
    "ParsedPage",
    "PreparedPage",
    "parse_page",
]


__getattr__ = lazy_exports(__name__, _HOMES, globals())
