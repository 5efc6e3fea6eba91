"""The plain-text reading of TeX (table of contents, navigation, the tab's title, search):
examples of what an author writes and what a reader sees where no math is typeset."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.math.plaintext import has_inline_math, tex_to_text, text_of_math


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        # letters and symbols
        ("\\alpha + \\beta", "α + β"),
        ("\\Omega \\to \\infty", "Ω → ∞"),
        ("p \\le q \\neq r", "p ≤ q ≠ r"),
        ("x \\in \\mathcal{X}", "x ∈ X"),
        ("\\{a, b\\}", "{a, b}"),
        # sub- and superscripts: Unicode where every character has one, else marked
        ("x_1", "x₁"),
        ("x_{10}", "x₁₀"),
        ("e^{-n}", "e⁻ⁿ"),
        ("2^{n+1}", "2ⁿ⁺¹"),
        ("D_{KL}", "D_KL"),
        ("x_{i,j}", "x_(i,j)"),
        ("p^{*}", "p^*"),
        ("\\sum_{i=1}^n x_i", "∑ᵢ₌₁ⁿ xᵢ"),
        # fonts and text keep their argument
        ("D_{\\mathrm{KL}}(p \\| q)", "D_KL(p ‖ q)"),
        ("\\mathbb{E}[X]", "E[X]"),
        ("\\text{if } x > 0", "if x > 0"),
        ("\\hat{\\theta}", "θ"),
        # fractions and roots: parentheses only around more than one character
        ("\\frac{1}{2}", "1/2"),
        ("\\frac{a+b}{c}", "(a+b)/c"),
        ("\\tfrac12", "1/2"),
        ("\\sqrt{2}", "√2"),
        ("\\sqrt{x+1}", "√(x+1)"),
        # operators named by their name; unknown commands lose only the backslash
        ("\\log p", "log p"),
        ("\\log(p)", "log(p)"),
        ("\\max_x f", "maxₓ f"),
        ("\\max_{\\theta} f", "max_θ f"),
        ("\\foo x", "foo x"),
        # sizing, spacing and alignment leave no trace beyond one space
        ("\\left( x \\right)", "( x )"),
        ("a \\quad b", "a b"),
        ("a \\, b", "a b"),
        ("a & b", "a b"),
        ("a~b", "a b"),
        ("\\displaystyle x", "x"),
        # groups vanish, whitespace folds
        ("{x}", "x"),
        ("  a \n  b  ", "a b"),
        ("", ""),
    ],
)
def test_reading(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text


def test_macros_without_arguments_expand_first() -> None:
    macros = {"\\KL": "D_{\\mathrm{KL}}", "\\E": "\\mathbb{E}", "\\half": "\\frac{#1}{2}"}
    assert tex_to_text("\\KL(p \\| q)", macros) == "D_KL(p ‖ q)"
    assert tex_to_text("\\E[X]", macros) == "E[X]"
    # a macro name is a whole command: \Ex is not \E followed by x
    assert tex_to_text("\\Ex", macros) == "Ex"
    # macros with arguments are not expanded (the reading shows the command's name)
    assert tex_to_text("\\half{x}", macros) == "halfx"


def test_unbalanced_input_still_reads() -> None:
    """A heading with a typo must still give the table of contents some text."""
    assert tex_to_text("{x") == "x"
    assert tex_to_text("x}") == "x}"
    assert tex_to_text("x_") == "x_"
    assert tex_to_text("\\frac{1}") == "1/"


@pytest.mark.parametrize("tex", ["\\", "a \\"])
def test_a_lone_backslash_at_the_end_still_reads(tex: str) -> None:
    """A formula ending in one backslash (front matter ``title: Price $a\\$ now``) has a
    reading: it used to fail the reader's ``assert match is not None`` and stop the build."""
    assert tex_to_text(tex) == tex.rstrip("\\").strip()


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("The \\(D_{\\mathrm{KL}}\\) divergence", "The D_KL divergence"),
        ("Entropy $H(X)$ and $I(X;Y)$", "Entropy H(X) and I(X;Y)"),
        ("Costs $5 and $6", "Costs $5 and $6"),  # a dollar then a space is not math
        ("No math here", "No math here"),
    ],
)
def test_text_of_math_in_a_title(title: str, text: str) -> None:
    assert text_of_math(title, escaped=False) == text
    assert has_inline_math(title) == (title != text)


def test_text_of_math_in_html_keeps_it_html() -> None:
    """In HTML the TeX is escaped (``&lt;``) and so must be its reading put back."""
    title = "When \\(p &lt; q\\) &amp; \\(a &gt; b\\)"
    assert text_of_math(title, escaped=True) == "When p &lt; q &amp; a &gt; b"
    assert text_of_math("\\(\\text{<b>}\\)", escaped=False) == "<b>"
    assert text_of_math("\\(\\text{&lt;b&gt;}\\)", escaped=True) == "&lt;b&gt;"
