"""Find the formulas that ``pymdownx.arithmatex`` left in a page's HTML.

Arithmatex in ``generic: true`` mode (what KaTeX setups use) emits

* inline: ``<span class="arithmatex">\\(TeX\\)</span>``,
* display: ``<div class="arithmatex">\\[TeX\\]</div>`` (also for ``$$..$$``, for
  ``\\begin{env}..\\end{env}`` blocks, where the environment is part of TeX, and for
  SuperFences ``math`` fences, which may add an ``id``, classes and attributes),

with ``<``, ``>`` and ``&`` HTML-escaped, the delimiters configurable through
``tex_inline_wrap``/``tex_block_wrap`` and the tags through ``inline_tag``/``block_tag``.
In its MathJax mode (``generic: false``) it emits ``<script type="math/tex">`` (with
``; mode=display`` for display math) plus an optional ``MathJax_Preview`` element; that is read
too, so switching the Markdown config does not silently leave math unrendered.

Why a real HTML tokenizer and exact offsets: the page is handed back with only the formula
elements replaced, byte for byte identical elsewhere, and text inside ``<pre>``/``<code>``
(TeX shown as code) is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from ..html_scan import OffsetScanner, OpenElements, class_names

# Tried in order; ``$$`` must come before ``$``.
_DELIMITERS: tuple[tuple[str, str, bool], ...] = (
    ("\\(", "\\)", False),
    ("\\[", "\\]", True),
    ("$$", "$$", True),
    ("$", "$", False),
)
_SKIP_TAGS = frozenset({"pre", "code"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Markers of output this package already produced: rendering twice must be a no-op.
_DONE_CLASSES = frozenset({"katex", "infotheory-math-error"})


@dataclass(frozen=True, slots=True)
class Formula:
    """One arithmatex element: where it sits in the page and what it says."""

    start: int
    """Offset of the element's start tag in the page."""
    end: int
    """Offset just past the element's end tag."""
    tag: str
    start_tag: str
    """The start tag exactly as written (kept, with its id, classes and attributes)."""
    tex: str
    """The TeX, HTML-unescaped, delimiters and surrounding whitespace removed."""
    display: bool
    source: str
    """The TeX as the author wrote it, with delimiters: shown in the page if KaTeX fails."""
    in_heading: bool = False
    """Inside an ``<h1>``..``<h6>``: its text is also a search title (see ``transform``)."""


def find_formulas(html: str) -> list[Formula]:
    """Every unrendered arithmatex formula in ``html``, in document order."""
    if "arithmatex" not in html:
        return []
    scanner = _Scanner(html)
    scanner.feed(_without_code_blocks(html))
    scanner.close()
    return scanner.formulas


# A ``<pre>`` block as Python-Markdown and Pygments write it (attributes without ``<``/``>``).
_PRE_BLOCK = re.compile(r'<pre(?:\s+[\w:-]+(?:="[^"<>]*")?)*\s*>(.*?)</pre>', re.S)
# Content after which blanking a block could change how the rest of the page parses.
_UNSAFE_IN_BLOCK = ("arithmatex", "<pre", "<!--", "-->", "<![CDATA[", "]]>", "</script", "</style")
_NOT_NEWLINE = re.compile(r"[^\n]")


def _without_code_blocks(html: str) -> str:
    """``html`` with the content of its ``<pre>`` blocks blanked (same length and lines).

    Why: formulas inside ``<pre>`` are never rendered, and highlighted code is most of a
    page's tags (one ``<span>`` per token), which the HTML parser would otherwise read one by
    one. Offsets and line numbers stay those of ``html``. A block whose content could matter
    (it mentions arithmatex, opens a comment, ends a script...) is left as it is.
    """

    def blank(match: re.Match[str]) -> str:
        content = match[1]
        if any(marker in content for marker in _UNSAFE_IN_BLOCK):
            return match[0]
        start = match.start(1) - match.start(0)
        return match[0][:start] + _NOT_NEWLINE.sub(" ", content) + match[0][start + len(content) :]

    return _PRE_BLOCK.sub(blank, html)


