"""Lines of text a host expanded (snippets included) are named by the author's file.

A host that expands a page before the engine sees it hands :meth:`Engine.prepare` a map from
each line of the expanded text to the file line it stands for; every cell and every fence
problem then points at the author's file: inserted lines at the line that included them.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs_infotheory.core import Engine, EngineSettings
from mkdocs_infotheory.hosts.lines import line_map

FENCE = ['```python exec="on"', "print(1)", "```"]
#: The file: two lines of front matter, then the body (file line 4 is the body's first line).
FILE = ["---", "title: T", "---", "# Page", "--8<-- 'part.md'", "", *FENCE]
FIRST_LINE = 4
PART = ['```python exec="on"', "print(0)", "```", "", '```python exec="on" source="bogus"', "x"]
PART += ["```"]


def _prepare(tmp_path: Path, body: list[str], mapped: list[int] | None = None):
    engine = Engine(EngineSettings(execute=False, cwd=str(tmp_path)))
    return engine.prepare("docs/page.md", "\n".join(body) + "\n", FIRST_LINE, mapped)


def test_cells_and_problems_point_at_the_authors_file(tmp_path: Path) -> None:
    body = FILE[FIRST_LINE - 1 :]
    expanded = [body[0], *PART, *body[2:]]
    page = _prepare(tmp_path, expanded, line_map(body, expanded))
    include = FILE.index("--8<-- 'part.md'") + 1  # file line 5
    own_code = FILE.index("print(1)") + 1  # file line 8
    assert [cell.line for cell in page.cells] == [include, own_code]
    assert [problem.line for problem in page.parsed.problems] == [include]


def test_without_a_map_lines_count_from_the_first_line(tmp_path: Path) -> None:
    page = _prepare(tmp_path, FILE[FIRST_LINE - 1 :])
    assert [cell.line for cell in page.cells] == [FILE.index("print(1)") + 1]


def test_an_identity_map_changes_nothing(tmp_path: Path) -> None:
    body = FILE[FIRST_LINE - 1 :]
    plain = _prepare(tmp_path, body)
    mapped = _prepare(tmp_path, body, list(range(1, len(body) + 2)))
    assert [c.line for c in mapped.cells] == [c.line for c in plain.cells]


def test_a_map_shorter_than_the_text_stops_at_its_last_line(tmp_path: Path) -> None:
    """A host's map that misses trailing lines names the last line it knows, never a line
    outside the file (and never an IndexError)."""
    body = FILE[FIRST_LINE - 1 :]
    page = _prepare(tmp_path, body, [1, 2])
    assert [cell.line for cell in page.cells] == [FIRST_LINE - 1 + 2]
