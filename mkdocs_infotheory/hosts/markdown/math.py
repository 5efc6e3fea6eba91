"""The extension's math step: the plugin's, on the page's final HTML, for any Markdown host.

:func:`render_math` is the one call into :mod:`mkdocs_infotheory.math` and
:mod:`mkdocs_infotheory.refs`. A Markdown extension cannot add files to a site, so the pages
that need them carry KaTeX's stylesheet (with only the fonts the page uses; see
:mod:`mkdocs_infotheory.math.inline`) and the plugin's own small stylesheet inline.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from markdown import Markdown

from ...core import Diagnostic
from ...math.plaintext import has_inline_math, text_of_math
from .builds import LOCK, Build

_LINE_ANCHOR = re.compile(r'<a id="(__codelineno-[\w-]+)" name="\1" href="#\1"></a>')

#: Renderers by site macros, process-wide: the host makes an extension per page and gives
#: them nothing else in common (the KaTeX engine behind them is process-wide anyway).
_RENDERERS: dict[tuple[tuple[str, str], ...], Any] = {}


def renderer(macros: dict[str, str]) -> Any:
    """One KaTeX renderer per set of site macros, shared by every page of the process."""
    key = tuple(sorted(macros.items()))
    with LOCK:
        if key not in _RENDERERS:
            from ...math import KatexRenderer

            _RENDERERS[key] = KatexRenderer(macros=macros)
        return _RENDERERS[key]


def math_cache(cache_dir: Path | None) -> Any:
    """The math cache next to the results cache (``cache_dir``), as the plugin keeps it."""
    from ...math import MathCache

    return MathCache(cache_dir.parent / "math.json" if cache_dir else None)


def render_math(
    html: str,
    display_path: str,
    source: str,
    cache: Any,
    macros: dict[str, str],
    labels: Any = None,
    page_id: str = "",
    build: Build | None = None,
) -> tuple[str, list[Diagnostic]]:
    """The page's math step, the same as the plugin's: number equations, figures and tables
    and resolve references to them (against the site-wide ``labels`` on a site host, else
    within the page), then render every formula with KaTeX, through
    :func:`refs.typeset_page`, and put the page's inline KaTeX stylesheet first.

    When KaTeX cannot start in this process (:class:`MathEngineError`, e.g. under
    ``ulimit -v``) the formulas stay TeX and the reason is reported once per build, as a
    warning that ``--strict`` counts; the plugin stops the build with the same message.
    """
    from ...math import MathEngineError
    from ...math.inline import page_stylesheet
    from ...refs import typeset_page

    numbered = labels.process(html, page_id) if labels else None
    refused = build.math_refused if build is not None else None
    found: list[Diagnostic] = []
    try:
        page = typeset_page(
            html, source, None if refused else renderer(macros), cache, display_path, numbered
        )
    except MathEngineError as error:
        page = typeset_page(html, source, None, None, display_path, numbered)
        if build is not None:
            build.math_refused = str(error)
        found.append(Diagnostic("warning", display_path, 1, _engine_message(error)))
    found[:0] = [
        Diagnostic("warning", display_path, message.line or 1, message.message)
        for message in page.messages
    ]
    script = _page_script(page.html) if build is not None else ""  # site hosts' pages only
    return page_stylesheet(page.html) + _page_css(page.html) + page.html + script, found


def clean_toc(md: Markdown, macros: dict[str, str]) -> None:
    """The ``toc`` extension's entries (Zensical's TOC, navigation and page title come from
    them) read math as plain text (``D_KL``), as the plugin makes MkDocs' do."""

    def clean(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            for key in ("name", "html"):
                value = token.get(key)
                if isinstance(value, str) and has_inline_math(value):
                    token[key] = text_of_math(value, escaped=True, macros=macros)
            clean(token.get("children") or [])

    tokens = getattr(md, "toc_tokens", None)
    if isinstance(tokens, list):
        clean(tokens)
    toc = getattr(md, "toc", None)
    if isinstance(toc, str) and has_inline_math(toc):
        md.toc = text_of_math(toc, escaped=True, macros=macros)  # type: ignore[attr-defined]


def quiet_line_anchors(html: str) -> str:
    """Keep pymdownx.highlight's empty per-line anchors (``anchor_linenums``) out of the tab
    order and the accessibility tree: Material's script handles them on MkDocs, but other
    themes (Zensical's) leave empty links a keyboard reaches (axe: link-name)."""
    return _LINE_ANCHOR.sub(
        lambda m: m.group(0).replace("></a>", ' aria-hidden="true" tabindex="-1"></a>'), html
    )


#: The plugin's own small stylesheet (output blocks, figure and table numbers, the red "??" of
#: an unknown reference). The plugin links it from every page; a Markdown extension cannot add
#: files to a site, so the pages that use it carry it.
_PAGE_CSS_FILE = Path(__file__).parent.parent / "mkdocs" / "assets" / "infotheory.css"


def _page_css(html: str) -> str:
    if "infotheory-" not in html:  # none of the classes it styles
        return ""
    return f'<style class="infotheory-page">{_page_css_text()}</style>'


@functools.cache
def _page_css_text() -> str:
    """The stylesheet, read once per process (Zensical converts every page in one)."""
    return _PAGE_CSS_FILE.read_text(encoding="utf-8")


def _page_script(html: str) -> str:
    """The plugin's script (previews of references), inline in a page that has references:
    the extension cannot add files to a site, as for the stylesheet."""
    if "infotheory-ref" not in html and "infotheory-cite" not in html:
        return ""
    return f'<script class="infotheory-page">{_page_script_text()}</script>'


@functools.cache
def _page_script_text() -> str:
    return (_PAGE_CSS_FILE.parent / "infotheory.js").read_text(encoding="utf-8")


def _engine_message(error: Exception) -> str:
    """The plugin's message for a KaTeX that cannot start, with the extension's way out."""
    return (
        f"{error} With the Markdown extension, `math: none` leaves formulas as TeX "
        "(`math: mathjax` is the MkDocs plugin's)."
    )
