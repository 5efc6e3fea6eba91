"""locate_tex: from a KaTeX error back to the Markdown line."""

from __future__ import annotations

import markdown

from mkdocs_infotheory.math import KatexRenderer, locate_tex, typeset_and_locate

SOURCE = """---
title: Entropy
---
# Entropy of $X$

The entropy is $H(X) = -\\sum_x p(x) \\log p(x)$, in bits.

$$
\\frac{a}{
  b + c}
$$

- item with \\(x_{i}   +  y\\)
  and more

> $$
> D(p \\| q) =
> \\sum_x p(x)
> $$

\\begin{aligned}
a &= b
\\end{aligned}
"""


def test_inline_formula_line() -> None:
    assert locate_tex(SOURCE, r"H(X) = -\sum_x p(x) \log p(x)") == 6


def test_display_formula_reports_the_line_where_the_tex_starts() -> None:
    assert locate_tex(SOURCE, "\\frac{a}{\n  b + c}") == 9


def test_whitespace_differences_are_tolerated() -> None:
    assert locate_tex(SOURCE, r"x_{i} + y") == 13
    assert locate_tex(SOURCE, "\\frac{a}{ b + c}") == 9


def test_block_quote_markers_between_lines_are_skipped() -> None:
    assert locate_tex(SOURCE, "D(p \\| q) =\n\\sum_x p(x)") == 17


def test_environment_without_delimiters() -> None:
    assert locate_tex(SOURCE, "\\begin{aligned}\na &= b\n\\end{aligned}") == 21


def test_match_after_a_delimiter_wins_over_an_earlier_bare_match() -> None:
    # A bare search would stop at the "X" of "Xylophones" on line 1.
    source = "Xylophones come first.\n\nThen $X$.\n"
    assert locate_tex(source, "X") == 3


def test_formula_not_in_source_is_none() -> None:
    assert locate_tex(SOURCE, r"\int_0^1 f") is None
    assert locate_tex(SOURCE, "   ") is None


def test_first_occurrence_wins() -> None:
    assert locate_tex("$a$\n\n$a$\n", "a") == 1


def test_typeset_and_locate_names_the_authors_tex_and_line(renderer: KatexRenderer) -> None:
    source = "Fine $a + b$.\n\nBroken\n\n$$\\frac{x}$$\n"
    html = markdown.markdown(
        source,
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    reads: list[str] = []

    def read() -> str:
        reads.append("read")
        return source

    typeset = typeset_and_locate(html, renderer, read)
    assert [(error.line, error.tex) for error in typeset.errors] == [(5, "\\frac{x}")]
    assert "KaTeX" in typeset.errors[0].message
    assert reads == ["read"]
    assert len(typeset.result.formulas) == 2

    fine = typeset_and_locate(html.replace("\\frac{x}", "x"), renderer, read)
    assert fine.errors == () and reads == ["read"]  # no error: the source is never read


def test_typeset_and_locate_maps_rewritten_tex_back(renderer: KatexRenderer) -> None:
    html = '<p><span class="arithmatex">\\(\\frac{1}\\)</span></p>'
    source = "a\n\nsee $\\frac{\\eqref{eq-a}}$\n"
    typeset = typeset_and_locate(
        html, renderer, source, originals={"\\frac{1}": r"\frac{\eqref{eq-a}}"}
    )
    assert [(error.line, error.tex) for error in typeset.errors] == [(3, r"\frac{\eqref{eq-a}}")]
