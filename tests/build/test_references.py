"""Numbered equations, figures and tables, references, macros and math headings (issue 10),
checked on real MkDocs builds through parsed HTML."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from bs4 import Tag

from tests.sites import Build, Site

MACROS = {"KL": r"D_{\mathrm{KL}}", "pair": r"\langle #1, #2 \rangle"}

POST = r"""
---
title: Divergences
---

# The \(\KL\) divergence

Definition @eq-kl; in math \(\eqref{eq-kl}\) or number \(\ref{eq-kl}\). Figure @fig-curve,
table @tbl-values, and on the other page @eq-mi. Email me@eq-kl.org and code `@eq-kl` stay.

$$
\KL(p \| q) = \sum_x p(x) \log \frac{p(x)}{q(x)} \label{eq-kl}
$$

$$
H(p, q) = H(p) + \KL(p \| q)
$$

$$
\begin{align}
a &= b \label{eq-first} \\
c &= d \\
e &= f \label{eq-third}
\end{align}
$$

$$
x = y \tag{A.1} \label{eq-tagged}
$$

## Section with \(H(X \mid Y)\) math

$$
\newcommand{\Ent}{\mathrm{H}}
\Ent(X) \ge 0 \label{eq-positive}
$$

Later on the page \(\Ent(Y) + \pair{x}{y}\) still knows the macro.

| quantity | see |
|---|---|
| KL | @eq-kl |

!!! note "In an admonition"
    As @eq-positive shows.[^1]

```python exec="on" label="fig-curve" caption="A curve" source="none"
print("curve")
```

```python exec="on" label="tbl-values" caption="Some values" result="markdown" source="none"
print("| p | H |\n|---|---|\n| 0.5 | 1 |")
```

![A static image](data:image/gif;base64,R0lGODlhAQABAAAAACw=)
/// caption | #fig-static
A static figure
///

| a | b |
|---|---|
| 1 | 2 |

/// caption | < #tbl-hand
A hand-written table
///

See @fig-static and @tbl-hand.

[^1]: A footnote citing @eq-first and @eq-third.
"""

OTHER = r"""
# Other page

$$
I(X; Y) = \KL(p_{XY} \| p_X p_Y) \label{eq-mi}
$$

Numbering restarts here; by \(\eqref{eq-kl}\) and @eq-kl, as @fig-curve shows.
This page's macro: \(\Ent\) is unknown here.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(
        tmp_path_factory.mktemp("refs"),
        {"macros": MACROS},
        nav=["index.md", "other.md"],
    )
    site.write("index.md", POST)
    site.write("other.md", OTHER)
    return site.build()


def _tags(article: Tag) -> list[str]:
    return [tag.get_text().replace("\u200b", "") for tag in article.select(".katex-tag")]


def test_labelled_equations_are_numbered_in_page_order(built: Build) -> None:
    article = built.article()
    # eq-kl (1); the unlabelled relation has none; align rows 1 and 3 are (2) and (3); the
    # tagged one keeps its tag and takes no number; the page-local macro formula is (4).
    assert _tags(article) == ["(1)", "(2)(3)", "(A.1)", "(4)"]
    for anchor in ("eq-kl", "eq-first", "eq-third", "eq-tagged", "eq-positive"):
        assert article.find(id=anchor) is not None, anchor
    assert article.find(id="eq-kl").name == "div"


def test_align_rows_are_numbered_and_unlabelled_rows_are_not(built: Build) -> None:
    article = built.article()
    align = article.find(id="eq-first")
    tag_texts = [span.get_text() for span in align.select(".katex-tag .mord.text")]
    assert tag_texts == ["(2)", "(3)"]


def test_references_in_math_link_to_the_equation(built: Build) -> None:
    article = built.article()
    links = [(a["href"], a.get_text()) for a in article.select(".katex-html a")]
    assert ("#eq-kl", "(1)") in links
    assert ("#eq-kl", "1") in links


