"""Inline values and text output reach the reader exactly, whatever they contain."""

from __future__ import annotations

import time
import unicodedata

import markdown
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_infotheory.core.escape import (
    FOLD,
    MESSAGE_LIMIT,
    code_fence,
    inline_text,
    one_line,
    safe_lines,
    visible_controls,
)
from mkdocs_infotheory.hosts.mkdocs.extensions import DEFAULT_EXTENSIONS

EXTENSIONS = list(DEFAULT_EXTENSIONS)
CONFIGS = {name: cfg for name, cfg in DEFAULT_EXTENSIONS.items() if cfg}


def render(text: str) -> BeautifulSoup:
    html = markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)
    return BeautifulSoup(html, "html.parser")


values = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\n\r\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and "  " not in s)


@settings(max_examples=200, deadline=None)
@given(values)
def test_inline_value_renders_as_exact_text(value: str) -> None:
    soup = render(f"Value: {inline_text(value)} end")
    paragraph = soup.find("p")
    assert paragraph is not None
    assert paragraph.get_text() == f"Value: {visible_controls(value)} end"
    assert [tag.name for tag in paragraph.find_all(True)] == []


@settings(max_examples=100, deadline=None)
@given(values)
def test_inline_value_in_a_table_cell(value: str) -> None:
    soup = render(f"| a | b |\n|---|---|\n| x | {inline_text(value)} |\n")
    cells = soup.find_all("td")
    assert [c.get_text() for c in cells] == ["x", visible_controls(value)]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=0, max_size=200).map(lambda s: s.replace("\r", "")))
def test_text_output_is_verbatim_even_with_fences_inside(output: str) -> None:
    body = output + "\n```\nnot the end\n````\n"
    soup = render(code_fence(body, "text"))
    pre = soup.find("pre")
    assert pre is not None
    # Pygments (pymdownx.highlight's default stripnl) trims whitespace-only lines at both ends.
    # Python-Markdown expands tabs (tab_length 4) in the whole document before parsing.
    assert pre.get_text().strip() == visible_controls(body).expandtabs(4).strip()


def test_inline_newlines_become_spaces() -> None:
    value = inline_text("a\nb")
    assert render(f"V {value}").find("p").get_text() == "V a b"


def test_control_characters_are_shown_not_obeyed() -> None:
    soup = render(code_fence("a\x02b\x03c\x00\n", "text"))
    assert soup.find("pre").get_text() == "a\\x02b\\x03c\\x00\n"
    value = inline_text("x\x03y")
    assert render(f"V {value}").find("p").get_text() == "V x\\x03y"


# -- one safe line: what reaches a terminal, a CI log or a report ----------------------------
def test_one_line_shows_every_control_character_and_folds_line_breaks() -> None:
    text = "a\x1b]0;title\x07b\x1b[2J\x00\x7f\x9b\u202e\r\n::error file=x::forged\rc\x85d\u2028e"
    line = one_line(text)
    assert line.isprintable(), repr(line)
    assert "\\x1b]0;title\\x07b\\x1b[2J\\x00\\x7f\\x9b\\u202e" in line
    assert line.count(FOLD) == 4
    assert "::error file=x::forged" in line and not line.startswith("::")
    assert one_line("tab\tstays") == "tab\tstays"


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_one_line_is_always_one_printable_capped_line(text: str) -> None:
    line = one_line(text, 50)
    assert len(line.splitlines()) <= 1
    assert not [
        c for c in line if c != "\t" and unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
    ]
    assert not set(line) & set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069")
    line.encode("utf-8")
    kept = line.split("… (", 1)[0]
    assert len(kept) <= 50


def test_a_huge_message_is_capped_with_a_note_and_read_no_further() -> None:
    huge = "m" * 20_000_000
    started = time.perf_counter()
    line = one_line(huge)
    assert time.perf_counter() - started < 0.1
    assert (
        line
        == "m" * MESSAGE_LIMIT + f"… ({20_000_000 - MESSAGE_LIMIT} more characters; see the page)"
    )
    # Escapes count toward the cap and are never cut in half.
    escaped = one_line("\x1b" * 3000, 10)
    assert escaped == "\\x1b\\x1b… (2998 more characters; see the page)"
    assert one_line("short") == "short"


def test_safe_lines_keeps_lines_and_escapes_the_rest() -> None:
    text = "Traceback:\r\n  line\x1b[31m red\n::error file=x::y\rover\x0bz"
    safe = safe_lines(text)
    assert safe.splitlines() == [
        "Traceback:",
        "  line\\x1b[31m red",
        "::error file=x::y\\x0dover\\x0bz",
    ]
    assert safe_lines("x" * 30, 10).startswith("x" * 10 + "… (20 more")
