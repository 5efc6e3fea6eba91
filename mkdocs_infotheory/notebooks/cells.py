"""A markdown cell as Markdown the site's extensions read as Jupyter does.

Jupyter's MathJax takes display math anywhere: ``$$…$$``, ``\\[…\\]`` and
``\\begin{env}…\\end{env}`` in the middle of a paragraph, right after a line of text, with
Markdown's own characters (``\\|``, ``\\{``, ``_``, ``*``) inside. Python-Markdown reads those
as Markdown first (``\\|`` becomes ``|``) and ``pymdownx.arithmatex`` only takes display math
that stands alone as a block. So each display formula of a cell goes to the page as the element
arithmatex would have written (``<span class="arithmatex">\\[…\\]</span>``) through a
placeholder, which Markdown never reads; the site's math step (KaTeX at build time, or MathJax)
typesets it with the page's other formulas. Inline ``$…$`` is left to arithmatex, which reads
it as Jupyter does. Code (fenced blocks, code spans) is never touched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

#: (html, is_block) -> text standing for that HTML in the Markdown.
Placeholder = Callable[[str, bool], str]

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_DISPLAY = re.compile(
    r"(?<!\\)\$\$(?P<dollars>.+?)(?<!\\)\$\$"
    r"|(?<!\\)\\\[(?P<brackets>.+?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>[A-Za-z]+\*?)\}.+?\\end\{(?P=name)\})",
    re.DOTALL,
)
_ATTACHMENT = re.compile(r"attachment:([^\s)\"'>]+)")
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
_BASE64 = re.compile(r"[A-Za-z0-9+/=]+")


def markdown_cell(
    source: str, attachments: Mapping[str, Any], placeholder: Placeholder
) -> tuple[str, list[int]]:
    """The cell's Markdown, and for each of its lines the cell line (from 1) it comes from."""
    out: list[str] = []
    lines = [1]
    line = 1
    for chunk, is_code in _chunks(source):
        if is_code:
            out.append(chunk)
            for _ in range(chunk.count("\n")):
                line += 1
                lines.append(line)
            continue
        for text, formula in _formulas(chunk):
            if formula:
                out.append(placeholder(formula, False))
                line += text.count("\n")
                continue
            out.append(text)
            for _ in range(text.count("\n")):
                line += 1
                lines.append(line)
    return _with_attachments("".join(out), attachments), lines


def _chunks(source: str) -> list[tuple[str, bool]]:
    """``source`` cut into code (fenced blocks, code spans) and the text between."""
    pieces: list[tuple[str, bool]] = []
    text: list[str] = []
    fence = ""
    for line in source.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence:
            pieces.append((line, True))
            closes = match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
            if closes and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if match:
            pieces.extend(_spans("".join(text)))
            text = []
            fence = match[1]
            pieces.append((line, True))
            continue
        text.append(line)
    pieces.extend(_spans("".join(text)))
    return pieces


def _spans(text: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((match[0], True))
        position = match.end()
    pieces.append((text[position:], False))
    return [piece for piece in pieces if piece[0]]


def _formulas(text: str) -> list[tuple[str, str]]:
    """``text`` as (original, "") pieces and (original, arithmatex element) formulas."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _DISPLAY.finditer(text):
        tex = match["dollars"] or match["brackets"] or match["env"]
        if not tex or not tex.strip():
            continue
        pieces.append((text[position : match.start()], ""))
        element = f'<span class="arithmatex">\\[{html.escape(tex.strip(), quote=False)}\\]</span>'
        pieces.append((match[0], element))
        position = match.end()
    pieces.append((text[position:], ""))
    return pieces


def _with_attachments(source: str, attachments: Mapping[str, Any]) -> str:
    """Images pasted into a markdown cell (``attachment:NAME``) as ``data:`` URLs."""
    if not attachments or "attachment:" not in source:
        return source

    def replace(match: re.Match[str]) -> str:
        bundle = attachments.get(match[1]) or {}
        for mime in _IMAGE_TYPES:
            data = bundle.get(mime)
            if isinstance(data, list):
                data = "".join(data)
            if isinstance(data, str) and _BASE64.fullmatch("".join(data.split())):
                return f"data:{mime};base64,{''.join(data.split())}"
        return match[0]

    return _ATTACHMENT.sub(replace, source)
