"""Headings with math in Material's search index (issue 10): the section title reads like the
table of contents ("Half is 1/2"), not like KaTeX's glyph boxes ("Half is 21"); the heading
itself stays typeset, and body formulas, typeset on the page, are indexed by their reading too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts._hosts import HostSite
from tests.sites import Build, Site

PAGE = r"""
# Heading math

## Half is \(\frac{1}{2}\)

Body math \(\frac{3}{4}\) stays as it is.

## The \(\KL\) divergence

Text.
"""


MACROS = {"KL": r"D_{\mathrm{KL}}"}


@pytest.fixture
def built(make_site: Callable[..., Site]) -> Build:
    site = make_site({"macros": MACROS}, markdown_extensions=[{"toc": {"permalink": True}}])
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    return build


def _search_titles(build: Build) -> dict[str, str]:
    index = json.loads((build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: doc["title"] for doc in index["docs"]}


def test_search_titles_of_math_headings_read_like_the_toc(built: Build) -> None:
    titles = _search_titles(built)
    assert titles["#half-is-frac12"] == "Half is 1/2", titles
    assert titles["#the-kl-divergence"] == "The D_KL divergence", titles
    page = built.html()
    toc = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert list(dict.fromkeys(toc)) == ["Half is 1/2", "The D_KL divergence"], toc


def test_math_headings_stay_typeset_with_hidden_reading(built: Build) -> None:
    heading = built.html().find("h2", id="half-is-frac12")
    assert heading is not None
    katex = heading.select_one(".arithmatex .katex")
    assert katex is not None and katex.select_one(".katex-html .mfrac") is not None
    assert katex.find_parent(attrs={"data-search-exclude": True}) is not None
    hidden = heading.select(".arithmatex span[hidden]")
    assert [span.get_text() for span in hidden] == ["1/2"]
    permalink = heading.select_one("a.headerlink")
    assert permalink is not None and permalink["href"] == "#half-is-frac12"


def test_body_formulas_are_typeset_and_indexed_by_their_reading(built: Build) -> None:
    page = built.html()
    paragraph = next(p for p in page.select("article p") if "Body math" in p.get_text())
    assert paragraph.select("span[hidden]") == []
    assert paragraph.select_one(".arithmatex .katex .katex-html .mfrac") is not None
    assert paragraph.find(attrs={"data-search-exclude": True}).get("class") == ["katex-mathml"]
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = next(doc["text"] for doc in index["docs"] if doc["location"] == "#half-is-frac12")
    # As the table of contents reads it, not as KaTeX's boxes (denominator before numerator).
    assert "Body math 3/4 stays" in text, text
    assert "43" not in text and "frac" not in text, text
    everything = json.dumps(index)
    assert "katex" not in everything and "\\frac" not in everything, everything


def test_zensical_search_titles_read_like_the_toc_too(tmp_path: Path) -> None:
    """Zensical's own search honours ``data-search-exclude`` (and strips it from the page)."""
    site = HostSite(tmp_path, "zensical", plugins=["search", {"infotheory": {"macros": MACROS}}])
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    index = json.loads((tmp_path / "site" / "search.json").read_text(encoding="utf-8"))
    titles = {item["location"]: item["title"] for item in index["items"]}
    assert titles["#half-is-frac12"] == "Half is 1/2", titles
    assert titles["#the-kl-divergence"] == "The D_KL divergence", titles
    page = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    heading = page.find("h2", id="half-is-frac12")
    assert heading is not None and heading.select_one(".katex .mfrac") is not None


def test_mathjax_mode_search_titles_read_like_the_toc(make_site: Callable[..., Site]) -> None:
    """With ``math: mathjax`` the heading keeps its TeX for MathJax, unindexed, plus the reading."""
    site = make_site({"math": "mathjax", "macros": MACROS})
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    titles = _search_titles(build)
    assert titles["#half-is-frac12"] == "Half is 1/2", titles
    assert titles["#the-kl-divergence"] == "The D_KL divergence", titles
    heading = build.html().find("h2", id="half-is-frac12")
    assert heading is not None
    formula = heading.select_one(".arithmatex")
    assert formula is not None and formula.get_text() == "\\(\\frac{1}{2}\\)"
    assert formula.has_attr("data-search-exclude")
    assert [span.get_text() for span in heading.select("span[hidden]")] == ["1/2"]
    body = next(p for p in build.html().select("article p") if "Body math" in p.get_text())
    assert not body.select_one(".arithmatex").has_attr("data-search-exclude")


def test_math_none_toc_reads_headings_with_macros(make_site: Callable[..., Site]) -> None:
    """``math: none`` leaves formulas alone but the TOC still gets a heading's plain reading,
    with the site's macros (written without a backslash) expanded."""
    site = make_site({"math": "none", "macros": MACROS})
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    page = build.html()
    toc = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert list(dict.fromkeys(toc)) == ["Half is 1/2", "The D_KL divergence"], toc
    heading = page.find("h2", id="half-is-frac12")
    assert heading is not None
    formula = heading.select_one(".arithmatex")
    assert formula is not None and formula.get_text() == "\\(\\frac{1}{2}\\)"
