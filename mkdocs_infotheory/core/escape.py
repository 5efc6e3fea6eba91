"""Make untrusted text safe to splice into Markdown, and to print.

Executed output is untrusted: a value like ``<script>`` or ``*not emphasis*`` must appear
exactly as text. Inline values are spliced into the Markdown *before* it is parsed (so they
work in tables, footnotes, admonitions and even inside math), which means they must be
neutral to both HTML and Markdown: every character either one gives meaning to is written as
a numeric character reference, which Python-Markdown passes through untouched and browsers
show as the character itself. Digits, letters, spaces, ``.``, ``,``, ``-`` stay readable.

Text that reaches a terminal, a CI log or a test report (a fence's exception message, a
formula, a file name) is untrusted too: :func:`one_line` makes it one escaped, capped line,
:func:`safe_lines` a capped block whose only control characters are newlines and tabs.
"""

from __future__ import annotations

import html
import re

# HTML specials plus everything Python-Markdown or the default pymdownx extensions read as
# syntax (emphasis, code, links, tables, math, footnotes, emoji, critic, attr_list...).
_SPECIAL = re.compile(r"""[\t&<>"'\\`*_{}\[\]()#+!|$~^=:@%]""")
# Control characters have no HTML form, and Python-Markdown uses STX/ETX internally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible_controls(text: str) -> str:
    """Show control characters (other than tab and newline) as ``\\xNN``, as ``repr`` does."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def inline_text(value: str) -> str:
    """``value`` as Markdown text that renders to exactly ``value`` (newlines become spaces)."""
    flat = " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", visible_controls(flat))


def code_fence(
    body: str, language: str, attributes: str = "", classes: tuple[str, ...] = ()
) -> str:
    """A fenced block holding ``body`` verbatim: the fence is longer than any backtick run
    inside, so output containing fences cannot close it early. ``classes`` use superfences'
    braced form, ``{.language .class}``."""
    body = visible_controls(body)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    if classes:
        info = "{" + " ".join(f".{name}" for name in (language, *classes)) + "}"
    else:
        info = f"{language} {attributes}".strip()
    text = body if body.endswith("\n") else body + "\n"
    return f"{fence}{info}\n{text}{fence}"


def html_text(value: str) -> str:
    """Escape for HTML element content and attribute values."""
    return html.escape(value, quote=True)


# -- text that reaches a terminal, a CI log or a test report ---------------------------------
#: The longest message a log line carries; the page holds the rest.
MESSAGE_LIMIT = 2000
#: The longest multi-line detail (a traceback) a report carries.
DETAIL_LIMIT = 20_000
#: The longest error a page's error box shows (the page is where the log sends readers).
ERROR_BOX_LIMIT = 200_000
#: What a folded line break looks like: a log line stays one line, so nothing after it can
#: pass for a line of its own (``::error file=...::`` would be a GitHub Actions annotation).
FOLD = " ⏎ "
# C0 but tab, DEL, C1, the Unicode controls that reorder what a terminal shows (bidi), and
# lone surrogates.
_OTHER_CONTROLS = (
    r"\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff"  # lone surrogates: a stream encoding UTF-8 would raise on them
)
_LINE_BREAKS = r"\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_LINE_UNSAFE = re.compile(rf"\r\n|[{_LINE_BREAKS}{_OTHER_CONTROLS}]")
_DETAIL_UNSAFE = re.compile(rf"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029{_OTHER_CONTROLS}]")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _line_token(token: str) -> str:
    return FOLD if token == "\r\n" or re.fullmatch(f"[{_LINE_BREAKS}]", token) else _escaped(token)


def _detail_token(token: str) -> str:
    return "\n" if token == "\r\n" else _escaped(token)


def _safe_prefix(text: str, limit: int, detail: bool) -> tuple[str, int]:
    """The escaped form of the longest prefix of ``text`` that fits in ``limit`` characters
    once escaped, and how many characters of ``text`` that prefix is. Only the first
    ``limit`` characters are looked at, so a 20 MB message costs what a short one does."""
    pattern, replace = (_DETAIL_UNSAFE, _detail_token) if detail else (_LINE_UNSAFE, _line_token)
    pieces: list[str] = []
    room = limit
    position = 0
    for match in pattern.finditer(text, 0, limit):
        plain = text[position : match.start()]
        if len(plain) > room:
            break
        replacement = replace(match.group(0))
        pieces.append(plain)
        room -= len(plain)
        position = match.start()
        if len(replacement) > room:
            return "".join(pieces), position
        pieces.append(replacement)
        room -= len(replacement)
        position = match.end()
    plain = text[position : position + room]
    pieces.append(plain)
    return "".join(pieces), position + len(plain)


def _capped(text: str, limit: int, detail: bool) -> str:
    safe, used = _safe_prefix(text, limit, detail)
    left = len(text) - used
    return f"{safe}… ({left} more characters; see the page)" if left > 0 else safe


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` as one safe log line: line breaks folded into ``⏎``, every other control
    character shown as ``\\xNN`` (so ``ESC`` cannot drive the terminal, nor a newline start a
    forged CI annotation), and at most ``limit`` characters plus a note of how many more the
    page holds. Every message that carries a page's, a fence's or an exception's text goes
    through here on its way to a log."""
    return _capped(str(text), limit, detail=False)


def safe_lines(text: str, limit: int = DETAIL_LIMIT) -> str:
    """``text`` (a traceback, a doc-test's diff) for a multi-line report: lines stay lines,
    every other control character is shown as ``\\xNN`` (a lone ``\\r`` too: it would let a
    line overwrite the one before), and the whole is capped like :func:`one_line`."""
    return _capped(str(text), limit, detail=True)
