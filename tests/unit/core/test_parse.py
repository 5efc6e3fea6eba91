from __future__ import annotations

import pytest

from mkdocs_infotheory.core.parse import parse_page


def test_exec_fence_with_options_and_lines() -> None:
    text = 'Intro\n\n```python exec="on" source="below" result="markdown" session="s"\nx = 1\n```\n'
    (cell,) = parse_page(text, first_line=4).cells
    assert cell.kind == "fence" and cell.language == "python"
    assert cell.code == "x = 1\n"
    assert cell.line == 7, "text line 1 is file line 4; the code is on text line 4"
    assert (cell.options.source, cell.options.result, cell.session) == ("below", "markdown", "s")
    assert text[cell.start : cell.end].startswith("```python") and text[cell.end :] == ""


@pytest.mark.parametrize(
    "opening",
    [
        '```python exec="on"',
        "```python exec=on",
        '``` {.python exec="on"}',
        "~~~python exec='1'",
        '````py exec="true"',
    ],
)
def test_fence_spellings(opening: str) -> None:
    fence = opening.split("p")[0].split("{")[0].strip()
    cells = parse_page(f"{opening}\nprint(1)\n{fence}\n").cells
    assert [c.code for c in cells] == ["print(1)\n"]


def test_non_exec_fences_are_opaque() -> None:
    text = (
        '````markdown\n```python exec="on"\nprint(1)\n```\n`{python} 2`\n````\n'
        '```python exec="off"\nprint(3)\n```\n'
    )
    assert parse_page(text).cells == []


def test_indented_fence_in_admonition_and_blockquote() -> None:
    text = '!!! note\n\n    ```python exec="on"\n    if True:\n        print(1)\n    ```\n'
    (cell,) = parse_page(text).cells
    assert cell.code == "if True:\n    print(1)\n" and cell.prefix == "    "
    quoted = '> ```python exec="on"\n> print(2)\n> ```\n'
    (cell,) = parse_page(quoted).cells
    assert cell.code == "print(2)\n" and cell.prefix == "> "


def test_inline_expressions_follow_code_span_rules() -> None:
    text = (
        "A `{python} 1 + 1` and ``{python} literal`` and `` `{python} shown` `` and\n"
        "`{python} multi\nline` and \\`{python} escaped` text\n"
    )
    cells = parse_page(text, first_line=10).cells
    assert [(c.code, c.line) for c in cells] == [("1 + 1", 10), ("multi line", 11)]


def test_inline_span_does_not_cross_paragraphs() -> None:
    assert parse_page("`{python} 1\n\nnext` para\n").cells == []


@pytest.mark.parametrize(
    ("info", "message"),
    [
        ('python exec="on" sorce="none"', "unknown fence option 'sorce'"),
        ('python exec="on" source="left"', "source='left' is not one of"),
        ('python exec="on" result="json"', "result='json' is not one of"),
        ('python exec="on" timeout="soon"', "must be a number of seconds above 0"),
        ('python exec="on" timeout="inf"', "timeout='inf' must be a number of seconds above 0"),
        ('python exec="on" timeout="1e12"', "at most 86400 (24 hours)"),
        ('python exec="on" timeout="0"', "timeout='0' must be"),
        ('python exec="on" timeout="-3"', "timeout='-3' must be"),
        ('python exec="on" timeout="nan"', "timeout='nan' must be"),
        ('python exec="on" timeout="-inf"', "timeout='-inf' must be"),
        ('ruby exec="on"', "cannot execute a 'ruby' fence"),
    ],
)
def test_option_problems_are_reported_with_line(info: str, message: str) -> None:
    parsed = parse_page(f"# T\n\n```{info}\nx\n```\n")
    assert parsed.cells == []
    (problem,) = parsed.problems
    assert problem.line == 3 and message in problem.message


def test_largest_timeout_is_accepted() -> None:
    (cell,) = parse_page('```python exec="on" timeout="86400"\nx\n```\n').cells
    assert cell.options.timeout == 86400


def test_unclosed_exec_fence() -> None:
    (problem,) = parse_page('```python exec="on"\nprint(1)\n').problems
    assert "never closed" in problem.message


def test_cells_are_in_document_order() -> None:
    text = '`{python} a`\n\n```python exec="on"\na = 1\n```\n\n`{python} a`\n'
    assert [c.kind for c in parse_page(text).cells] == ["inline", "fence", "inline"]
    assert [c.index for c in parse_page(text).cells] == [0, 1, 2]
