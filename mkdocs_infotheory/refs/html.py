"""Read a page's HTML once for what cross-references need: prose text runs and figures.

Offsets are exact (the page is handed back byte for byte identical outside the edits), and
text inside code, preformatted blocks, links, scripts and math is never offered for rewriting,
so ``@eq-kl`` shown as code, inside a link text or in a formula stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..html_scan import OffsetScanner, OpenElements
from .kinds import THEOREM_CLASS, THEOREM_NUMBER_CLASS

_SKIP_TAGS = frozenset(
    {"pre", "code", "kbd", "samp", "script", "style", "textarea", "a", "math", "svg", "title"}
)
_SKIP_CLASSES = frozenset({"arithmatex", "katex", "infotheory-math-error", "MathJax"})
#: Classes of the number span in captions (the core writes them for fence figures and tables).
NUMBER_CLASSES = {"figure": "infotheory-figure-number", "table": "infotheory-table-number"}
#: pymdown-extensions' own number span (``/// figure-caption``, ``/// table-caption``).
_NUMBER_SPAN_CLASSES = frozenset({*NUMBER_CLASSES.values(), "caption-prefix"})


@dataclass(slots=True)
class FigureSite:
    """A ``<figure>`` that may be numbered."""

    start: int
    id: str | None
    classes: frozenset[str]
    #: Offset just after ``<figcaption ...>`` (or after its first ``<p>``): where a number goes.
    caption_at: int | None = None
    #: ``(start, end)`` of the text of an existing number span, replaced instead.
    number_span: tuple[int, int] | None = None


@dataclass(slots=True)
class TheoremSite:
    """A theorem-like block (:mod:`mkdocs_infotheory.blocks`) to number."""

    #: Offsets of its start tag (rewritten to carry the number in its aria-label).
    start: int
    tag_end: int
    kind: str
    id: str | None
    #: Offset inside its empty number span: where " 1" goes.
    number_at: int | None = None


@dataclass(slots=True)
class PageScan:
    texts: list[tuple[int, int]] = field(default_factory=list)
    figures: list[FigureSite] = field(default_factory=list)
    theorems: list[TheoremSite] = field(default_factory=list)


def scan_page(html: str) -> PageScan:
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    scanner.flush_text()
    return scanner.scan


def element_ids(html: str) -> set[str]:
    """Every ``id`` in ``html`` (headings, attribute lists, footnotes...): an equation label
    equal to one of them would make two anchors of one name."""
    collector = _IdCollector()
    collector.feed(html)
    collector.close()
    return collector.ids


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


class _Scanner(OffsetScanner):
    def __init__(self, html: str) -> None:
        super().__init__(html, convert_charrefs=False)
        self.scan = PageScan()
        self._open = OpenElements()  # marked: starts a region never offered for rewriting
        self._text_start: int | None = None
        self._text_end = 0
        self._figure: FigureSite | None = None
        self._in_caption = False
        self._caption_paragraph = False
        self._number_span_start: int | None = None

    def flush_text(self) -> None:
        if self._text_start is not None and self._text_end > self._text_start:
            self.scan.texts.append((self._text_start, self._text_end))
        self._text_start = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush_text()
        attributes = dict(attrs)
        classes = frozenset((attributes.get("class") or "").split())
        if tag == "div" and THEOREM_CLASS in classes and not self._open.marked:
            kind = attributes.get("data-infotheory-kind") or ""
            site = TheoremSite(
                self.source_offset(), self.end_of_start_tag(), kind, attributes.get("id")
            )
            self.scan.theorems.append(site)
        elif tag == "span" and THEOREM_NUMBER_CLASS in classes and self.scan.theorems:
            site = self.scan.theorems[-1]
            if site.number_at is None:
                site.number_at = self.end_of_start_tag()
        if tag == "figure" and not self._open.marked:
            self._figure = FigureSite(self.source_offset(), attributes.get("id"), classes)
            self.scan.figures.append(self._figure)
        elif tag == "figcaption" and self._figure is not None and self._figure.caption_at is None:
            self._in_caption = True
            self._caption_paragraph = True
            self._figure.caption_at = self.end_of_start_tag()
        elif self._in_caption and tag == "p" and self._caption_paragraph and self._figure:
            self._figure.caption_at = self.end_of_start_tag()
            self._caption_paragraph = False
        elif self._in_caption and tag == "span" and classes & _NUMBER_SPAN_CLASSES:
            self._number_span_start = self.end_of_start_tag()
        if self._in_caption and tag != "figcaption" and tag != "p":
            self._caption_paragraph = False
        self._open.open(tag, tag in _SKIP_TAGS or bool(classes & _SKIP_CLASSES))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush_text()

    def handle_endtag(self, tag: str) -> None:
        self.flush_text()
        if tag == "span" and self._number_span_start is not None and self._figure is not None:
            self._figure.number_span = (self._number_span_start, self.source_offset())
            self._number_span_start = None
        if tag == "figcaption":
            self._in_caption = False
        if tag == "figure":
            self._figure = None
        self._open.close(tag)

    def handle_data(self, data: str) -> None:
        if self._in_caption and data.strip():
            self._caption_paragraph = False
        if self._open.marked:
            return
        start = self.source_offset()
        if self._text_start is None:
            self._text_start = start
        self._text_end = start + len(data)

    def handle_entityref(self, name: str) -> None:
        self.flush_text()

    def handle_charref(self, name: str) -> None:
        self.flush_text()

    def handle_comment(self, data: str) -> None:
        self.flush_text()
