"""Find the Markdown line a formula came from, so a KaTeX error can name ``docs/PAGE.md:LINE``."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..html_scan import line_at
from .cache import MathCache
from .renderer import KatexRenderer
from .transform import MathResult, Prepared, render_math_in_html

# Between two TeX tokens the source may hold any whitespace, and, inside block quotes, the
# ``>`` markers that Markdown strips before arithmatex sees the formula.
_GAP = r"[\s>]*"
_OPENERS = r"(?:\$\$?|\\\(|\\\[)"


def locate_tex(markdown_source: str, tex: str) -> int | None:
    """1-based line of the first place ``tex`` occurs in ``markdown_source``, or ``None``.

    Whitespace-tolerant: line breaks, indentation and spacing may differ (list and quote
    nesting change them). A match right after a math delimiter (``$``, ``$$``, ``\\(``, ``\\[``)
    is preferred over a bare one, so ``x`` is found in ``$x$`` rather than in an earlier word.
    The line returned is the one where the TeX itself starts. ``None`` means the formula is not
    in the source (e.g. it was printed by an executed code fence).

    Pass the file as it is on disk (front matter included), or add the front-matter line count.
    """
    tokens = tex.split()
    if not tokens:
        return None
    body = _GAP.join(re.escape(token) for token in tokens)
    for pattern in (rf"{_OPENERS}{_GAP}(?P<tex>{body})", rf"(?P<tex>{body})"):
        match = re.search(pattern, markdown_source)
        if match is not None:
            return line_at(markdown_source, match.start("tex"))
    return None


@dataclass(frozen=True, slots=True)
class LocatedError:
    """A formula KaTeX rejected: the TeX as the author wrote it, and where."""

    line: int | None
    """1-based line in the Markdown source; ``None`` if the formula is not in it."""
    tex: str
    message: str
    """KaTeX's own message."""


@dataclass(frozen=True, slots=True)
class TypesetMath:
    result: MathResult
    errors: tuple[LocatedError, ...]


def typeset_and_locate(
    html: str,
    renderer: KatexRenderer,
    markdown_source: str | Callable[[], str],
    cache: MathCache | None = None,
    scope: str | None = None,
    originals: Mapping[str, str] | None = None,
    prepared: Prepared | None = None,
    *,
    originals_in_page: bool = True,
) -> TypesetMath:
    """Render the page's formulas (:func:`~.transform.render_math_in_html`), then find each
    rejected formula's line in the author's Markdown: the one way every host does it, so an
    error names the same line on each. The host only says it (a log line, a diagnostic).

    ``markdown_source`` may be a function reading it: it is called only if some formula fails.
    ``originals`` maps TeX the cross-reference pass rewrote to the author's, which is what the
    source holds; with ``originals_in_page=False`` the page's error markup shows the rewritten
    TeX instead (what the Markdown extension has always shown).
    """
    result = render_math_in_html(
        html,
        renderer,
        cache,
        scope=scope,
        originals=originals if originals_in_page else None,
        prepared=prepared,
    )
    if not result.errors:
        return TypesetMath(result, ())
    source = markdown_source() if callable(markdown_source) else markdown_source
    originals = originals or {}
    located = []
    for error in result.errors:
        tex = originals.get(error.tex, error.tex)
        located.append(LocatedError(locate_tex(source, tex), tex, error.message))
    return TypesetMath(result, tuple(located))
