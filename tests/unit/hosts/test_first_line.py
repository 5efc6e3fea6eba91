"""The file line where the page MkDocs hands over starts (MkDocs strips the front matter)."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.pages import first_line


@pytest.mark.parametrize(
    ("source", "markdown", "line"),
    [
        ("# Page\n", "# Page\n", 1),
        ("---\ntitle: T\n---\n# Page\n", "# Page\n", 4),
        ("---\ntitle: T\n---\n\n\n# Page\n", "# Page\n", 6),  # MkDocs drops the blank lines
        ("---\ntitle: T\n---\n", "", 1),  # nothing after the front matter
        ("# Page\n", "# Other\n", 1),  # not the file's text (a plugin changed it): line 1
    ],
)
def test_first_line(source: str, markdown: str, line: int) -> None:
    assert first_line(source, markdown) == line
