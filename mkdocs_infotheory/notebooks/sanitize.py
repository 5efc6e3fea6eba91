"""A notebook's stored outputs as HTML that cannot run, load or include anything.

Stored outputs were produced on someone's machine, possibly by someone else: untrusted data,
like frozen results. :func:`sanitize_output` is the one door they pass through; it keeps what
a reader needs (text, tables, pictures) and nothing that acts (scripts, event handlers, styles,
frames, links to elsewhere). Pictures go in as ``data:`` images, where browsers run no script
and fetch nothing, so an SVG needs no parsing to be inert.

Minimal on purpose: a site-wide sanitiser can replace this function without touching callers.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from html.parser import HTMLParser

#: Elements a table or a formatted value may use (pandas, polars, sympy's HTML); everything
#: else is dropped, its text kept, except in :data:`_DROPPED_WITH_CONTENT`.
_ALLOWED = frozenset(
    [
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "colgroup",
        "col",
        "div",
        "span",
        "p",
        "br",
        "hr",
        "b",
        "i",
        "em",
        "strong",
        "code",
        "pre",
        "sub",
        "sup",
        "small",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
    ]
)
_VOID = frozenset({"br", "hr", "col"})
#: Elements whose content is code, styles or another document: dropped with what they hold.
_DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "iframe",
        "object",
        "embed",
        "noscript",
        "textarea",
        "title",
        "svg",
        "math",
        "head",
        "select",
        "option",
        "frameset",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
    ]
)
#: Attributes kept, with the values they may take.
_ATTRIBUTES = {
    "colspan": re.compile(r"\d{1,3}"),
    "rowspan": re.compile(r"\d{1,3}"),
    "align": re.compile(r"left|right|center|justify"),
}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
#: The largest picture kept, in base64 characters (a stored output is not a place for video).
MAX_IMAGE = 20_000_000

#: Class of output blocks (as the engine's text output), so themes style both alike.
OUTPUT_CLASS = "infotheory-output"


def sanitize_output(mime: str, data: str) -> str | None:
    """Safe HTML for one stored output of type ``mime``, or None when it cannot be shown
    safely (an unknown type, a picture that is not one)."""
    if mime in _SIGNATURES:
        return _image(mime, data)
    if mime == "image/svg+xml":
        return _svg(data)
    if mime == "text/html":
        return f'<div class="infotheory-html">{clean_html(data)}</div>'
    if mime.startswith("text/"):
        return text_block(data)
    return None


def text_block(text: str, kind: str = OUTPUT_CLASS) -> str:
    """``text`` shown as it is, in a code block like the engine's own text output (terminal
    colour codes removed, control characters shown as ``\\xNN``)."""
    plain = _ANSI.sub("", text)
    plain = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", plain)
    return (
        f'<div class="language-text highlight {kind}"><pre><span></span>'
        f"<code>{html.escape(plain.rstrip(chr(10)), quote=True)}</code></pre></div>"
    )


def _image(mime: str, data: str) -> str | None:
    compact = "".join(data.split())
    if len(compact) > MAX_IMAGE:
        return None
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_SIGNATURES[mime]):
        return None
    return _picture(mime, base64.b64encode(raw).decode("ascii"))


def _svg(data: str) -> str | None:
    text = data.lstrip("\ufeff \t\r\n")
    if not text.startswith(("<svg", "<?xml", "<!--")) or "<svg" not in text:
        return None
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return None if len(encoded) > MAX_IMAGE else _picture("image/svg+xml", encoded)


def _picture(mime: str, encoded: str) -> str:
    return (
        f'<div class="infotheory-plot"><img alt="Output stored in the notebook" '
        f'src="data:{mime};base64,{encoded}"></div>'
    )


def clean_html(fragment: str) -> str:
    """``fragment`` rebuilt from its allowed elements and attributes, every text escaped and
    every element closed, so nothing it holds can act or leak into the rest of the page."""
    cleaner = _Cleaner()
    cleaner.feed(fragment)
    cleaner.close()
    return cleaner.result()


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._open: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.append(tag)
            return
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping.append(tag)
            return
        if tag not in _ALLOWED:
            return
        kept = "".join(
            f' {name}="{value}"'
            for name, value in attrs
            if name in _ATTRIBUTES and value and _ATTRIBUTES[name].fullmatch(value)
        )
        self._out.append(f"<{tag}{kept}>")
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self._open and self._open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag not in self._open:
            return
        while self._open:
            name = self._open.pop()
            self._out.append(f"</{name}>")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._out.append(html.escape(data, quote=True))

    def result(self) -> str:
        return "".join(self._out) + "".join(f"</{name}>" for name in reversed(self._open))
