"""Headings with math: readable text, not raw TeX, where MkDocs keeps a heading as text.

The heading itself is typeset in the page like any formula. But the Markdown ``toc``
extension stores its text (the table of contents, Material's navigation and search titles
come from it) and MkDocs takes the page title from the first ``<h1>``, both with arithmatex's
``\\(...\\)`` TeX in them. Those are rewritten to a Unicode reading of the TeX.
"""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink


def clean_math_titles(page: Page, macros: Mapping[str, str] | None = None) -> None:
    """Fix the page's TOC entries and title in place (no-op without math in them).

    ``macros`` as ``plugins.infotheory.macros`` spells them (``KL`` or ``\\KL``)."""
    if page.toc:
        _clean_items(list(page.toc), macros)
    title = page.title
    if title and "title" not in page.meta and _has_inline_math(title):
        page.title = _text_of_math(title, escaped=False, macros=macros)


def _clean_items(items: list[AnchorLink], macros: Mapping[str, str] | None) -> None:
    for item in items:
        if _has_inline_math(item.title):
            item.title = _text_of_math(item.title, escaped=True, macros=macros)
        _clean_items(item.children, macros)


def _has_inline_math(title: str) -> bool:
    # Inline math needs ``\(`` or ``$``: most titles have neither, and then the TeX reader
    # (math.plaintext) is not even imported.
    if "\\(" not in title and "$" not in title:
        return False
    from ...math.plaintext import has_inline_math

    return has_inline_math(title)


def _text_of_math(title: str, *, escaped: bool, macros: Mapping[str, str] | None) -> str:
    from ...math.plaintext import text_of_math
    from ...math.renderer import normalise_macros

    return text_of_math(title, escaped=escaped, macros=normalise_macros(macros or {}))
