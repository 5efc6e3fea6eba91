"""Inline values and text output reach the reader exactly, whatever they contain."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_infotheory.core.escape import code_fence, inline_text, visible_controls
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
