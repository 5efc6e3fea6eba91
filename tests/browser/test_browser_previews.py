"""Previews of a reference's target (issue 20, contract 6): hovering or focusing a reference
shows the theorem, the formula or the full reference in a tooltip, on the page and across
pages, in the page's own colours; without JavaScript nothing is added."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser._page_tools import ARTICLE
from tests.browser.test_browser_accessibility import BLOCKING_IMPACTS, _describe, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

EXAMPLE = "examples/scholarly/"
TIP = "#infotheory-preview"


def _open(page: Page, base_url: str) -> None:
    page.goto(base_url + EXAMPLE, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")


def test_hover_shows_a_theorem_and_leaving_hides_it(page: Page, base_url: str) -> None:
    _open(page, base_url)
    link = page.locator(f'{ARTICLE} a.infotheory-ref[href="#thm-kraft"]')
    link.hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=5_000)
    assert "Theorem 1 (Kraft inequality)" in " ".join(tip.inner_text().split())
    assert link.get_attribute("aria-describedby") == "infotheory-preview"
    assert tip.get_attribute("role") == "tooltip"
    # The copy carries no ids (the page keeps one element per id).
    assert page.locator("#thm-kraft").count() == 1
    colours = page.evaluate(
        """(selector) => [getComputedStyle(document.querySelector(selector)).backgroundColor,
                          getComputedStyle(document.body).backgroundColor]""",
        TIP,
    )
    assert colours[0] == colours[1], colours
    page.mouse.move(0, 0)
    tip.wait_for(state="detached", timeout=5_000)
    assert link.get_attribute("aria-describedby") is None


def test_focus_shows_a_citation_and_escape_hides_it(page: Page, base_url: str) -> None:
    _open(page, base_url)
    page.locator(f'{ARTICLE} a.infotheory-cite[href="#ref-shannon1948"]').first.focus()
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=5_000)
    assert "A Mathematical Theory of Communication" in tip.inner_text()
    assert tip.locator(".infotheory-backlink").count() == 0
    page.keyboard.press("Escape")
    tip.wait_for(state="detached", timeout=5_000)


def test_a_target_on_another_page_is_previewed(page: Page, base_url: str) -> None:
    _open(page, base_url)
    page.locator(f'{ARTICLE} a.infotheory-ref[href="../references/#eq-shannon"]').hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator(".katex").count() >= 1


def test_without_javascript_no_preview(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + EXAMPLE, wait_until="load")
        page.locator(f'{ARTICLE} a.infotheory-ref[href="#thm-kraft"]').hover()
        page.wait_for_timeout(300)
        assert page.locator(TIP).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_scholarly_page_and_an_open_preview_pass_axe(
    page: Page, base_url: str, axe_script: Path, scheme: str, device: str
) -> None:
    _open(page, base_url)
    # Nothing wider than the screen on a phone: theorems, proofs and the references wrap.
    overflow = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
             .filter((el) => el.scrollWidth > el.clientWidth + 1).length""",
        ".infotheory-theorem, .infotheory-proof, .infotheory-bibliography",
    )
    assert overflow == 0
    # The article (theorems, proofs, citations, the references) and then an open preview.
    # Separately: a focused link takes the theme's accent colour, which is the theme's choice.
    article = run_axe(page, axe_script, ARTICLE)
    page.locator(f'{ARTICLE} a.infotheory-cite[href="#ref-cover2006"]').first.focus()
    page.locator(TIP).wait_for(state="visible", timeout=5_000)
    preview = run_axe(page, axe_script, TIP)
    blocking = [v for v in article + preview if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe ({device}, {scheme}) found:\n{_describe(blocking)}"