def test_prose_references(built: Build) -> None:
    article = built.article()
    refs = {(a.get_text(), a["href"]) for a in article.select("a.infotheory-ref")}
    assert ("Equation\xa0(1)", "#eq-kl") in refs
    assert ("Figure\xa01", "#fig-curve") in refs
    assert ("Table\xa01", "#tbl-values") in refs
    assert ("Figure\xa02", "#fig-static") in refs
    assert ("Table\xa02", "#tbl-hand") in refs
    # Another page's equation says which page it is on (issue 20).
    assert ("Equation\xa0(1) in Other page", "other/#eq-mi") in refs
    table_cell = article.select_one("table td a.infotheory-ref")
    assert table_cell is not None and table_cell["href"] == "#eq-kl"
    admonition = article.select_one(".admonition a.infotheory-ref")
    assert admonition is not None and admonition.get_text() == "Equation\xa0(4)"
    footnote = article.select(".footnote a.infotheory-ref")
    assert [a.get_text() for a in footnote] == ["Equation\xa0(2)", "Equation\xa0(3)"]
    for a in article.select("a.infotheory-ref"):
        anchor = a["href"].split("#", 1)[1]
        page = built.html("other") if a["href"].startswith("other/") else built.html()
        assert page.find(id=anchor) is not None, a["href"]


def test_at_signs_in_code_emails_and_math_stay(built: Build) -> None:
    article = built.article()
    text = article.get_text()
    assert "me@eq-kl.org" in text
    assert any(code.get_text() == "@eq-kl" for code in article.select("code"))


def test_figures_and_tables_are_numbered_with_captions(built: Build) -> None:
    article = built.article()
    captions = {f.get("id"): f.figcaption.get_text(" ", strip=True) for f in article("figure")}
    assert captions["fig-curve"] == "Figure 1. A curve"
    assert captions["fig-static"] == "Figure 2. A static figure"
    assert captions["tbl-values"] == "Table 1. Some values"
    assert captions["tbl-hand"] == "Table 2. A hand-written table"
    values = article.find(id="tbl-values")
    assert values.find("table") is not None
    # A table's caption comes first.
    assert next(values.children).name == "figcaption"


def test_cross_page_references_and_numbering_restart(built: Build) -> None:
    other = built.article("other")
    assert _tags(other) == ["(1)"]
    refs = {(a.get_text(), a["href"]) for a in other.select("a.infotheory-ref")}
    # The first page's items say which page they are on (issue 20), in math too.
    assert refs == {
        ("Equation\xa0(1) in Divergences", "../#eq-kl"),
        ("Figure\xa01 in Divergences", "../#fig-curve"),
    }
    assert [a["href"] for a in other.select(".katex-html a")] == ["../#eq-kl"]
    math_link = other.select_one(".katex-html a")
    assert " ".join(math_link.get_text().split()) == "(1) in Divergences"


def test_site_macros_and_page_local_macros(built: Build) -> None:
    article = built.article()
    assert not article.select(".infotheory-math-error")
    annotations = " ".join(node.get_text() for node in article.select("annotation"))
    assert r"\KL" in annotations
    mathml = article.find(id="eq-kl").find("math")
    assert "KL" in mathml.get_text() and mathml.find("msub") is not None
    # \Ent from index.md is not known on other.md: a warning there, naming its line.
    assert any("docs/other.md:8:" in w and "Ent" in w for w in built.warnings()), built.warnings()
    assert len(built.warnings()) == 1, built.warnings()


def test_math_in_headings_is_clean_text_in_toc_title_and_search(built: Build) -> None:
    page = built.html()
    heading = page.find("h2")
    assert heading.select_one(".katex") is not None
    toc = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert "Section with H(X ∣ Y) math" in toc
    nav = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a")]
    assert any("\\" in entry for entry in nav) is False
    other = built.html("other")
    nav_other = [a.get_text(" ", strip=True) for a in other.select("nav.md-nav--primary a")]
    assert "Divergences" in nav_other
    index = json.loads((built.site / "search" / "search_index.json").read_text())
    titles = [doc["title"] for doc in index["docs"]]
    assert titles and not any("\\(" in title or "\\KL" in title for title in titles), titles


def test_h1_title_with_math_is_clean_text(make_site: Callable[..., Site]) -> None:
    site = make_site({"macros": MACROS}, nav=["index.md", "math.md"])
    site.write("index.md", "# Home\n")
    site.write("math.md", "# About \\(\\KL(p \\| q)\\) here\n\nText.\n")
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    page = build.html("math")
    assert page.title.get_text() == "About D_KL(p ‖ q) here - Test site"
    nav = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a")]
    assert "About D_KL(p ‖ q) here" in nav


