"""Find the Markdown line a formula came from, so a KaTeX error can name ``docs/PAGE.md:LINE``."""

from __future__ import annotations

import re

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
            return markdown_source.count("\n", 0, match.start("tex")) + 1
    return None
