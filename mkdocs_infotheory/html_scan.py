"""What every scanner of a page's HTML shares: exact offsets and the open elements.

The math stage (:mod:`mkdocs_infotheory.math.scan`) and the cross-references
(:mod:`mkdocs_infotheory.refs.html`) both read a page with :class:`html.parser.HTMLParser` and
hand it back byte for byte identical outside their edits, so both need the offset in the page
of the token being read (the parser reports only a line and a column) and both must know which
elements are open, to tell text in code, a link or a formula from prose. Host-neutral: no
MkDocs or Markdown imports.

The line an offset falls on (:func:`line_at`, :func:`line_of_occurrence`) is here too, for any
text: the Markdown line a problem names is found the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

#: Elements without an end tag: never pushed on an :class:`OpenElements` stack.
VOID_TAGS = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


def line_starts(html: str) -> list[int]:
    """The offset where each line of ``html`` starts (index 0 is line 1).

    Lines end at ``"\\n"`` only, as :class:`~html.parser.HTMLParser` counts them.
    """
    starts = [0]
    newline = html.find("\n")
    while newline != -1:
        starts.append(newline + 1)
        newline = html.find("\n", newline + 1)
    return starts


def line_at(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that ``offset`` falls on (lines end at ``"\\n"``)."""
    return text.count("\n", 0, offset) + 1


def line_of_occurrence(text: str, needle: str, occurrence: int = 0) -> int | None:
    """The line of ``needle``'s occurrence number ``occurrence`` (0 is the first) in
    ``text``, or ``None`` if it occurs fewer times."""
    position = -1
    for _ in range(occurrence + 1):
        position = text.find(needle, position + 1)
        if position < 0:
            return None
    return line_at(text, position)


def class_names(attrs: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    """The classes a start tag's attributes give (every ``class`` attribute counts)."""
    names: set[str] = set()
    for name, value in attrs:
        if name == "class" and value:
            names.update(value.split())
    return frozenset(names)


class OffsetScanner(HTMLParser):
    """An :class:`~html.parser.HTMLParser` that knows where in the page each token starts.

    ``html`` is the page the offsets refer to; what is fed may be a copy of the same length
    and lines (the math scanner blanks code blocks first).
    """

    def __init__(self, html: str, *, convert_charrefs: bool) -> None:
        super().__init__(convert_charrefs=convert_charrefs)
        self._html = html
        self._line_starts = line_starts(html)

    def source_offset(self) -> int:
        """Offset in the page of the token being handled.

        (Not ``offset``: :class:`~html.parser.HTMLParser` keeps the column under that name.)
        """
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def end_of_start_tag(self) -> int:
        """Offset just past the start tag being handled."""
        return self.source_offset() + len(self.get_starttag_text() or "")


class OpenElements:
    """The elements open at the parser's position, some of them *marked* (a region skipped).

    An end tag closes the innermost open element of its name and every element opened inside
    it (HTML a Markdown renderer writes is well nested; this keeps a stray end tag from
    leaving a skipped region open for the rest of the page). ``marked`` says how many open
    elements are marked, so "inside a skipped region" costs nothing to ask.
    """

    __slots__ = ("_stack", "marked")

    def __init__(self) -> None:
        self._stack: list[tuple[str, bool]] = []
        self.marked = 0

    def open(self, tag: str, marked: bool = False) -> None:
        """A start tag (void elements are not opened: they have no end tag)."""
        if tag in VOID_TAGS:
            return
        self._stack.append((tag, marked))
        if marked:
            self.marked += 1

    def close(self, tag: str) -> None:
        """An end tag: close the innermost ``tag`` and what it holds; a stray one does nothing."""
        stack = self._stack
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0] == tag:
                self.marked -= sum(1 for _, marked in stack[index:] if marked)
                del stack[index:]
                return

    def clear(self) -> None:
        self._stack.clear()
        self.marked = 0