def split_delimiters(text: str, tag: str) -> tuple[str, bool, str, str]:
    """``(tex, display, open, close)`` for an arithmatex element's text content."""
    stripped = text.strip()
    for open_, close, display in _DELIMITERS:
        if (
            len(stripped) >= len(open_) + len(close)
            and stripped.startswith(open_)
            and stripped.endswith(close)
        ):
            return stripped[len(open_) : len(stripped) - len(close)].strip(), display, open_, close
    # ``tex_*_wrap: ["", ""]``: no delimiters, so the element kind decides.
    display = tag != "span" or stripped.startswith("\\begin{")
    return stripped, display, "", ""


@dataclass(slots=True)
class _Open:
    """The arithmatex element being read."""

    tag: str
    start: int
    start_tag: str
    depth: int = 1
    done: bool = False
    text: str = ""
    script: str | None = None
    script_display: bool = False
    in_script: bool = False


class _Scanner(OffsetScanner):
    def __init__(self, html: str):
        super().__init__(html, convert_charrefs=True)
        self._skip = {tag: 0 for tag in _SKIP_TAGS}
        self._headings = 0  # open <h1>..<h6> elements
        self._open: _Open | None = None
        # Inside _open: its elements, marked where they are a MathJax preview (not the TeX).
        self._inner = OpenElements()
        self.formulas: list[Formula] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = class_names(attrs)
        current = self._open
        if current is not None:
            if tag == current.tag:
                current.depth += 1
            if classes & _DONE_CLASSES:
                current.done = True
            if tag == "script":
                kind = dict(attrs).get("type") or ""
                if kind.startswith("math/tex"):
                    current.in_script = True
                    current.script = ""
                    current.script_display = "mode=display" in kind
            self._inner.open(tag, "MathJax_Preview" in classes)
            return
        if tag in _SKIP_TAGS:
            self._skip[tag] += 1
            return
        if tag in _HEADING_TAGS:
            self._headings += 1
        if "arithmatex" in classes and not any(self._skip.values()):
            start_tag = self.get_starttag_text() or ""
            self._open = _Open(tag=tag, start=self.source_offset(), start_tag=start_tag)
            self._inner.clear()

    def handle_endtag(self, tag: str) -> None:
        current = self._open
        if current is None:
            if tag in _SKIP_TAGS and self._skip[tag] > 0:
                self._skip[tag] -= 1
            elif tag in _HEADING_TAGS and self._headings > 0:
                self._headings -= 1
            return
        if tag == "script":
            current.in_script = False
        if tag == current.tag:
            current.depth -= 1
            if current.depth == 0:
                self._finish(current)
                return
        self._inner.close(tag)

    def handle_data(self, data: str) -> None:
        current = self._open
        if current is None or self._inner.marked:
            return
        if current.in_script:
            # Script content reaches us raw; arithmatex escaped it.
            current.script = (current.script or "") + unescape(data)
        else:
            current.text += data

    def _finish(self, current: _Open) -> None:
        self._open = None
        self._inner.clear()
        end_tag_at = self.source_offset()
        end = self._html.index(">", end_tag_at) + 1
        if current.done:
            return
        if current.script is not None:
            tex = current.script.strip()
            display = current.script_display
            open_, close = ("\\[", "\\]") if display else ("\\(", "\\)")
        else:
            tex, display, open_, close = split_delimiters(current.text, current.tag)
        if not tex:
            return
        self.formulas.append(
            Formula(
                start=current.start,
                end=end,
                tag=current.tag,
                start_tag=current.start_tag,
                tex=tex,
                display=display,
                source=f"{open_}{tex}{close}",
                in_heading=self._headings > 0,
            )
        )
