"""Math is typeset before the reader sees it: KaTeX markup, MathML, fonts; no raw TeX."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser._page_tools import ARTICLE, RAW_TEX, visible_prose

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_no_raw_tex_is_visible_in_the_article(showcase_page: Page) -> None:
    prose = visible_prose(showcase_page)
    assert prose.strip(), "the article shows no text at all"
    leftovers = sorted(set(RAW_TEX.findall(prose)))
    assert not leftovers, f"raw TeX visible in the article: {leftovers}"


def test_every_formula_is_katex_with_mathml(showcase_page: Page) -> None:
    formulas = showcase_page.evaluate(
        """(article) => [...document.querySelectorAll(`${article} .arithmatex`)].map((el) => ({
            display: el.tagName === "DIV",
            katex: el.querySelectorAll(".katex").length,
            displayBox: el.querySelector(".katex-display") !== null,
            mathml: el.querySelector(".katex-mathml math") !== null,
            tex: el.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? "",
            width: el.querySelector(".katex-html")?.getBoundingClientRect().width ?? 0,
        }))""",
        ARTICLE,
    )
    assert formulas, "the showcase article has no formulas at all"
    assert any(f["display"] for f in formulas), "no display formula found"
    assert any(not f["display"] for f in formulas), "no inline formula found"
    for index, formula in enumerate(formulas):
        where = f"formula #{index} ({formula['tex']!r})"
        assert formula["katex"] == 1, f"{where}: expected one .katex, found {formula['katex']}"
        assert formula["mathml"], f"{where}: no MathML for screen readers"
        assert formula["tex"].strip(), f"{where}: MathML lacks the TeX annotation"
        assert formula["width"] > 0, f"{where}: rendered with zero width"
        assert formula["displayBox"] == formula["display"], f"{where}: display mode mismatch"


def test_katex_stylesheet_and_fonts_are_in_use(showcase_page: Page) -> None:
    """Without KaTeX's CSS the HTML is a jumble; without its fonts, wrong glyphs."""
    family = showcase_page.evaluate(
        """(article) => {
          const formula = document.querySelector(`${article} .katex`);
          return formula ? getComputedStyle(formula).fontFamily : null;
        }""",
        ARTICLE,
    )
    assert family is not None, "no .katex element in the article"
    assert "KaTeX_Main" in family, f".katex is set in {family!r}, KaTeX's CSS is not applied"
    fonts = showcase_page.evaluate(
        """() => [...document.fonts]
             .filter((face) => face.family.replace(/["']/g, "").startsWith("KaTeX"))
             .map((face) => [face.family.replace(/["']/g, ""), face.status])"""
    )
    loaded = {family for family, status in fonts if status == "loaded"}
    failed = {family for family, status in fonts if status == "error"}
    assert not failed, f"KaTeX fonts failed to load: {sorted(failed)}"
    assert {"KaTeX_Main", "KaTeX_Math"} <= loaded, f"KaTeX fonts loaded: {sorted(loaded)}"
