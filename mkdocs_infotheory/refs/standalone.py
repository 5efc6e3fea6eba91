"""One page on its own, start to finish: what a host without a site-wide pass calls.

A Python-Markdown extension (Zensical builds each page with a fresh ``Markdown`` and offers no
hook after all pages) can number and resolve only within the page: ``@eq-kl`` on another page
is an unknown reference there. :func:`typeset_page` numbers, resolves and (given a renderer)
typesets the math with page-scoped macros, and says where each problem is in the Markdown.
A host that does know the other pages (the extension's site-wide label index on Zensical)
passes its own ``numbered`` page and gets the same rendering and messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..math import KatexRenderer, MathCache, typeset_and_locate
from .page import NumberedPage, process_page


@dataclass(frozen=True, slots=True)
class PageMessage:
    """A problem for the author: the 1-based line in the Markdown (``None`` if not found)."""

    line: int | None
    message: str


@dataclass(slots=True)
class TypesetPage:
    html: str
    messages: list[PageMessage] = field(default_factory=list)


def typeset_page(
    html: str,
    markdown_source: str,
    renderer: KatexRenderer | None = None,
    cache: MathCache | None = None,
    scope: str = "page",
    numbered: NumberedPage | None = None,
) -> TypesetPage:
    """Number and resolve the page's references (unless ``numbered`` is the page already
    numbered and resolved against a wider index); render its math if ``renderer`` is given
    and the page has a formula (without one, e.g. for MathJax, the rewritten TeX is left for
    the browser)."""
    page = numbered if numbered is not None else process_page(html, scope)
    messages = [
        PageMessage(problem.line_in(markdown_source), problem.explained(markdown_source))
        for problem in page.problems
    ]
    result_html = page.html
    if renderer is not None and "arithmatex" in result_html:
        typeset = typeset_and_locate(
            result_html,
            renderer,
            markdown_source,
            cache,
            scope,
            page.originals,
            originals_in_page=False,
        )
        result_html = typeset.result.html
        messages.extend(
            PageMessage(error.line, f"LaTeX error in {error.tex!r}: {error.message}")
            for error in typeset.errors
        )
    messages.sort(key=lambda message: message.line or 0)
    return TypesetPage(result_html, messages)
