"""markdown-exec's vocabulary read by the parser, and the ANSI converter (pure pieces; the
built pages are in tests/build/test_markdown_exec_compat.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from mkdocs_infotheory.core.ansi import ansi_to_html
from mkdocs_infotheory.core.fence_options import exec_value
from mkdocs_infotheory.core.formatters.pycon import writes_outputs
from mkdocs_infotheory.core.parse import parse_page


@pytest.mark.parametrize("value", ["on", "1", "true", "yes", "anything", "please"])
def test_markdown_exec_runs_every_value_but_the_false_ones(value: str) -> None:
    assert exec_value(value, "markdown-exec") is True


@pytest.mark.parametrize("value", ["", "no", "off", "false", "0", "FALSE"])
def test_markdown_exec_false_values_show_code(value: str) -> None:
    assert exec_value(value, "markdown-exec") is False


def test_without_compat_an_unknown_value_is_a_question() -> None:
    assert exec_value("please") is None and exec_value("yes") is True


def test_compat_defaults_are_markdown_execs_and_ours_stay_without_it() -> None:
    page = '```python exec="on"\nprint(1)\n```\n\n```pycon exec="on"\n>>> 1\n```\n'
    ours = parse_page(page).cells
    theirs = parse_page(page, compat="markdown-exec").cells
    assert [(c.options.source, c.options.result) for c in ours] == [("above", "text")] * 2
    assert [(c.options.source, c.options.result) for c in theirs] == [("none", "markdown")] * 2
    assert [c.language for c in ours] == ["python", "pycon"]
    assert [c.language for c in theirs] == ["python", "pycon_script"]


def test_the_vocabulary_is_read() -> None:
    info = (
        'bash exec="on" source="material-block" html="true" returncode="2" width="40" '
        'workdir="sub" id="x" idprefix="" updatetoc="no" tabs="A \\| B|C" title="t.sh"'
    )
    (cell,) = parse_page(f"```{info}\nexit 2\n```\n").cells
    options = cell.options
    assert (options.source, options.result, options.returncode) == ("block", "html", 2)
    assert (options.width, options.workdir, options.name) == (40, "sub", "x")
    assert options.tabs == ("A | B", "C")
    assert options.passthrough == (("title", "t.sh"),)


def test_a_console_fence_is_a_console_block_and_md_renders() -> None:
    (console, md) = parse_page(
        '```console exec="on"\n$ ls\n```\n\n```md exec="on"\n*x*\n```\n'
    ).cells
    assert (console.language, console.options.source) == ("terminal", "console")
    assert (md.language, md.options.result) == ("md", "markdown")


@pytest.mark.parametrize("language", ["pyodide", "tree"])
def test_browser_and_tree_fences_are_shown_as_code_with_a_warning(language: str) -> None:
    text = f'# T\n\n```{language} exec="on"\nx\n```\n'
    (plain,) = parse_page(text).plain
    assert plain.line == 3 and f"'{language}' fences" in plain.message
    assert plain.opening == f"```{language}"
    # markdown-exec renders them without exec: a compat site is told too.
    (plain,) = parse_page(f"```{language}\nx\n```\n", compat="markdown-exec").plain
    assert "not supported" in plain.message
    assert parse_page(f"```{language}\nx\n```\n").plain == []


def test_a_transcript_without_written_outputs_is_not_a_doctest() -> None:
    assert not writes_outputs('>>> print("x")\n>>> for i in []:\n...     pass\n')
    assert writes_outputs(">>> 1 + 1\n2\n")


def test_ansi_colours_become_classed_spans_and_text_is_escaped() -> None:
    converted = ansi_to_html(
        "\x1b[1;31m<b>&</b>\x1b[0m \x1b[38;5;9;48;5;2mo\x1b[38;2;1;2;300mX\x1b[38;5;208mY"
    )
    soup = BeautifulSoup(converted, "html.parser")
    spans = soup.find_all("span")
    assert [span["class"] for span in spans[:2]] == [
        ["ansi-bold", "ansi-red"],
        ["ansi-bright-red", "ansi-bg-green"],
    ]
    assert spans[0].get_text() == "<b>&</b>" and soup.find("b") is None
    assert (spans[2]["style"], spans[2]["class"]) == ("color: rgb(1, 2, 255)", ["ansi-bg-green"])
    assert spans[3]["style"] == "color: rgb(255, 135, 0)"  # palette 208, from the colour cube
    assert soup.get_text() == "<b>&</b> oXY"


@pytest.mark.parametrize(
    "raw", ["\x1b]8;;https://example.org\x07link\x1b]8;;\x07", "\x1b[2J\x1b[Hlink", "\x1bclink"]
)
def test_other_escape_sequences_are_dropped(raw: str) -> None:
    converted = ansi_to_html(raw)
    assert "\x1b" not in converted and converted == "link"


def test_spans_are_balanced_even_when_the_output_never_resets() -> None:
    converted = ansi_to_html("\x1b[32mgreen\x1b[4munderlined")
    assert converted.count("<span") == converted.count("</span>") == 2


def test_options_that_change_a_run_change_the_cache_key() -> None:
    from mkdocs_infotheory.core.cache import page_key

    def key(options: str) -> str:
        return page_key(parse_page(f'```bash exec="on"{options}\nexit 3\n```\n').cells, "env")

    plain = key("")
    assert len({plain, key(' returncode="3"'), key(' width="40"'), key(' workdir="x"')}) == 4
    assert key(' source="console" result="json"') == plain  # display only: same run


def test_fences_inside_an_md_fence_are_cells_at_their_file_line() -> None:
    text = '# T\n\n````md exec="1"\n```python exec="1"\nprint(1)\n```\n````\n'
    outer, inner = parse_page(text).cells
    assert (outer.language, inner.language, inner.line) == ("md", "python", 5)
    assert text[inner.start : inner.end].startswith('```python exec="1"')
    assert inner.index == 1
    # Indented, the inner positions would not be the page's: the md fence is left whole.
    assert (
        len(parse_page(text.replace("\n`", "\n    `").replace("\nprint", "\n    print")).cells) == 1
    )
