"""Where an inline value stands in its paragraph: prose, a formula or an attribute.

A value is text that reads right anywhere; a failure's error box is an element, and an
element inside a formula or an attribute breaks the page. The renderer (what a failure
shows) and provenance (whether the value's element can carry its expression) both ask here.
"""

from __future__ import annotations

import re

#: What a failed inline value shows inside a formula, and inside an attribute (alt text...).
MATH_FAILED = r"\text{??}"
ATTRIBUTE_FAILED = "??"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t>]*\n")
_LINK_DEFINITION = re.compile(r"[ \t>]*\[[^\]]+\]:")
_ATTR_LIST_OPEN = re.compile(r"\{[ \t]*(?:[:.#]|[A-Za-z_][\w-]*=)")
_TAG_OPEN = re.compile(r"</?[A-Za-z]")


def inline_context(text: str, position: int) -> str:
    """Where ``position`` sits in its paragraph: ``"math"`` (in ``\\(...\\)``, ``$...$``,
    ``$$...$$`` or ``\\[...\\]``), ``"attribute"`` (an image's alt text, a link's URL or
    title, a link definition, an HTML tag, an attribute list) or ``"prose"``.

    Only a failure needs it (a value is text that reads right anywhere): an error box is an
    element, and an element inside an attribute or a formula breaks the page.
    """
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text, 0, position):
        start = match.end()
    line_start = text.rfind("\n", 0, position) + 1
    if _LINK_DEFINITION.match(text, line_start):
        return "attribute"
    math = ""  # the closing delimiter of the formula we are in
    brackets: list[bool] = []  # open [ (False) and ![ (True)
    closer = ""  # what ends the attribute context we are in: ")", ">" or "}"
    i = start
    while i < position:
        char = text[i]
        if char == "\\":
            pair = text[i : i + 2]
            if not math and not closer and pair in ("\\(", "\\["):
                math = "\\)" if pair == "\\(" else "\\]"
            elif math == pair:
                math = ""
            i += 2
            continue
        if char == "`":
            run = _run_length(text, i)
            close = text.find("`" * run, i + run, position)
            i = close + run if close >= 0 else i + run
            continue
        if char == "$":
            pair = "$$" if text.startswith("$$", i) else "$"
            if math == pair:
                math = ""
            elif not math and not closer and (pair == "$$" or not text[i + 1 : i + 2].isspace()):
                math = pair  # an inline $ opens a formula only before a non-space
            i += len(pair)
            continue
        if math:
            i += 1
            continue
        if closer:
            if char == closer:
                closer = ""
        elif char == "[":
            brackets.append(i > 0 and text[i - 1] == "!")
        elif char == "]" and brackets:
            brackets.pop()
            if text.startswith("(", i + 1):
                closer = ")"
                i += 1
        elif char == "<" and _TAG_OPEN.match(text, i):
            closer = ">"
        elif char == "{" and _ATTR_LIST_OPEN.match(text, i):
            closer = "}"
        i += 1
    if math:
        return "math"
    return "attribute" if closer or any(brackets) else "prose"


def _run_length(text: str, i: int) -> int:
    end = i
    while end < len(text) and text[end] == "`":
        end += 1
    return end - i
