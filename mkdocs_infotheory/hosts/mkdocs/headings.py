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

from ...math.plaintext import has_inline_math, text_of_math


def clean_math_titles(page: Page, macros: Mapping[str, str] | None = None) -> None:
    """Fix the page's TOC entries and title in place (no-op without math in them)."""
    if page.toc:
        _clean_items(list(page.toc), macros)
    title = page.title
    if title and "title" not in page.meta and has_inline_math(title):
        page.title = text_of_math(title, escaped=False, macros=macros)


def _clean_items(items: list[AnchorLink], macros: Mapping[str, str] | None) -> None:
    for item in items:
        if has_inline_math(item.title):
            item.title = text_of_math(item.title, escaped=True, macros=macros)
        _clean_items(item.children, macros)
