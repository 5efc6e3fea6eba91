"""What is and is not a citation (Pandoc's syntax), for the scanner on its own."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.refs.citations import CiteItem, find_citations, parse_locator


def _keys(text: str) -> list[tuple[str, ...]]:
    return [tuple(item.key for item in c.items) for c in find_citations(text)]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("As [@cover2006] shows", [("cover2006",)]),
        ("[@a; @b]", [("a", "b")]),
        ("[see @a, chap. 2; also @b, pp. 3-5]", [("a", "b")]),
        ("MacKay @mackay2003 says", [("mackay2003",)]),
        ("see @shannon1948.", [("shannon1948",)]),
        ("keys may hold punctuation: @doe:2020.x", [("doe:2020.x",)]),
        ("write to me@example.org", []),
        ("@eq-kl, @fig-a, @tbl-b, @thm-kraft, @lem-x, @def-y", []),
        ("[@eq-kl] and [@thm-kraft]", []),
        ("no at sign at all", []),
        ("[just brackets]", []),
    ],
)
def test_what_is_a_citation(text: str, keys: list[tuple[str, ...]]) -> None:
    assert _keys(text) == keys


def test_items_carry_prefix_locator_and_year_only() -> None:
    (citation,) = find_citations("[see @a, p. 20; -@b, some note]")
    assert not citation.in_text
    assert citation.items == (
        CiteItem("a", prefix="see", label="page", locator="20"),
        CiteItem("b", suffix="some note", suppress_author=True),
    )
    (in_text,) = find_citations("as @a says")
    assert in_text.in_text and in_text.items == (CiteItem("a"),)


def test_offsets_cover_the_citation_exactly() -> None:
    text = "x [@a, p. 2] y @b."
    spans = [text[c.start : c.end] for c in find_citations(text)]
    assert spans == ["[@a, p. 2]", "@b"]


@pytest.mark.parametrize(
    ("locator", "parsed"),
    [
        ("p. 20", ("page", "20", "")),
        ("pp. 20-25", ("page", "20-25", "")),
        ("20", ("page", "20", "")),
        ("chap. 3", ("chapter", "3", "")),
        ("sec. 2", ("section", "2", "")),
        ("§ 2", ("section", "2", "")),
        ("and elsewhere", (None, None, "and elsewhere")),
        ("", (None, None, "")),
    ],
)
def test_locators(locator: str, parsed: tuple[str | None, str | None, str]) -> None:
    assert parse_locator(locator) == parsed
