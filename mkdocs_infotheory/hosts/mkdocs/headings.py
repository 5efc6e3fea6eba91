"""Headings with math: readable text, not raw TeX, where MkDocs keeps a heading as text.

The heading itself is typeset in the page like any formula. But the Markdown ``toc``
extension stores its text (the table of contents, Material's navigation and search titles
come from it) and MkDocs takes the page title from the first ``<h1>``, both with arithmatex's
``\\(...\\)`` TeX in them. Those are rewritten to a Unicode reading of the TeX.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape, unescape

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ...math.plaintext import tex_to_text

_INLINE_TEX = re.compile(r"\\\((.+?)\\\)|\$(?!\s)(.+?)(?<!\s)\$", re.DOTALL)


def text_of_math(title: str, *, escaped: bool, macros: Mapping[str, str] | None = None) -> str:
    """``title`` with each inline formula replaced by its plain-text reading."""

    def replace(match: re.Match[str]) -> str:
        tex = match.group(1) if match.group(1) is not None else match.group(2)
        text = tex_to_text(unescape(tex) if escaped else tex, macros)
        return escape(text, quote=False) if escaped else text

    return _INLINE_TEX.sub(replace, title)


def clean_math_titles(page: Page, macros: Mapping[str, str] | None = None) -> None:
    """Fix the page's TOC entries and title in place (no-op without math in them)."""
    if page.toc:
        _clean_items(list(page.toc), macros)
    title = page.title
    if title and "title" not in page.meta and _INLINE_TEX.search(title):
        page.title = text_of_math(title, escaped=False, macros=macros)


def _clean_items(items: list[AnchorLink], macros: Mapping[str, str] | None) -> None:
    for item in items:
        if "\\(" in item.title or "$" in item.title:
            item.title = text_of_math(item.title, escaped=True, macros=macros)
        _clean_items(item.children, macros)