ERRORS = r"""
# Errors

$$
a = b \label{eq-dup}
$$

$$
c = d \label{eq-dup}
$$

Unknown @eq-missing and \(\eqref{eq-gone}\); wrong kind \(\eqref{fig-pic}\).
Inline \(x \label{eq-inline}\) cannot be numbered.

![pic](data:image/gif;base64,R0lGODlhAQABAAAAACw=)
/// caption | #fig-pic
Pic
///

Bad macro: \(\broken{x}\).
"""


def test_every_error_names_file_and_line_and_strict_fails(
    make_site: Callable[..., Site],
) -> None:
    site = make_site({"macros": {"broken": r"\frac{#1}"}}, nav=["index.md", "two.md"])
    site.write("index.md", ERRORS)
    site.write("two.md", "# Two\n\n$$\nz \\label{eq-dup}\n$$\n")
    build = site.build(strict=True)
    assert build.returncode != 0
    warnings = build.warnings()

    def warned(where: str, *words: str) -> bool:
        return any(where in w and all(word in w for word in words) for w in warnings)

    assert warned("docs/index.md:8:", "duplicate label 'eq-dup'"), warnings
    assert warned("docs/two.md:4:", "duplicate label 'eq-dup'", "docs/index.md"), warnings
    assert warned("docs/index.md:11:", "@eq-missing"), warnings
    assert warned("docs/index.md:11:", "eq-gone"), warnings
    assert warned("docs/index.md:11:", "fig-pic", "not an equation"), warnings
    assert warned("docs/index.md:12:", "inline math"), warnings
    assert warned("docs/index.md:19:", "LaTeX error"), warnings
    article = build.article()
    assert article.select_one(".infotheory-ref-missing").get_text() == "@eq-missing??"
    assert article.select(".infotheory-math-error")


