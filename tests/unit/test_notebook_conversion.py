"""The pure parts of notebook pages: conversion, its line map, math, stored-output safety."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from mkdocs_infotheory.core import parse_page
from mkdocs_infotheory.core.model import Diagnostic
from mkdocs_infotheory.notebooks import NotebookError, convert, sanitize_output
from mkdocs_infotheory.notebooks.cells import markdown_cell
from mkdocs_infotheory.notebooks.embed import embed_notebooks
from mkdocs_infotheory.notebooks.sanitize import clean_html


def test_notebook_blocks_expand_outside_fences_only(tmp_path: Path) -> None:
    (tmp_path / "n.ipynb").write_text(notebook_text(new_code_cell("print(1)")), encoding="utf-8")
    page = (
        "# P\n\n/// notebook | n.ipynb\n///\n\n```text\n/// notebook | n.ipynb\n```\n"
        "/// notebook | ../outside.ipynb\n"
    )
    embedded = embed_notebooks(page, tmp_path, "rerun", keep, lambda p: f"docs/{p.name}")
    assert embedded is not None
    parsed = parse_page(embedded.text)
    assert [cell.code for cell in parsed.cells] == ["print(1)\n"]
    assert embedded.lines[parsed.cells[0].line - 1] == 3  # the block's line
    assert "```text\n/// notebook | n.ipynb\n```" in embedded.text
    assert [line for line, _ in embedded.problems] == [9]
    assert "inside the docs folder" in embedded.problems[0][1]
    assert embed_notebooks("# No block\n", tmp_path, "rerun", keep, str) is None


def notebook_text(*cells: object) -> str:
    return nbformat.writes(new_notebook(cells=list(cells)))


def keep(html: str, block: bool) -> str:
    return f"<<{html}>>"


def test_code_cells_become_fences_and_lines_map_back_to_cells() -> None:
    text = notebook_text(
        new_markdown_cell("# Title\n\nProse."),
        new_code_cell("a = 1\n\nb = a + 1\n\n"),
        new_raw_cell("\\section{LaTeX only}", metadata={"format": "text/latex"}),
        new_code_cell("", outputs=[]),
        new_code_cell("print(b)", metadata={"tags": ["remove-input"]}),
    )
    notebook = convert(text, "docs/n.ipynb", "rerun", keep)
    parsed = parse_page(notebook.markdown)
    assert [cell.code for cell in parsed.cells] == ["a = 1\n\nb = a + 1\n", "print(b)\n"]
    assert parsed.cells[1].options.source == "none"
    assert "LaTeX only" not in notebook.markdown
    # The second line of code of cell 2, and the only line of cell 5.
    assert notebook.where(parsed.cells[0].line + 2) == "cell 2, line 3"
    assert notebook.where(parsed.cells[1].line) == "cell 5, line 1"
    assert notebook.where(parsed.cells[0].line - 1) == "cell 2"  # the fence line
    located = notebook.locate(
        Diagnostic(
            "warning",
            "docs/n.ipynb",
            parsed.cells[1].line,
            "E",
            f'File "docs/n.ipynb", line {parsed.cells[1].line}, in <module>',
        )
    )
    assert str(located) == "docs/n.ipynb:cell 5, line 1: E"
    assert located.detail == 'File "docs/n.ipynb", cell 5, line 1, in <module>'


def test_cell_magics_that_name_a_language_become_that_language() -> None:
    text = notebook_text(
        new_code_cell("%%latex\n\\begin{align}a &= b\\end{align}"),
        new_code_cell("%%bash\necho one\nexit 3"),
        new_code_cell("%%markdown\n**bold** $x$"),
        new_code_cell("%%timeit\nsum(range(10))"),
    )
    notebook = convert(text, "docs/m.ipynb", "rerun", keep)
    parsed = parse_page(notebook.markdown)
    assert [(cell.language, cell.code) for cell in parsed.cells] == [
        ("bash", "echo one\nexit 3\n"),
        ("python", "%%timeit\nsum(range(10))\n"),  # not Python: fails at its line
    ]
    assert notebook.where(parsed.cells[0].line + 1) == "cell 2, line 3"
    assert '<<<span class="arithmatex">\\[\\begin{align}a &amp;= b\\end{align}\\]' in (
        notebook.markdown
    )
    assert "**bold** $x$" in notebook.markdown


def test_display_math_is_protected_and_code_is_not_touched() -> None:
    source = "Text\n$$\na\\|b\n$$\nafter `$$x$$` and\n```\n$$y$$\n```\n\\begin{align}c\\end{align}"
    markdown, lines = markdown_cell(source, {}, keep)
    assert markdown.splitlines() == [
        "Text",
        '<<<span class="arithmatex">\\[a\\|b\\]</span>>>',
        "after `$$x$$` and",
        "```",
        "$$y$$",
        "```",
        '<<<span class="arithmatex">\\[\\begin{align}c\\end{align}\\]</span>>>',
    ]
    assert lines == [1, 2, 5, 6, 7, 8, 9]


def test_math_in_raw_html_is_protected_and_escaped_backslashes_close_formulas() -> None:
    source = (
        "Prose $a$ is arithmatex's.\n"
        '<details class="tip">\n'
        "  <p>Of $A$ given \\(B\\), costs $ 5 and\n"
        "  $$x \\\\$$</p>\n\n"
        "  <div>$y_1$</div>\n"
        "</details>\n"
        "After $z$."
    )
    markdown, lines = markdown_cell(source, {}, keep)
    assert markdown.splitlines() == [
        "Prose $a$ is arithmatex's.",
        '<details class="tip">',
        '  <p>Of <<<span class="arithmatex">\\(A\\)</span>>> given '
        '<<<span class="arithmatex">\\(B\\)</span>>>, costs $ 5 and',
        '  <<<span class="arithmatex">\\[x \\\\\\]</span>>></p>',
        "",
        '  <div><<<span class="arithmatex">\\(y_1\\)</span>>></div>',
        "</details>",
        "After $z$.",
    ]
    assert lines == list(range(1, 9))


def test_unreadable_notebooks_name_the_file() -> None:
    with pytest.raises(NotebookError, match=r"docs/x\.ipynb is not a notebook nbformat"):
        convert("{not json", "docs/x.ipynb", "rerun", keep)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            "<table><tr><td colspan='2' onclick='x()'>1</td></tr></table>",
            '<table><tr><td colspan="2">1</td></tr></table>',
        ),
        ("<script>alert(1)</script><b>ok", "<b>ok</b>"),
        ("<div><style>p{}</style><a href='javascript:x'>link</a></div>", "<div>link</div>"),
        ("<p>1 < 2 &amp; <iframe src=x>inside</iframe></p>", "<p>1 &lt; 2 &amp; </p>"),
        ("</td></tr><td>", "<td></td>"),
    ],
)
def test_clean_html_keeps_structure_and_drops_what_acts(fragment: str, expected: str) -> None:
    assert clean_html(fragment) == expected


def test_stored_pictures_are_checked() -> None:
    assert sanitize_output("image/png", "PHNjcmlwdD4=") is None  # "<script>", not a PNG
    assert sanitize_output("image/png", "not base64!") is None
    assert sanitize_output("image/svg+xml", "<script>x</script>") is None
    svg = sanitize_output("image/svg+xml", "<svg onload='x()'></svg>")
    assert svg is not None and "onload" not in svg and "data:image/svg+xml;base64," in svg
    assert sanitize_output("application/javascript", "alert(1)") is None
