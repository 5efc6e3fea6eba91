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
from typing import Any, Literal

#: (html, is_block) -> text standing for that HTML in the Markdown.
Placeholder = Callable[[str, bool], str]

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_DISPLAY = re.compile(
    # A backslash escapes the character after it (``\\$`` is a dollar, ``\\\\`` a line break
    # before the closing ``$$``), so the content is read pair by pair.
    r"(?<!\\)\$\$(?P<dollars>(?:\\.|[^\\$]|\$(?!\$))+?)\$\$"
    r"|(?<!\\)\\\[(?P<brackets>(?:\\[^\]]|[^\\])+?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>[A-Za-z]+\*?)\}.+?\\end\{(?P=name)\})",
    re.DOTALL,
)
#: Inline math as arithmatex reads it (no space just inside the dollars), for raw HTML blocks.
_ANY = re.compile(
    _DISPLAY.pattern + r"|(?<![\\$])\$(?![\s$])(?P<dollar>(?:\\.|[^\\$\n])+?)(?<!\s)\$"
    r"|(?<!\\)\\\((?P<parens>(?:\\[^)]|[^\\])+?)\\\)",
    re.DOTALL,
)
#: A line that opens a raw HTML block (Python-Markdown's block-level elements).
_HTML_BLOCK = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "ul",
    ]
)
ChunkKind = Literal["code", "text", "html"]
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
    for chunk, kind in _chunks(source):
        pieces = [(chunk, "")] if kind == "code" else _formulas(chunk, inline=kind == "html")
        for text, formula in pieces:
            if formula:
                out.append(placeholder(formula, False))
                line += text.count("\n")
                continue
            out.append(text)
            for _ in range(text.count("\n")):
                line += 1
                lines.append(line)
    return _with_attachments("".join(out), attachments), lines


def _chunks(source: str) -> list[tuple[str, ChunkKind]]:
    """``source`` cut into code (fenced blocks, code spans), raw HTML blocks (where Markdown,
    and so arithmatex, never looks: their inline math is converted too) and the text between."""
    pieces: list[tuple[str, ChunkKind]] = []
    text: list[str] = []
    fence = ""
    html_tag = ""
    block: list[str] = []  # the lines of the raw HTML block being read
    depth = 0
    for line in source.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence:
            pieces.append((line, "code"))
            closes = match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
            if closes and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if html_tag:
            block.append(line)
            depth += _depth_change(line, html_tag)
            if depth <= 0:
                pieces.extend(_spans("".join(block), "html"))
                html_tag, block = "", []
            continue
        if match:
            pieces.extend(_spans("".join(text), "text"))
            text = []
            fence = match[1]
            pieces.append((line, "code"))
            continue
        opening = _HTML_BLOCK.match(line)
        if opening and opening[1].lower() in _BLOCK_TAGS:
            pieces.extend(_spans("".join(text), "text"))
            text, block = [], [line]
            depth = _depth_change(line, opening[1].lower())
            html_tag = opening[1].lower()
            if depth <= 0:
                pieces.extend(_spans(line, "html"))
                html_tag, block = "", []
            continue
        text.append(line)
    pieces.extend(_spans("".join(block), "html"))
    pieces.extend(_spans("".join(text), "text"))
    return pieces


def _depth_change(line: str, tag: str) -> int:
    """How many ``tag`` elements ``line`` leaves open (opened minus closed)."""
    lowered = line.lower()
    opened = len(re.findall(rf"<{tag}(?=[\s/>])", lowered))
    return opened - lowered.count(f"</{tag}")


def _spans(text: str, kind: ChunkKind) -> list[tuple[str, ChunkKind]]:
    pieces: list[tuple[str, ChunkKind]] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append((text[position : match.start()], kind))
        pieces.append((match[0], "code"))
        position = match.end()
    pieces.append((text[position:], kind))
    return [piece for piece in pieces if piece[0]]


def _formulas(text: str, inline: bool) -> list[tuple[str, str]]:
    """``text`` as (original, "") pieces and (original, arithmatex element) formulas: display
    formulas, and with ``inline`` the inline ones too."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in (_ANY if inline else _DISPLAY).finditer(text):
        tex = match["dollars"] or match["brackets"] or match["env"]
        wrap = ("\\[", "\\]")
        if inline and not tex:
            tex = match["dollar"] or match["parens"]
            wrap = ("\\(", "\\)")
        if not tex or not tex.strip():
            continue
        pieces.append((text[position : match.start()], ""))
        body = html.escape(tex.strip(), quote=False)
        pieces.append((match[0], f'<span class="arithmatex">{wrap[0]}{body}{wrap[1]}</span>'))
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
