"""Replace every arithmatex formula in a page's HTML with KaTeX's static HTML + MathML."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .cache import MathCache
from .errors import MathError
from .renderer import KatexRenderer
from .scan import Formula, find_formulas

ERROR_CLASS = "infotheory-math-error"
_DISPLAY_OPEN = '<span class="katex-display">'
_DISPLAY_OPEN_FOCUSABLE = '<span class="katex-display" tabindex="0">'


@dataclass
class MathResult:
    """The page with math rendered, plus what happened.

    ``rendered`` counts formulas KaTeX actually rendered, ``cached`` those taken from the cache
    (or repeated earlier in the same page); formulas in ``errors`` count in neither.
    """

    html: str
    errors: list[MathError] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0


def render_math_in_html(
    html: str, renderer: KatexRenderer, cache: MathCache | None = None
) -> MathResult:
    """Render all arithmatex formulas in ``html``; the rest of the page is left byte for byte.

    Each formula keeps its arithmatex wrapper element (tag, id, classes, attributes) so theme
    CSS still applies; display math stays in its block element. A formula KaTeX rejects stays
    visible as TeX inside ``<span|div class="infotheory-math-error" title="KaTeX's message">``
    and its :class:`MathError` is returned, never raised. Already-rendered formulas are skipped,
    so running this twice is harmless. KaTeX itself only starts if some formula misses the cache.
    """
    formulas = find_formulas(html)
    result = MathResult(html=html)
    if not formulas:
        return result
    seen: dict[tuple[bool, str], str] = {}
    parts: list[str] = []
    position = 0
    for formula in formulas:
        parts.append(html[position : formula.start])
        parts.append(_replacement(formula, renderer, cache, seen, result))
        position = formula.end
    parts.append(html[position:])
    result.html = "".join(parts)
    return result


def _replacement(
    formula: Formula,
    renderer: KatexRenderer,
    cache: MathCache | None,
    seen: dict[tuple[bool, str], str],
    result: MathResult,
) -> str:
    key = (formula.display, formula.tex)
    body = seen.get(key)
    if body is None and cache is not None:
        body = cache.get(renderer.version, formula.display, formula.tex)
    if body is not None:
        result.cached += 1
    else:
        try:
            body = renderer.render(formula.tex, formula.display)
        except MathError as error:
            result.errors.append(error)
            return _wrap(formula, _error_markup(formula, error))
        result.rendered += 1
        if cache is not None:
            cache.put(renderer.version, formula.display, formula.tex, body)
    seen[key] = body
    return _wrap(formula, body)


def _wrap(formula: Formula, body: str) -> str:
    if formula.display:
        # A long display formula scrolls sideways (phones); keyboard users must be able to
        # reach and scroll it too (axe: scrollable-region-focusable).
        body = body.replace(_DISPLAY_OPEN, _DISPLAY_OPEN_FOCUSABLE, 1)
    return f"{formula.start_tag}{body}</{formula.tag}>"


def _error_markup(formula: Formula, error: MathError) -> str:
    tag = "span" if formula.tag == "span" else "div"
    title = escape(error.message, quote=True)
    text = escape(formula.source, quote=False)
    return f'<{tag} class="{ERROR_CLASS}" title="{title}">{text}</{tag}>'
