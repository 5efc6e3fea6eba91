"""Replace every arithmatex formula in a page's HTML with KaTeX's static HTML + MathML."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from .cache import MathCache
from .errors import MathError
from .plaintext import tex_to_text
from .renderer import KatexRenderer
from .scan import Formula, find_formulas

ERROR_CLASS = "infotheory-math-error"
_DISPLAY_OPEN = '<span class="katex-display">'
_DISPLAY_OPEN_FOCUSABLE = '<span class="katex-display" tabindex="0">'
#: A formula that (re)defines macros for the formulas after it on its page.
_DEFINES = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|[gex]?def|let|futurelet|global)(?![A-Za-z])"
)


@dataclass(slots=True)
class MathResult:
    """The page with math rendered, plus what happened.

    ``rendered`` counts formulas KaTeX actually rendered, ``cached`` those taken from the cache
    (or repeated earlier in the same page); formulas in ``errors`` count in neither.
    """

    html: str
    errors: list[MathError] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0
    #: The formulas found in the page given (offsets into that page, not into ``html``).
    formulas: list[Formula] = field(default_factory=list)


@dataclass(slots=True)
class _MacroState:
    """The macros in force at a point of the page, for cache keys and lazy replay.

    A formula's output depends on the site's macros and on every earlier formula of the page
    that defines one, so those form its cache key's context. A formula served from the cache
    never runs in KaTeX, so before the next cache miss the defining formulas not yet run in
    the page's scope are replayed there (in order) to bring KaTeX's macros up to date.
    """

    site: str
    defining: list[tuple[str, bool]] = field(default_factory=list)
    applied: int = 0
    #: Whether KaTeX rendered anything in the page's scope (which must then be ended).
    scoped: bool = False

    def key(self, tex: str) -> str:
        if not self.site and not self.defining:
            return tex
        digest = hashlib.sha256(json.dumps([self.site, self.defining]).encode()).hexdigest()
        return f"%infotheory-macros {digest[:32]}\n{tex}"


#: Formulas rendered ahead of need, by ``(display, tex)``: KaTeX's HTML or its error.
Prepared = Mapping[tuple[bool, str], "str | MathError"]


def render_math_in_html(
    html: str,
    renderer: KatexRenderer,
    cache: MathCache | None = None,
    scope: str | None = None,
    originals: Mapping[str, str] | None = None,
    prepared: Prepared | None = None,
) -> MathResult:
    """Render all arithmatex formulas in ``html``; the rest of the page is left byte for byte.

    Each formula keeps its arithmatex wrapper element (tag, id, classes, attributes) so theme
    CSS still applies; display math stays in its block element. A formula KaTeX rejects stays
    visible as TeX inside ``<span|div class="infotheory-math-error" title="KaTeX's message">``
    and its :class:`MathError` is returned, never raised. Already-rendered formulas are skipped,
    so running this twice is harmless. KaTeX itself only starts if some formula misses the cache.

    ``scope`` names the page: with it, a ``\\newcommand`` in one formula holds for the rest of
    the page (KaTeX's ``globalGroup``); the renderer's site macros apply everywhere.
    ``originals`` maps TeX rewritten before rendering (cross-references) to the author's TeX,
    which is what a formula KaTeX rejects shows.

    ``prepared`` holds formulas rendered ahead of need (each on its own, with the site's
    macros). On a page that defines no macros, those are used and the remaining misses go to
    KaTeX in one call (:func:`_ready`); a page that defines some renders in order, one by one.
    """
    formulas = find_formulas(html)
    result = MathResult(html=html, formulas=formulas)
    if not formulas:
        return result
    seen: dict[tuple[bool, str], str] = {}
    state = _MacroState(_site_context(renderer))
    ready = _ready(formulas, renderer, cache, state, scope, prepared)
    parts: list[str] = []
    position = 0
    try:
        for formula in formulas:
            parts.append(html[position : formula.start])
            replacement = _replacement(
                formula, renderer, cache, seen, result, state, scope, originals or {}, ready
            )
            parts.append(replacement)
            position = formula.end
    finally:
        if scope is not None and state.scoped:
            renderer.end_scope(scope)
    parts.append(html[position:])
    result.html = "".join(parts)
    return result


def _site_context(renderer: KatexRenderer) -> str:
    return json.dumps(renderer.macros, sort_keys=True) if renderer.macros else ""


def standalone_key(renderer: KatexRenderer, tex: str) -> str:
    """The cache key's TeX for ``tex`` where no earlier formula of its page defines macros."""
    return _MacroState(_site_context(renderer)).key(tex)


def _replacement(
    formula: Formula,
    renderer: KatexRenderer,
    cache: MathCache | None,
    seen: dict[tuple[bool, str], str],
    result: MathResult,
    state: _MacroState,
    scope: str | None,
    originals: Mapping[str, str],
    ready: dict[tuple[bool, str], str | MathError],
) -> str:
    defines = scope is not None and bool(_DEFINES.search(formula.tex))
    key_tex = state.key(formula.tex) if scope is not None or state.site else formula.tex
    key = (formula.display, key_tex)
    body = seen.get(key)
    if body is None and cache is not None:
        body = cache.get(renderer.version, formula.display, key_tex)
    error: MathError | None = None
    ran = False
    early = ready.get(key) if body is None else None
    if body is not None:
        result.cached += 1
    elif isinstance(early, MathError):
        error = early
    elif early is not None:
        body = early
        result.rendered += 1
        if cache is not None:
            cache.put(renderer.version, formula.display, key_tex, body)
    else:
        if scope is not None:
            while state.applied < len(state.defining):
                tex, display = state.defining[state.applied]
                state.applied += 1
                with contextlib.suppress(MathError):  # reported where it was rendered
                    renderer.render(tex, display, scope)
        ran = True
        state.scoped = True
        try:
            body = renderer.render(formula.tex, formula.display, scope)
        except MathError as failure:
            error = failure
        else:
            result.rendered += 1
            if cache is not None:
                cache.put(renderer.version, formula.display, key_tex, body)
    if defines:
        state.defining.append((formula.tex, formula.display))
        if ran:  # everything before it was replayed, and it ran itself
            state.applied = len(state.defining)
    if error is not None:
        result.errors.append(error)
        return _wrap(formula, _error_markup(formula, error, originals.get(formula.tex)))
    assert body is not None
    seen[key] = body
    return _wrap(formula, body, renderer.macros)


def _ready(
    formulas: list[Formula],
    renderer: KatexRenderer,
    cache: MathCache | None,
    state: _MacroState,
    scope: str | None,
    prepared: Prepared | None,
) -> dict[tuple[bool, str], str | MathError]:
    """The page's formulas missing from the cache, rendered: from ``prepared`` or in one call.

    Keyed like the cache. Empty on a page that defines macros: there a formula's output can
    depend on the formulas before it, so they are rendered in order in the page's scope.
    """
    if scope is not None and any(_DEFINES.search(formula.tex) for formula in formulas):
        return {}
    ready: dict[tuple[bool, str], str | MathError] = {}
    missing: dict[tuple[bool, str], tuple[str, bool]] = {}
    for formula in formulas:
        key = (formula.display, state.key(formula.tex))
        if key in ready or key in missing:
            continue
        if cache is not None and cache.get(renderer.version, *key) is not None:
            continue
        early = prepared.get((formula.display, formula.tex)) if prepared is not None else None
        if early is None:
            missing[key] = (formula.tex, formula.display)
        else:
            ready[key] = early
    if len(missing) > 1:  # a single one goes the ordinary way
        ready.update(zip(missing, renderer.render_many(list(missing.values())), strict=True))
    return ready


#: Holds a heading's typeset formula, hidden from search indexes. Material's search skips an
#: element with ``data-search-exclude`` only if no element inside it has the same tag (its
#: parser compares elements by tag name), so this is a tag KaTeX never writes, not a ``span``
#: (a custom element: inline, unstyled, no meaning to assistive technology). Not named
#: ``infotheory-...``: the Markdown extension reads that prefix as "the page needs its CSS".
_UNINDEXED_TAG = "unindexed-math"


def _wrap(formula: Formula, body: str, macros: Mapping[str, str] | None = None) -> str:
    if formula.display:
        # A long display formula scrolls sideways (phones); keyboard users must be able to
        # reach and scroll it too (axe: scrollable-region-focusable).
        body = body.replace(_DISPLAY_OPEN, _DISPLAY_OPEN_FOCUSABLE, 1)
    if formula.in_heading:
        body = _searchable_heading_math(formula.tex, body, macros)
    return f"{formula.start_tag}{body}</{formula.tag}>"


def _searchable_heading_math(tex: str, body: str, macros: Mapping[str, str] | None) -> str:
    """A heading formula as seen (typeset) and as indexed (the TOC's plain-text reading).

    Why: a heading's text is a search result's title, and KaTeX's glyph boxes read badly as
    text (``\\frac{1}{2}`` reads "12", ``D_{KL}`` "DKL"). The typeset formula is excluded
    from the index and the reading the table of contents shows sits beside it, ``hidden``:
    neither shown nor read by screen readers (which read KaTeX's MathML).
    """
    reading = escape(tex_to_text(tex, macros), quote=False)
    return (
        f"<{_UNINDEXED_TAG} data-search-exclude>{body}</{_UNINDEXED_TAG}>"
        f"<span hidden>{reading}</span>"
    )


def _error_markup(formula: Formula, error: MathError, original: str | None = None) -> str:
    tag = "span" if formula.tag == "span" else "div"
    title = escape(error.message, quote=True)
    source = formula.source
    if original is not None:
        open_, close = ("\\[", "\\]") if formula.display else ("\\(", "\\)")
        source = f"{open_}{original}{close}"
    text = escape(source, quote=False)
    return f'<{tag} class="{ERROR_CLASS}" title="{title}">{text}</{tag}>'


def readable_math(
    html: str, formulas: Sequence[Formula], macros: Mapping[str, str] | None = None
) -> str:
    """``html`` with each formula's content replaced by its plain-text reading (what the table
    of contents shows: ``\\frac{3}{4}`` reads "3/4"): the page as search indexes should read it.

    Why not the typeset page: KaTeX's glyph boxes read badly as text (``\\frac{3}{4}`` is
    "43"), and its markup, a dozen elements per symbol, is most of what a search plugin's HTML
    parser reads on a page with math (it doubled the time MkDocs' search took on a build).
    ``formulas`` are those :func:`render_math_in_html` found in ``html``.
    """
    parts: list[str] = []
    position = 0
    for formula in formulas:
        reading = escape(tex_to_text(formula.tex, macros), quote=False)
        parts += [html[position : formula.start], formula.start_tag, reading, f"</{formula.tag}>"]
        position = formula.end
    parts.append(html[position:])
    return "".join(parts)


def mark_heading_tex(html: str, macros: Mapping[str, str] | None = None) -> str:
    """For math typeset in the browser (MathJax): each heading formula's TeX excluded from
    search indexes and its plain-text reading put after it, ``hidden``, as KaTeX output gets.

    The arithmatex element holds only TeX text here (no same-tag descendants), so it can be
    marked ``data-search-exclude`` itself; MathJax still finds it by its class. Marked
    elements are skipped, so running this twice is harmless.
    """
    parts: list[str] = []
    position = 0
    for formula in find_formulas(html):
        if not formula.in_heading or "data-search-exclude" in formula.start_tag:
            continue
        inner_start = formula.start + len(formula.start_tag)
        start_tag = formula.start_tag[:-1].rstrip("/ ") + " data-search-exclude>"
        reading = escape(tex_to_text(formula.tex, macros), quote=False)
        parts += [html[position : formula.start], start_tag, html[inner_start : formula.end]]
        parts.append(f"<span hidden>{reading}</span>")
        position = formula.end
    parts.append(html[position:])
    return "".join(parts)
