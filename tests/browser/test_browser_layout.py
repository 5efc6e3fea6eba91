"""The page fits its screen, desktop and phone, light and dark (and can be photographed).

Set ``INFOTHEORY_SCREENSHOTS=DIR`` to keep full-page PNGs of every combination for a human
look (they are never committed): ``showcase-{desktop|phone}-{light|dark}.png``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser._page_tools import ARTICLE, scroll_through
from tests.browser._viewports import VIEWPORTS

if TYPE_CHECKING:
    from playwright.sync_api import Page

SCREENSHOTS_VARIABLE = "INFOTHEORY_SCREENSHOTS"

#: Elements allowed to be wider than the screen because they scroll inside their own box.
OWN_SCROLLERS = ".md-typeset__scrollwrap, pre, .katex-display, .highlight"


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_page_fits_the_screen_without_sideways_scrolling(
    showcase_page: Page, scheme: str, device: str
) -> None:
    widths = showcase_page.evaluate(
        """([article, ownScrollers]) => ({
          page: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          tooWide: [...document.querySelectorAll(`${article} *`)]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((el) => !el.closest(ownScrollers))
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
        })""",
        [ARTICLE, OWN_SCROLLERS],
    )
    assert widths["viewport"] == VIEWPORTS[device]["width"]
    assert widths["page"] <= widths["viewport"], (
        f"{device}/{scheme}: the page is {widths['page']}px wide in a "
        f"{widths['viewport']}px viewport; too wide: {widths['tooWide']}"
    )
    folder = os.environ.get(SCREENSHOTS_VARIABLE)
    if folder:
        scroll_through(showcase_page)  # lazy images load only near the viewport
        showcase_page.evaluate(
            "Promise.all([...document.images].map((i) => i.decode().catch(() => null)))"
        )
        target = Path(folder) / f"showcase-{device}-{scheme}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        showcase_page.screenshot(path=str(target), full_page=True)
