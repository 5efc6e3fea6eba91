"""Theorem-like blocks and proofs (issue 20, contract 4), and references that name the page
they point to (contract 5): real MkDocs builds, parsed HTML."""

from __future__ import annotations

import pytest
from bs4 import Tag

from tests.sites import Build, Site

CODING = r"""
# Source coding

/// theorem | Kraft inequality
    attrs: {id: thm-kraft}

For a prefix code with lengths $\ell_i$, $\sum_i 2^{-\ell_i} \le 1$.
///

/// proof
Count the leaves of the code tree.

Each codeword blocks $2^{L - \ell_i}$ of them.
///

/// definition | Entropy
    attrs: {id: def-entropy}

$H(X) = -\sum_x p(x) \log p(x)$.
///

/// theorem
    attrs: {id: thm-second}

A second theorem, numbered 2.
///

/// lemma | Gibbs
    attrs: {id: lem-gibbs}

$D(p \| q) \ge 0$.
///

/// proof
$$
D(p \| q) = \sum_x p(x) \log \frac{p(x)}{q(x)} \ge 0
$$
///

By @thm-kraft and @lem-gibbs, using @def-entropy; then @thm-second.

$$
L \ge H(X) \label{eq-bound}
$$
"""

CHANNELS = r"""
# Channels

/// theorem | Channel coding
    attrs: {id: thm-channel}

Rates below capacity are achievable.
///

$$
C = \max_p I(X; Y) \label{eq-capacity}
$$

This page's @thm-channel and @eq-capacity; the other page's @thm-kraft and @eq-bound.
In math: \(\eqref{eq-capacity} \le \eqref{eq-bound}\).
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("theorems"), nav=["index.md", "channels.md"])
    site.write("index.md", CODING)
    site.write("channels.md", CHANNELS)
    return site.build()


def _theorems(article: Tag) -> list[Tag]:
    return article.select("div.infotheory-theorem")


def _head(block: Tag) -> str:
    head = block.find("p")
    assert isinstance(head, Tag)
    return " ".join(head.get_text().split())


def test_each_kind_is_numbered_separately_with_its_title(built: Build) -> None:
    assert built.returncode == 0, built.log
    assert built.warnings() == [], built.warnings()
    heads = [_head(block) for block in _theorems(built.article())]
    assert heads == [
        "Theorem 1 (Kraft inequality).",
        "Definition 1 (Entropy).",
        "Theorem 2.",
        "Lemma 1 (Gibbs).",
    ]
    other = [_head(block) for block in _theorems(built.article("channels"))]
    assert other == ["Theorem 1 (Channel coding)."]


def test_kind_number_and_title_are_text_and_in_the_accessible_name(built: Build) -> None:
    kraft = built.article().find(id="thm-kraft")
    assert isinstance(kraft, Tag)
    assert kraft.name == "div" and kraft["role"] == "group"
    assert kraft["aria-label"] == "Theorem 1 (Kraft inequality)"
    assert kraft.get_text().strip().startswith("Theorem 1 (Kraft inequality).")
    # Math in a title and the statement are typeset like the rest of the page.
    assert kraft.select(".katex")


def test_proofs_are_unnumbered_and_end_with_the_sign(built: Build) -> None:
    proofs = built.article().select("div.infotheory-proof")
    assert len(proofs) == 2
    for proof in proofs:
        assert proof["aria-label"] == "Proof"
        assert _head(proof) == "Proof."
        text = proof.get_text().strip()
        assert text.endswith("\u220e"), text
        assert text.count("\u220e") == 1
    # After a paragraph the sign ends that paragraph; after display math, a line of its own.
    assert proofs[0].select("p")[-1].get_text().endswith("them. \u220e")
    assert proofs[1].select_one("p.infotheory-qed-line") is not None


def test_references_to_theorems_link_to_them(built: Build) -> None:
    article = built.article()
    refs = [(a.get_text(), a["href"]) for a in article.select("a.infotheory-ref")]
    assert ("Theorem\xa01", "#thm-kraft") in refs
    assert ("Lemma\xa01", "#lem-gibbs") in refs
    assert ("Definition\xa01", "#def-entropy") in refs
    assert ("Theorem\xa02", "#thm-second") in refs


def test_references_to_another_page_name_it(built: Build) -> None:
    article = built.article("channels")
    refs = {a.get_text(): a["href"] for a in article.select("a.infotheory-ref")}
    assert refs == {
        "Theorem\xa01": "#thm-channel",
        "Equation\xa0(1)": "#eq-capacity",
        "Theorem\xa01 in Source coding": "../#thm-kraft",
        "Equation\xa0(1) in Source coding": "../#eq-bound",
    }
    other = article.select_one('a.infotheory-ref[href="../#thm-kraft"] em')
    assert other is not None and other.get_text() == "Source coding"
    in_math = [" ".join(a.get_text().split()) for a in article.select(".katex-html a")]
    assert in_math == ["(1)", "(1) in Source coding"]


def test_with_mathjax_the_tex_carries_the_same_numbers_and_page_names(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = Site(
        tmp_path_factory.mktemp("theorems-mathjax"),
        {"math": "mathjax"},
        nav=["index.md", "channels.md"],
    )
    site.write("index.md", CODING)
    site.write("channels.md", CHANNELS)
    built = site.build(strict=True)
    assert built.returncode == 0, built.log
    assert _head(_theorems(built.article())[0]) == "Theorem 1 (Kraft inequality)."
    article = built.article("channels")
    tex = " ".join(span.get_text() for span in article.select(".arithmatex"))
    assert r"\href{../#eq-bound}{\text{(1)}\text{ in }\textit{Source coding}}" in tex, tex
    refs = {a.get_text() for a in article.select("a.infotheory-ref")}
    assert "Theorem\xa01 in Source coding" in refs


def test_theorem_styles_ship_with_the_plugin(built: Build) -> None:
    css = (built.site / "assets/infotheory/infotheory.css").read_text(encoding="utf-8")
    assert ".infotheory-theorem" in css and ".infotheory-proof" in css


BAD = """
# Bad labels

/// lemma | Wrong prefix
    attrs: {id: thm-wrong}

Text.
///

/// theorem
    attrs: {id: thm-twice}

One.
///

/// theorem
    attrs: {id: thm-twice}

Two.
///

See @thm-missing and @lem-wrong.
"""


def test_wrong_prefix_duplicate_and_unknown_labels_are_reported_at_their_lines(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = Site(tmp_path_factory.mktemp("bad-theorems"))
    site.write("index.md", BAD)
    built = site.build()
    assert built.returncode == 0, built.log
    warnings = "\n".join(built.warnings())
    assert "docs/index.md:4: label 'thm-wrong' on a lemma" in warnings, warnings
    assert "docs/index.md:16: duplicate label 'thm-twice'" in warnings, warnings
    assert "docs/index.md:21: @thm-missing: no label 'thm-missing'" in warnings, warnings
    assert "docs/index.md:21: @lem-wrong: no label 'lem-wrong'" in warnings, warnings
    strict = site.build(strict=True)
    assert strict.returncode == 1, strict.log