def test_wrong_prefix_for_target_kind_warns(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", "# T\n\n$$\nx \\label{fig-odd}\n$$\n\nSee @fig-odd.\n")
    build = site.build()
    assert any("docs/index.md:7:" in w and "refers to an equation" in w for w in build.warnings())
    # Shown in place too, like an unknown reference (not a working link a reader trusts).
    article = build.article()
    assert article.select_one(".infotheory-ref-missing").get_text() == "@fig-odd??"
    assert not article.select("a.infotheory-ref")


def test_eqref_to_a_figure_is_shown_in_place(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write(
        "index.md",
        "# T\n\nBy \\(\\eqref{fig-pic}\\).\n\n"
        "![pic](data:image/gif;base64,R0lGODlhAQABAAAAACw=)\n/// caption | #fig-pic\nPic\n///\n",
    )
    build = site.build()
    assert any("docs/index.md:3:" in w and "not an equation" in w for w in build.warnings())
    formula = build.article().select_one("p .katex")
    assert formula is not None and "??" in formula.select_one(".katex-html").get_text()
    assert not formula.select("a[href]"), "a wrong-kind \\eqref must not be a working link"


def test_mathjax_gets_the_same_numbers_links_and_macros(make_site: Callable[..., Site]) -> None:
    site = make_site({"math": "mathjax", "macros": MACROS})
    site.write(
        "index.md",
        "# T\n\n$$\n\\KL(p\\|q) \\label{eq-kl}\n$$\n\nBy \\(\\eqref{eq-kl}\\) and @eq-kl.\n",
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = build.article()
    display = article.find(id="eq-kl")
    assert display is not None and "\\tag{1}" in display.get_text()
    assert "\\label" not in display.get_text()
    assert "\\href{#eq-kl}{\\text{(1)}}" in article.get_text()
    assert article.select_one("a.infotheory-ref")["href"] == "#eq-kl"
    config = (build.site / "assets" / "infotheory" / "mathjax-config.js").read_text()
    declared = config.split("\n", 1)[0]
    assert declared.startswith("var infotheoryMacros = ")
    macros = json.loads(declared.removeprefix("var infotheoryMacros = ").rstrip(";"))
    assert macros == {"KL": r"D_{\mathrm{KL}}", "pair": [r"\langle #1, #2 \rangle", 2]}


def test_fence_label_must_name_a_figure_table_or_formula(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", '# T\n\n```python exec="on" label="equation-x"\nprint(1)\n```\n')
    build = site.build()
    assert any("docs/index.md:3:" in w and "label='equation-x'" in w for w in build.warnings())
    # eq-NAME numbers a displayed formula (docs/guide.md, "Displaying objects"): none, a warning.
    site.write("index.md", '# T\n\n```python exec="on" label="eq-x"\nprint(1)\n```\n')
    build = site.build()
    assert any(
        "docs/index.md:3:" in w and "label='eq-x'" in w and "displayed none" in w
        for w in build.warnings()
    ), build.log


def test_label_that_is_also_a_heading_id_warns(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", "# T\n\n## eq-x\n\n$$\nx \\label{eq-x}\n$$\n")
    build = site.build()
    assert any(
        "docs/index.md:6:" in w and "also the id of a heading" in w for w in build.warnings()
    ), build.warnings()


def test_math_none_leaves_formulas_alone(make_site: Callable[..., Site]) -> None:
    site = make_site({"math": "none"})
    site.write("index.md", "# T\n\n$$\nx \\label{eq-x}\n$$\n\nBy \\(\\eqref{eq-x}\\).\n")
    build = site.build()
    text = build.article().get_text()
    assert "\\label{eq-x}" in text and "\\eqref{eq-x}" in text


def test_a_rejected_formula_shows_what_the_author_wrote(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", "# T\n\n$$\n\\frac{1}{ \\label{eq-bad}\n$$\n")
    build = site.build()
    error = build.article().select_one(".infotheory-math-error")
    assert error is not None and "\\label{eq-bad}" in error.get_text()
    assert any("docs/index.md:4:" in w and "label{eq-bad}" in w for w in build.warnings())


def test_macros_option_must_map_names_to_definitions(make_site: Callable[..., Site]) -> None:
    site = make_site({"macros": {"KL": ["not", "tex"]}})
    site.write("index.md", "# T\n")
    build = site.build()
    assert build.returncode != 0
    assert "plugins.infotheory.macros: 'KL' must map a macro name" in build.log
    assert "Traceback" not in build.log


def test_a_label_outside_display_math_gets_a_hint(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", "# T\n\n!!! note\n    $$\n    x \\label{eq-x}\n    $$\n    See @eq-x.\n")
    build = site.build(strict=True)
    assert build.returncode != 0
    assert any("docs/index.md:7:" in w and "not in display math" in w for w in build.warnings()), (
        build.warnings()
    )


def test_math_in_a_fence_caption_is_typeset(make_site: Callable[..., Site]) -> None:
    site = make_site({"macros": MACROS})
    site.write(
        "index.md",
        '# T\n\n```python exec="on" label="tbl-x" caption="Estimates of \\(\\KL(p \\| q) < 1\\)." '
        'result="markdown" source="none"\nprint("| a |\\n|---|\\n| 1 |")\n```\n',
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    caption = build.article().select_one("figure#tbl-x figcaption")
    assert caption is not None and caption.select_one(".katex .katex-mathml") is not None
    visible = caption.select_one(".katex-html")
    assert visible is not None and "KL" in visible.get_text()
    caption.select_one(".katex").decompose()
    assert caption.get_text(" ", strip=True) == "Table 1. Estimates of ."


def test_prose_references_to_labels_with_dots_and_colons(make_site: Callable[..., Site]) -> None:
    """The guide allows ``.`` and ``:`` in labels; ``@eq-NAME`` must reach them too, while a
    full stop after a reference stays punctuation."""
    site = make_site()
    site.write(
        "index.md",
        "# T\n\n$$\nx \\label{eq-kl:upper}\n$$\n\n$$\ny \\label{eq-v1.2}\n$$\n\n"
        "See @eq-kl:upper and @eq-v1.2. Then @eq-v1.2.\n",
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    paragraph = build.article().select("p")[-1]
    links = [(a.get_text(), a["href"]) for a in paragraph.select("a.infotheory-ref")]
    assert links == [
        ("Equation\xa0(1)", "#eq-kl:upper"),
        ("Equation\xa0(2)", "#eq-v1.2"),
        ("Equation\xa0(2)", "#eq-v1.2"),
    ], links
    assert paragraph.get_text().endswith("Then Equation\xa0(2).")


def test_a_figure_caption_with_math_names_the_figure_in_plain_text(
    make_site: Callable[..., Site],
) -> None:
    """The caption is also the figure's accessible name (svg aria-label): text, not TeX."""
    site = make_site()
    site.write(
        "index.md",
        '# T\n\n```python exec="on" caption="Capacity \\(1 - h_2(\\varepsilon)\\) of the BSC." '
        'source="none"\nimport matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\n```\n',
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    svg = build.article().select_one("figure.infotheory-figure svg")
    assert svg is not None
    assert svg["aria-label"] == "Capacity 1 - h₂(ε) of the BSC."
