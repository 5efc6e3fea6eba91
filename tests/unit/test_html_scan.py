"""The HTML scanner base the math stage and the cross-references share: offsets, open elements."""

from __future__ import annotations

import markdown

from mkdocs_infotheory.html_scan import (
    VOID_TAGS,
    OffsetScanner,
    OpenElements,
    class_names,
    line_at,
    line_of_occurrence,
    line_starts,
)


class _Tags(OffsetScanner):
    """Where each start tag, end tag and text run starts, and what the page holds there."""

    def __init__(self, html: str) -> None:
        super().__init__(html, convert_charrefs=True)
        self.seen: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, self.source_offset(), self.end_of_start_tag()))

    def handle_endtag(self, tag: str) -> None:
        self.seen.append((f"/{tag}", self.source_offset(), self.source_offset()))


def _tags(html: str) -> list[tuple[str, int, int]]:
    scanner = _Tags(html)
    scanner.feed(html)
    scanner.close()
    return scanner.seen


def test_line_starts_count_newlines_only() -> None:
    assert line_starts("") == [0]
    assert line_starts("a\nbc\n\nd") == [0, 2, 5, 6]
    # A lone carriage return ends no line for the HTML parser, so it ends none here.
    assert line_starts("a\rb\r\nc") == [0, 5]


def test_offsets_are_exact_across_lines() -> None:
    html = '<p>one\ntwo <em class="x">three</em>\r\n</p>\n<div\n  id="d">four</div>'
    seen = _tags(html)
    for name, start, end in seen:
        tag = name.lstrip("/")
        assert html.startswith(f"<{'/' if name.startswith('/') else ''}{tag}", start)
        if not name.startswith("/"):
            assert html[end - 1] == ">" and "<" not in html[start + 1 : end]
    div = next(entry for entry in seen if entry[0] == "div")
    assert html[div[1] : div[2]] == '<div\n  id="d">'


def test_offsets_on_real_markdown_output() -> None:
    html = markdown.markdown(
        "# Title\n\nSome *text*\nover `two` lines.\n\n- a\n- b *c*\n", extensions=["toc"]
    )
    for name, start, _ in _tags(html):
        assert html[start:].startswith(f"<{name}")


def test_class_names_reads_every_class_attribute() -> None:
    assert class_names([("class", "a  b"), ("id", "x"), ("class", "c"), ("class", None)]) == {
        "a",
        "b",
        "c",
    }
    assert class_names([]) == frozenset()


def test_open_elements_count_marked_regions() -> None:
    elements = OpenElements()
    elements.open("p")
    elements.open("code", marked=True)
    elements.open("span", marked=True)
    assert elements.marked == 2
    elements.close("span")
    assert elements.marked == 1
    elements.close("code")
    assert elements.marked == 0


def test_an_end_tag_closes_what_its_element_holds() -> None:
    elements = OpenElements()
    elements.open("div")
    elements.open("pre", marked=True)
    elements.open("code", marked=True)  # never closed
    elements.close("pre")
    assert elements.marked == 0
    elements.close("div")
    elements.close("pre")  # stray: nothing open of that name
    assert elements.marked == 0


def test_stray_end_tag_leaves_the_region_open() -> None:
    elements = OpenElements()
    elements.open("code", marked=True)
    elements.close("em")
    assert elements.marked == 1


def test_void_elements_are_never_opened() -> None:
    elements = OpenElements()
    elements.open("code", marked=True)
    for tag in ("br", "img"):
        assert tag in VOID_TAGS
        elements.open(tag, marked=True)
    assert elements.marked == 1
    elements.close("code")
    assert elements.marked == 0
    elements.clear()
    assert elements.marked == 0


def test_line_at_counts_newlines_before_the_offset() -> None:
    text = "one\ntwo\n\nfour"
    assert [line_at(text, offset) for offset in (0, 3, 4, 8, 9, len(text))] == [1, 1, 2, 3, 4, 4]


def test_line_of_occurrence_finds_the_nth_one() -> None:
    text = "@a here\nand @a\n\n@a last\n"
    assert line_of_occurrence(text, "@a") == 1
    assert line_of_occurrence(text, "@a", 1) == 2
    assert line_of_occurrence(text, "@a", 2) == 4
    assert line_of_occurrence(text, "@a", 3) is None
    assert line_of_occurrence(text, "@b") is None
    # Overlapping occurrences count one by one.
    assert line_of_occurrence("aa\na", "a", 2) == 2
