"""Reading bibliographies: BibTeX through pybtex into CSL-JSON, CSL-JSON as it is, and the
problems of a file named with its line."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_infotheory.refs.bibliography import load_library

REAL = r"""@string{bstj = "Bell System Technical Journal"}

@Article{Shannon:1948,
  Author  = {Claude E. Shannon},
  Title   = {A Mathematical Theory of {C}ommunication},
  Journal = bstj,
  Year    = 1948,
  Month   = jul,
  Pages   = {379--423}
}

@online{erdos1959,
  author = {Paul Erd{\H{o}}s and Alfr\'{e}d R\'enyi},
  title  = {On Random Graphs},
  date   = {1959-03-01}
}

@book{Shannon:1948,
  title = {Again}, year = 1949
}
"""


def _library(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_library([path], lambda file: f"docs/{file.name}")


def test_bibtex_becomes_csl_json_with_accents_strings_and_dates(tmp_path: Path) -> None:
    library = _library(tmp_path, "real.bib", REAL)
    shannon = library.find("shannon:1948")  # BibTeX keys are case-insensitive
    assert shannon is not None and shannon.key == "Shannon:1948"
    assert shannon.where == "docs/real.bib:3"
    assert shannon.data["type"] == "article-journal"
    assert shannon.data["title"] == "A Mathematical Theory of Communication"
    assert shannon.data["container-title"] == "Bell System Technical Journal"
    assert shannon.data["page"] == "379-423"
    assert shannon.data["issued"] == {"date-parts": [[1948]]}
    erdos = library.find("erdos1959")
    assert erdos is not None
    assert erdos.data["author"] == [
        {"family": "Erdős", "given": "Paul"},
        {"family": "Rényi", "given": "Alfréd"},
    ]
    assert erdos.data["issued"] == {"date-parts": [[1959]]}


def test_a_duplicate_key_keeps_the_first_entry_and_names_its_line(tmp_path: Path) -> None:
    library = _library(tmp_path, "real.bib", REAL)
    assert library.find("Shannon:1948").data["title"].startswith("A Mathematical")  # type: ignore[union-attr]
    assert library.problems == [
        "docs/real.bib:18: duplicate bibliography key 'Shannon:1948' (first in "
        "docs/real.bib:3); the first entry is used: rename one"
    ]


def test_a_syntax_error_names_its_line_and_keeps_the_entries_before_it(tmp_path: Path) -> None:
    broken = "@book{a,\n  title = {A}, year = 2000\n}\n\n@book{b,\n  title = {Broken\n"
    library = _library(tmp_path, "broken.bib", broken)
    assert "a" in library.entries
    assert len(library.problems) == 1 and library.problems[0].startswith("docs/broken.bib:")
    line = int(library.problems[0].split(":")[1])
    assert line >= 5


def test_csl_json_and_unreadable_files(tmp_path: Path) -> None:
    entries = [{"id": "k1", "title": "One"}, {"id": "k1", "title": "Two"}, {"title": "no id"}]
    library = _library(tmp_path, "refs.json", json.dumps(entries, indent=1))
    assert library.find("k1").data["title"] == "One"  # type: ignore[union-attr]
    assert any("duplicate bibliography key 'k1'" in p for p in library.problems)
    assert any('without a text "id"' in p for p in library.problems)
    bad = _library(tmp_path, "bad.json", "[{")
    assert bad.problems[0].startswith("docs/bad.json:1: not valid JSON")
    missing = load_library([tmp_path / "nowhere.bib"], lambda file: "nowhere.bib")
    assert missing.problems[0].startswith("nowhere.bib: cannot read the bibliography")
