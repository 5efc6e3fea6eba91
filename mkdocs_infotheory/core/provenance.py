"""Where an inline value came from, on the element that holds it.

A reader sees "0.081 bits" and cannot tell a computed number from a typed one. So the value
of `` `{python} EXPR` `` is wrapped in ``<span class="infotheory-value" title="EXPR —
docs/PAGE.md:LINE">``: the title shows on hover and is the element's accessible description.

Where an element cannot go, the value stays bare text: inside math (``\\( `{python} x` \\)``,
the formula's TeX would hold the tag), inside an image's alt text (an attribute holds no
elements) and in headings (a heading's text is also the page title and its table-of-contents
entry, built from the Markdown).
"""

from __future__ import annotations

import re

from .escape import html_text
from .model import Cell

#: Class of the element holding an inline value (themes may style it; it carries the title).
VALUE_CLASS = "infotheory-value"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t>]*\n")
_MATH_TOKEN = re.compile(r"\\[()\[\]$]|\$\$|\$|!\[|\]")
_WHITESPACE = re.compile(r"\s+")


def _paragraph_before(text: str, cell: Cell) -> str:
    breaks = list(_PARAGRAPH_BREAK.finditer(text, max(0, cell.start - 4000), cell.start))
    return text[breaks[-1].end() if breaks else max(0, cell.start - 4000) : cell.start]


def in_math_or_alt(text: str, cell: Cell) -> bool:
    """Whether ``cell`` stands inside a formula or an image's alt text of its paragraph (the
    delimiters opened before it and not closed: ``\\(``, ``\\[``, ``$``, ``$$``, ``![``)."""
    math = ""
    alt = 0
    for match in _MATH_TOKEN.finditer(_paragraph_before(text, cell)):
        token = match.group(0)
        if token in ("\\$",):
            continue
        if token == "![":
            alt += 1
        elif token == "]":
            alt = max(0, alt - 1)
        elif not math and token in ("\\(", "\\[", "$", "$$"):
            math = {"\\(": "\\)", "\\[": "\\]"}.get(token, token)
        elif math == token:
            math = ""
    return bool(math) or alt > 0


def with_provenance(shown: str, cell: Cell, filename: str) -> str:
    """``shown`` (the value, as Markdown text) in an element that names its expression and
    place."""
    expression = _WHITESPACE.sub(" ", cell.code.strip())
    place = f"{filename}:{cell.line}" if filename else f"line {cell.line}"
    title = html_text(f"{expression} — {place}")
    return f'<span class="{VALUE_CLASS}" title="{title}">{shown}</span>'
