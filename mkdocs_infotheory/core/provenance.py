"""Where an inline value came from, on the element that holds it.

A reader sees "0.081 bits" and cannot tell a computed number from a typed one. So the value
of `` `{python} EXPR` `` is wrapped in ``<span class="infotheory-value" title="EXPR —
docs/PAGE.md:LINE">``: the title shows on hover and is the element's accessible description.

Where an element cannot go, the value stays bare text: inside math (``\\( `{python} x` \\)``,
the formula's TeX would hold the tag), inside an attribute (an image's alt text, a link's
URL or title: an attribute holds no elements; :func:`.inline_context.inline_context` tells where a
value stands) and in headings (a heading's text is also the page title and its table-of-contents
entry, built from the Markdown).
"""

from __future__ import annotations

import re

from .escape import inline_text
from .model import Cell

#: Class of the element holding an inline value (themes may style it; it carries the title).
VALUE_CLASS = "infotheory-value"

_WHITESPACE = re.compile(r"\s+")


def with_provenance(shown: str, cell: Cell, filename: str) -> str:
    """``shown`` (the value, as Markdown text) in an element that names its expression and
    place."""
    expression = _WHITESPACE.sub(" ", cell.code.strip())
    place = f"{filename}:{cell.line}" if filename else f"line {cell.line}"
    # Markdown's inline patterns (links, emphasis) run before raw HTML is set aside: the title
    # is written as inline text (every significant character a character reference), so an
    # expression like ``"[a](b)"`` or ``_x_`` stays the attribute's text.
    title = inline_text(f"{expression} — {place}")
    return f'<span class="{VALUE_CLASS}" title="{title}">{shown}</span>'
