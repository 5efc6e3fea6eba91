"""The benchmark report's comparison of plugin copies (``--plugin-source LABEL=DIR``).

Copies are compared round by round (builds of one round ran back to back), so a round in
which the whole machine was slow moves both builds and not their ratio.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown import markdown

from benchmarks.build.measure import Sample
from benchmarks.build.report import copies_table, summarize


def _sample(case: str, round_number: int, wall: float) -> Sample:
    return Sample(case, round_number, wall, wall, 1, 1, 1, 1, 0.0, 0.0)


def _rows(table: str) -> list[list[str]]:
    soup = BeautifulSoup(markdown(table, extensions=["tables"]), "html.parser")
    return [[cell.get_text() for cell in row.find_all("td")] for row in soup.find_all("tr")[1:]]


def test_a_copy_is_compared_with_the_copy_under_test_round_by_round() -> None:
    # Round 2 ran on a slow machine: both builds took three times longer; paired by round,
    # the copy is 10% slower in every round.
    samples = [
        _sample("warm", 1, 1.0),
        _sample("warm", 2, 3.0),
        _sample("warm", 3, 1.0),
        _sample("warm [fix]", 1, 1.1),
        _sample("warm [fix]", 2, 3.3),
        _sample("warm [fix]", 3, 1.1),
        _sample("cold", 1, 2.0),  # a case no copy ran: no row
    ]
    rows = _rows(copies_table(summarize(samples), ["", "fix"]))
    assert [row[:2] for row in rows] == [["warm", "fix"]]
    paired, spread, walls, cpus = rows[0][2:]
    assert paired == "1.100"
    assert spread == "1.10 – 1.10"
    assert walls == "1.100"
    assert cpus == "1.100"


def test_every_copy_gets_its_rows() -> None:
    samples = [_sample("warm", 1, 2.0), _sample("warm [a]", 1, 1.0), _sample("warm [b]", 1, 4.0)]
    rows = _rows(copies_table(summarize(samples), ["", "a", "b"]))
    assert [(row[1], row[2]) for row in rows] == [("a", "0.500"), ("b", "2.000")]
