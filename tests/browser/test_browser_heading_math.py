"""A heading with math in a real browser: the plain-text reading kept for the search index is
neither shown nor exposed to assistive technology, the formula looks as before, and axe finds
nothing serious (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser._page_tools import ARTICLE
from tests.browser.test_browser_accessibility import BLOCKING_IMPACTS, _describe, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: The guide's worked example: its title is ``# Worked example: numbers, references and \(\KL\)``.
EXAMPLE = "examples/references/"

_HEADING_FACTS = """(selector) => {
  const heading = document.querySelector(selector);
  const wrapper = heading.querySelector(".arithmatex");
  const reading = wrapper.querySelector("span[hidden]");
  const typeset = wrapper.querySelector(".katex").getBoundingClientRect();
  const outer = wrapper.getBoundingClientRect();
  const box = reading.getBoundingClientRect();
  return {
    reading: reading.textContent,
    readingDisplay: getComputedStyle(reading).display,
    readingArea: box.width * box.height,
    widthAdded: outer.width - typeset.width,
    shownText: heading.innerText,
  };
}"""


def test_heading_reading_is_hidden_and_the_formula_unchanged(
    page: Page, base_url: str, axe_script: Path
) -> None:
    page.goto(base_url + EXAMPLE, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    facts = page.evaluate(_HEADING_FACTS, f"{ARTICLE} h1")
    assert facts["reading"] == "D_KL", facts
    assert facts["readingDisplay"] == "none" and facts["readingArea"] == 0, facts
    assert abs(facts["widthAdded"]) < 0.5, facts
    assert "D_KL" not in facts["shownText"], facts
    violations = run_axe(page, axe_script, f"{ARTICLE} h1")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, _describe(blocking)
