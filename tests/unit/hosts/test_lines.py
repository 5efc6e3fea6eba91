"""Where a page's text sits in the author's file: the pieces that turn a line of the text a
host hands over into ``docs/PAGE.md:LINE``."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.hosts.lines import line_map
from mkdocs_infotheory.pages import body_start


@pytest.mark.parametrize(
    ("source", "start"),
    [
        ("# Title\n", 1),
        ("", 1),
        ("---\ntitle: T\n---\n# Title\n", 4),
        ("---\ntitle: T\ndescription: D\n...\nBody\n", 5),  # YAML's own end marker
        ("---   \ntitle: T\n---\t\nBody\n", 4),  # trailing blanks on either marker
        ("---\ntitle: T\n", 1),  # never closed: not front matter
        ("\n---\ntitle: T\n---\n", 1),  # front matter starts on the first line or not at all
        ("# Title\n\n---\n\nA rule, then\n---\n", 1),  # rules later on are text
    ],
)
def test_body_start(source: str, start: int) -> None:
    assert body_start(source) == start


def test_line_map_of_unchanged_text_is_the_identity() -> None:
    lines = ["a", "b", "c"]
    assert line_map(lines, list(lines)) == [1, 2, 3]


def test_included_lines_point_to_the_line_that_included_them() -> None:
    original = ["intro", "--8<-- 'part.md'", "after", "end"]
    expanded = ["intro", "part 1", "part 2", "part 3", "after", "end"]
    assert line_map(original, expanded) == [1, 2, 2, 2, 3, 4]


def test_an_include_at_the_start_and_one_at_the_end() -> None:
    original = ["--8<-- 'head.md'", "middle", "--8<-- 'tail.md'"]
    expanded = ["h1", "h2", "middle", "t1"]
    assert line_map(original, expanded) == [1, 1, 2, 3]


def test_a_line_that_expands_to_nothing_shifts_the_rest_back() -> None:
    original = ["a", "--8<-- 'empty.md'", "b", "c"]
    expanded = ["a", "b", "c"]
    assert line_map(original, expanded) == [1, 3, 4]


def test_repeated_lines_keep_their_own_numbers() -> None:
    """Blank lines and fence markers repeat in every page: each keeps the number it has."""
    original = ["```python", "x", "```", "", "--8<-- 'p.md'", "", "```python", "y", "```"]
    expanded = ["```python", "x", "```", "", "", "included", "", "", "```python", "y", "```"]
    mapped = line_map(original, expanded)
    assert len(mapped) == len(expanded)
    assert mapped[:4] == [1, 2, 3, 4]
    assert mapped[expanded.index("included")] == 5
    assert mapped[-3:] == [7, 8, 9]
