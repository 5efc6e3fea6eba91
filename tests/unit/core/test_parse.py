from __future__ import annotations

import pytest

from mkdocs_infotheory.core.fence_options import exec_value
from mkdocs_infotheory.core.parse import ParsedPage, parse_page


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
        ('python exec="on" result="two words"', "result='two words' is not one of"),
        ('bash exec="on" returncode="some"', "returncode='some' must be a whole number"),
        ('python exec="on" width="-2"', "width='-2' must be a whole number from 0"),
        ('python exec="on" html="perhaps"', "html='perhaps' is neither true"),
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


@pytest.mark.parametrize("value", ["on", "ON", "true", "True", "yes", "1"])
def test_exec_values_that_run(value: str) -> None:
    parsed = parse_page(f'```python exec="{value}"\nx\n```\n')
    assert len(parsed.cells) == 1 and parsed.plain == []


@pytest.mark.parametrize("value", ["off", "OFF", "false", "no", "0"])
def test_false_exec_values_are_ordinary_code_blocks(value: str) -> None:
    text = f'Intro\n\n```python exec="{value}"\nx\n```\n'
    parsed = parse_page(text, first_line=3)
    assert parsed.cells == [] and parsed.problems == []
    (plain,) = parsed.plain
    assert (plain.line, plain.message, plain.opening) == (5, "", "```python")
    assert text[plain.start : plain.end] == f'```python exec="{value}"'


@pytest.mark.parametrize("value", ["maybe", "", "onn", " on", "2"])
def test_unknown_exec_values_are_code_blocks_with_a_warning(value: str) -> None:
    (plain,) = parse_page(f'# T\n\n```python exec="{value}"\nx\n```\n').plain
    assert plain.line == 3 and plain.opening == "```python"
    assert f"exec={value!r} is neither true (on, true, yes, 1" in plain.message
    assert "false (off, false, no, 0" in plain.message


def test_exec_value_has_one_reader() -> None:
    assert [exec_value(v) for v in ("on", "Yes", "off", "0", "maybe", "")] == [
        True,
        True,
        False,
        False,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("opening", "shown"),
    [
        ('```python exec="off" title="a.py" result="markdown"', '```python title="a.py"'),
        ("~~~~bash exec=off linenums='1' session=s", '~~~~bash linenums="1"'),
        ('```python exec="off" caption=\'say "hi"\'', "```python"),
        ('``` {.python exec="off" .keep #id data-x="1"}', '```{.python .keep #id data-x="1"}'),
        ('```python {exec="no" hl_lines="2"}', '```python hl_lines="2"'),
        ('```python exec="off" title=\'a "b"\'', "```python title='a \"b\"'"),
    ],
)
def test_plain_fence_opening_keeps_only_what_the_highlighter_reads(
    opening: str, shown: str
) -> None:
    marker = opening[:4].rstrip("p{ ").rstrip("b")
    (plain,) = parse_page(f"{opening}\nx\n{marker}\n").plain
    assert plain.opening == shown


def test_plain_fence_in_a_container_keeps_its_prefix() -> None:
    text = (
        '> ```python exec="off"\n> x\n> ```\n\n!!! note\n\n    ```python exec="0"\n    y\n    ```\n'
    )
    quoted, boxed = parse_page(text).plain
    assert quoted.opening == "> ```python" and boxed.opening == "    ```python"
    assert text[boxed.start : boxed.end] == '    ```python exec="0"'


def test_no_exec_option_is_not_ours() -> None:
    parsed = parse_page('```python execute="on" title="t"\nx\n```\n')
    assert parsed == ParsedPage()
