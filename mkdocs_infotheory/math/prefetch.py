"""Guess a page's formulas from its Markdown, so KaTeX can render them before they are needed.

Why: a build converts pages one after another on one thread, and used to render each page's
formulas on that same thread, while the machine's other core idled. Reading the formulas off
the Markdown when the build starts lets the KaTeX thread render them while MkDocs converts
pages. A guess is only a guess: the page's real formulas are still read from its HTML
(:mod:`.scan`), a guess is used only where its TeX is exactly that of a real formula, and a
formula nobody guessed is rendered when its page needs it. So a wrong guess costs a little
KaTeX time and nothing else.

What is recognised: arithmatex's default delimiters ``\\(..\\)``, ``\\[..\\]``, ``$$..$$`` and
``$..$`` (a dollar pair with no space inside either end), outside fenced and inline code.
"""

from __future__ import annotations

import re

# Fenced code (``` or ~~~, any indentation) and inline code spans, whose text is not math.
_FENCED = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_FORMULA = re.compile(
    r"\\\[(?P<square>.+?)\\\]"
    r"|\$\$(?P<dollars>.+?)\$\$"
    r"|\\\((?P<round>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])",
    re.S,
)
_DISPLAY = ("square", "dollars")
_UNKNOWN = "\x00"


def formulas_in_markdown(markdown: str) -> list[tuple[str, bool]]:
    """``(tex, display)`` pairs likely to be formulas of ``markdown``, in order, no repeats."""
    # Inline code inside a formula (an inline computed value) makes it unguessable.
    text = _INLINE_CODE.sub(_UNKNOWN, _FENCED.sub("", markdown))
    found: dict[tuple[str, bool], None] = {}
    for match in _FORMULA.finditer(text):
        kind = match.lastgroup or ""
        tex = match[kind].strip()
        if tex and _UNKNOWN not in tex:
            found.setdefault((tex, kind in _DISPLAY))
    return list(found)
