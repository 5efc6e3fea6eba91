"""The page loads cleanly: no console errors, no failed requests, every image decodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

from tests.browser._page_guard import PageGuard
from tests.browser._page_tools import ARTICLE, scroll_through
from tests.browser._showcase import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_no_console_errors_or_failed_requests(showcase_page: Page, guard: PageGuard) -> None:
    scroll_through(showcase_page)
    problems = guard.console_errors + guard.page_errors + guard.failed_requests
    assert not problems, "the page reported errors:\n" + "\n".join(problems)


def test_every_image_loads(showcase_page: Page, showcase: BuiltSite) -> None:
    expected = len(
        BeautifulSoup((showcase.site_dir / "index.html").read_text("utf-8"), "html.parser").select(
            f"{ARTICLE} img"
        )
    )
    assert expected, "the showcase article has no images to check"
    # Scroll each image into view (lazy ones load only then) and wait for it to decode;
    # decode() rejects for a missing or broken file.
    images = showcase_page.evaluate(
        """async (article) => {
          const results = [];
          for (const image of document.querySelectorAll(`${article} img`)) {
            image.scrollIntoView();
            let error = null;
            try { await image.decode(); } catch (e) { error = String(e); }
            results.push({ src: image.currentSrc || image.src, width: image.naturalWidth,
                           alt: image.alt, error });
          }
          return results;
        }""",
        ARTICLE,
    )
    assert len(images) == expected
    broken = [image for image in images if image["error"] or image["width"] <= 0]
    assert not broken, f"images that did not load: {broken}"
