"""Small in-page helpers the tests share (JavaScript run through Playwright)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: What unrendered TeX looks like on screen: delimiters and control words.
RAW_TEX = re.compile(r"\\(?:[()\[\]{}|]|[A-Za-z]+)")

#: Material's article: the page's own content, without header, navigation and footer.
ARTICLE = "article.md-content__inner"

_SCROLL_THROUGH = """
async () => {
  const step = Math.max(200, Math.floor(window.innerHeight / 2));
  for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  window.scrollTo(0, 0);
}
"""


def scroll_through(page: Page) -> None:
    """Scroll top to bottom and back, as a reader would, so lazy resources get requested."""
    page.evaluate(_SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")


#: Text a reader sees in the article, leaving out code (where backslashes are legitimate).
_VISIBLE_PROSE = """
(selector) => {
  const root = document.querySelector(selector);
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code")) continue;
    if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    parts.push(node.data);
  }
  return parts.join("");
}
"""


def visible_prose(page: Page, selector: str = ARTICLE) -> str:
    """The article's rendered text outside code blocks (``None`` if there is no article)."""
    text = page.evaluate(_VISIBLE_PROSE, selector)
    assert text is not None, f"no {selector} on {page.url}"
    return str(text)


_IN_VIEW_UNCOVERED = """(selector) => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  if (box.bottom <= 0 || box.top >= window.innerHeight) return false;
  const x = box.left + Math.min(box.width / 2, 40);
  const y = Math.max(box.top, 0) + Math.min(box.height / 2, 8);
  const hit = document.elementFromPoint(x, y);
  return hit !== null && element.contains(hit);
}"""


def comes_into_view(page: Page, selector: str, timeout_ms: float = 5_000) -> bool:
    """Wait until ``selector``'s first line is in the viewport and not under a sticky bar.

    ``elementFromPoint`` answers with whatever is painted on top, so a note hidden behind
    Material's fixed header counts as not shown. Polling (rather than one look) lets a smooth
    scroll finish, however slow the machine.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_IN_VIEW_UNCOVERED, arg=selector, timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True
