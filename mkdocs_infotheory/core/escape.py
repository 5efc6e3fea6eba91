"""Make untrusted text safe to splice into Markdown.

Executed output is untrusted: a value like ``<script>`` or ``*not emphasis*`` must appear
exactly as text. Inline values are spliced into the Markdown *before* it is parsed (so they
work in tables, footnotes, admonitions and even inside math), which means they must be
neutral to both HTML and Markdown: every character either one gives meaning to is written as
a numeric character reference, which Python-Markdown passes through untouched and browsers
show as the character itself. Digits, letters, spaces, ``.``, ``,``, ``-`` stay readable.
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
