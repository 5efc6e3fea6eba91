"""Citations and bibliographies (issue 20, contracts 1-3): real MkDocs builds with pybtex and
citeproc-py, parsed HTML."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from bs4 import Tag

from tests.sites import Build, Site

BIB = textwrap.dedent(
    """\
    @article{shannon1948,
      author  = {Shannon, Claude E.},
      title   = {A Mathematical Theory of Communication},
      journal = {Bell System Technical Journal},
      year    = {1948},
      volume  = {27},
      number  = {3},
      pages   = {379--423}
    }

    @book{cover2006,
      author    = {Cover, Thomas M. and Thomas, Joy A.},
      title     = {Elements of Information Theory},
      edition   = {2},
      publisher = {Wiley-Interscience},
      year      = {2006}
    }

    @book{mackay2003,
      author    = {MacKay, David J. C.},
      title     = {Information Theory, Inference, and Learning Algorithms},
      publisher = {Cambridge University Press},
      year      = {2003}
    }

    @book{bishop2006,
      author    = {Bishop, Christopher M.},
      title     = {Pattern Recognition and Machine Learning},
      publisher = {Springer},
      year      = {2006}
    }
    """
)

INDEX = r"""
# Cited

Entropy comes from [@shannon1948]; bounds from [@cover2006, p. 20]. Both [@shannon1948;
@mackay2003] agree. As @mackay2003 shows, and [-@cover2006, chap. 2] repeats.

