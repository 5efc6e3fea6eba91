"""The generated API reference: every public function, valid Markdown with math."""

from __future__ import annotations

import inspect

import markdown
import pytest
from bs4 import BeautifulSoup

import mkdocs_infotheory.compute as compute
from docs._tools.compute_reference import parse_docstring, reference_markdown, signature_text

EXTENSIONS = ["attr_list", "tables", "toc", "pymdownx.arithmatex", "pymdownx.superfences"]


@pytest.fixture(scope="module")
def soup() -> BeautifulSoup:
    html = markdown.markdown(
        reference_markdown(level=3),
        extensions=EXTENSIONS,
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return BeautifulSoup(html, "html.parser")


def test_every_public_function_has_one_section(soup: BeautifulSoup) -> None:
    headings = soup.find_all("h4")
    assert sorted(h["id"] for h in headings) == sorted(compute.__all__)
    for heading in headings:
        func = getattr(compute, heading["id"])
        assert heading.get_text() == signature_text(func)


def test_summary_table_links_every_function(soup: BeautifulSoup) -> None:
    table = soup.find("table")
    links = [a["href"] for a in table.find_all("a")]
    assert sorted(links) == sorted(f"#{name}" for name in compute.__all__)


def test_group_headings(soup: BeautifulSoup) -> None:
    groups = [h.get_text() for h in soup.find_all("h3")]
    assert groups[0] == "One distribution"
    assert "Other" not in groups  # every public function belongs to a known group


def _section_of(soup: BeautifulSoup, name: str) -> list:
    heading = soup.find("h4", id=name)
    nodes = []
    for node in heading.find_next_siblings():
        if node.name in ("h3", "h4"):
            break
        nodes.append(node)
    return nodes


@pytest.mark.parametrize("name", compute.__all__)
def test_section_has_display_math_and_lists(soup: BeautifulSoup, name: str) -> None:
    nodes = _section_of(soup, name)
    blocks = [n for n in nodes if n.name == "div" and "arithmatex" in n.get("class", [])]
    assert blocks, f"{name}: no display formula"
    assert blocks[0].get_text().startswith("\\[")
    labels = [n.get_text() for n in nodes if n.name == "p" and n.find("strong")]
    assert {"Parameters", "Returns", "Raises"} <= set(labels)
    lists = [n for n in nodes if n.name == "ul"]
    assert len(lists) == 3
    params = [li.find("code").get_text() for li in lists[0].find_all("li")]
    assert params == list(inspect.signature(getattr(compute, name)).parameters)
    assert "ValueError" in lists[2].get_text()


def test_inline_math_survives(soup: BeautifulSoup) -> None:
    inline = soup.find_all("span", class_="arithmatex")
    assert len(inline) > 20
    assert all(s.get_text().startswith("\\(") for s in inline)


def test_parse_docstring_sections() -> None:
    doc = """Summary line.

    Body with \\(x\\).

    \\[
    y = x
    \\]

    Parameters
    ----------
    x : array_like
        The input,
        over two lines.
    flag : bool, default False
        A flag.

    Returns
    -------
    float
        The value.

    Raises
    ------
    ValueError
        If bad.
    """
    parsed = parse_docstring(doc)
    assert parsed.summary == "Summary line."
    assert "\\[" in parsed.body
    names = [(e.name, e.type, e.description) for e in parsed.sections["Parameters"]]
    assert names == [
        ("x", "array_like", "The input, over two lines."),
        ("flag", "bool, default False", "A flag."),
    ]
    assert parsed.sections["Returns"][0].name == "float"
    assert parsed.sections["Raises"][0].description == "If bad."


def test_docs_page_uses_the_generator() -> None:
    from pathlib import Path

    page = Path(__file__).parents[3] / "docs" / "reference" / "compute.md"
    text = page.read_text(encoding="utf-8")
    assert 'exec="on"' in text
    assert "from _tools.compute_reference import reference_markdown" in text
    assert "reference_markdown(" in text