Left alone: `[@shannon1948]` in code, me@cover2006.org, [a link @shannon1948](https://example.org),
and math \(x@shannon1948\). Equations keep working: @eq-one.

$$
x = 1 \label{eq-one}
$$
"""

PLACED = """
---
bibliography: extra.json
---

# Placed

Only this page cites [@knuth1984] and [@shannon1948].

## Sources

/// references
///

## After the references

Text after.
"""

CSL_JSON = [
    {
        "id": "knuth1984",
        "type": "article-journal",
        "title": "Literate Programming",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "container-title": "The Computer Journal",
        "issued": {"date-parts": [[1984]]},
    }
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("citations")
    site = Site(root, {"bibliography": "refs.bib"}, nav=["index.md", "placed.md"])
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    site.write("index.md", INDEX)
    site.write("placed.md", PLACED)
    (root / "docs" / "extra.json").write_text(json.dumps(CSL_JSON), encoding="utf-8")
    return site.build(strict=True)


def _cites(article: Tag) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in article.select("a.infotheory-cite")]


def test_the_build_is_clean(built: Build) -> None:
    assert built.returncode == 0, built.log
    assert built.warnings() == []


def test_bracketed_in_text_and_year_only_citations(built: Build) -> None:
    article = built.article()
    assert _cites(article) == [
        ("Shannon, 1948", "#ref-shannon1948"),
        ("Cover and Thomas, 2006, p. 20", "#ref-cover2006"),
        ("Shannon, 1948", "#ref-shannon1948"),
        ("MacKay, 2003", "#ref-mackay2003"),
        ("MacKay (2003)", "#ref-mackay2003"),
        ("2006, chap. 2", "#ref-cover2006"),
    ]
    groups = [" ".join(span.get_text().split()) for span in article.select(".infotheory-cites")]
    assert groups[:3] == [
        "(Shannon, 1948)",
        "(Cover and Thomas, 2006, p. 20)",
        "(Shannon, 1948; MacKay, 2003)",
    ]
    assert groups[3] == "(2006, chap. 2)"


def test_the_page_ends_with_exactly_the_entries_it_cites_linking_back(built: Build) -> None:
    article = built.article()
    section = article.select_one("section.infotheory-references")
    assert section is not None
    assert section.find("h2").get_text() == "References"
    entries = section.select("li")
    assert [li["id"] for li in entries] == ["ref-cover2006", "ref-mackay2003", "ref-shannon1948"]
    assert "Elements of Information Theory" in entries[0].get_text()
    backs = [a["href"] for a in entries[2].select("a.infotheory-backlink")]
    assert backs == ["#cite-shannon1948-1", "#cite-shannon1948-2"]
    for href in backs:
        assert article.find(id=href[1:]) is not None
    assert "bishop2006" not in str(section)


def test_at_signs_in_code_emails_links_and_math_are_left_alone(built: Build) -> None:
    article = built.article()
    assert any(code.get_text() == "[@shannon1948]" for code in article.select("code"))
    assert "me@cover2006.org" in article.get_text()
    link = article.select_one('a[href="https://example.org"]')
    assert link is not None and link.get_text() == "a link @shannon1948"
    refs = [(a.get_text(), a["href"]) for a in article.select("a.infotheory-ref")]
    assert refs == [("Equation\xa0(1)", "#eq-one")]


def test_front_matter_bibliography_and_a_references_block(built: Build) -> None:
    article = built.article("placed")
    assert _cites(article) == [
        ("Knuth, 1984", "#ref-knuth1984"),
        ("Shannon, 1948", "#ref-shannon1948"),
    ]
    placed = article.select_one("div.infotheory-references")
    assert placed is not None
    # In place of the block: under the author's heading, before the next one.
    assert placed.find_previous("h2").get_text().startswith("Sources")
    assert placed.find_next("h2").get_text().startswith("After the references")
    assert [li["id"] for li in placed.select("li")] == ["ref-knuth1984", "ref-shannon1948"]
    assert article.select_one("section.infotheory-references") is None


def test_the_search_index_reads_citations_as_text(built: Build) -> None:
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(""))
    assert "Cover and Thomas, 2006, p. 20" in text
    assert "MacKay (2003)" in text
    assert "[@cover2006" not in text


ERRORS = """
# Errors

See [@shanon1948] and @nobody-at-all.
"""

BROKEN_BIB = """@book{a,
  title = {A}, year = {2000}
}

@book{a,
  title = {Again}, year = {2001}
}

@article{b,
  title = {Broken
"""


def test_unknown_keys_and_broken_bibliographies_are_reported_at_their_lines(
    tmp_path: Path,
) -> None:
    site = Site(tmp_path, {"bibliography": ["refs.bib", "broken.bib", "missing.bib"]})
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "broken.bib").write_text(BROKEN_BIB, encoding="utf-8")
    site.write("index.md", ERRORS)
    built = site.build()
    assert built.returncode == 0, built.log
    warnings = "\n".join(built.warnings())
    assert (
        "docs/index.md:3: @shanon1948: no entry 'shanon1948' in the bibliography "
        "(did you mean 'shannon1948'?)"
    ) in warnings, warnings
    assert "docs/index.md:3: @nobody-at-all: no entry" in warnings, warnings
    assert "broken.bib:5: duplicate bibliography key 'a'" in warnings, warnings
    assert "broken.bib:10:" in warnings or "broken.bib:11:" in warnings, warnings
    assert "missing.bib: cannot read the bibliography" in warnings, warnings
    missing = built.article().select(".infotheory-ref-missing")
    assert [span.get_text() for span in missing] == ["@shanon1948??", "@nobody-at-all??"]
    assert site.build(strict=True).returncode == 1


def test_without_a_bibliography_at_signs_are_text(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.write("index.md", "# Plain\n\nWrite to @someone or [@here].\n")
    built = site.build(strict=True)
    assert built.returncode == 0, built.log
    assert "@someone or [@here]" in built.article().get_text()


#: A minimal numeric CSL style, written for this test.
NUMERIC = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info>
    <title>Test numeric</title><id>test-numeric</id>
    <updated>2026-01-01T00:00:00+00:00</updated>
  </info>
  <citation>
    <layout prefix="[" suffix="]" delimiter=", ">
      <text variable="citation-number"/>
    </layout>
  </citation>
  <bibliography>
    <layout>
      <text variable="citation-number" prefix="[" suffix="] "/>
      <text variable="title"/>
    </layout>
  </bibliography>
</style>
"""


def test_a_csl_style_file_changes_citations_and_references(tmp_path: Path) -> None:
    site = Site(tmp_path, {"bibliography": "refs.bib", "csl": "numeric.csl"})
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "numeric.csl").write_text(NUMERIC, encoding="utf-8")
    site.write("index.md", "# Numeric\n\nFirst [@shannon1948], then [@cover2006; @shannon1948].\n")
    built = site.build(strict=True)
    assert built.returncode == 0, built.log
    article = built.article()
    groups = [span.get_text() for span in article.select(".infotheory-cites")]
    assert groups == ["[1]", "[2, 1]"]
    entries = [li.get_text(" ", strip=True) for li in article.select(".infotheory-bibliography li")]
    assert entries[0].startswith("[1] A Mathematical Theory of Communication")


def test_a_missing_style_or_libraries_stop_the_build_with_a_clear_message(tmp_path: Path) -> None:
    site = Site(tmp_path, {"bibliography": "refs.bib", "csl": "nowhere.csl"})
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    site.write("index.md", "# Styled\n\n[@shannon1948]\n")
    built = site.build()
    assert built.returncode == 1
    assert "plugins.infotheory.csl: cannot read the CSL style nowhere.csl" in built.log, built.log
