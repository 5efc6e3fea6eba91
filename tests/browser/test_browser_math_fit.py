"""Display math fits a phone: long formulas wrap at relations instead of being cut off, and
numbered formulas keep their number visible (issue 10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser._page_tools import ARTICLE

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: KaTeX sets display math at 1.21em of the text; wrapping must not shrink it.
_LEGIBLE_PX = 16


@pytest.mark.parametrize("device", ["phone"])
def test_display_math_fits_a_phone_without_scrolling(showcase_page: Page, device: str) -> None:
    boxes = showcase_page.evaluate(
        """(article) => [...document.querySelectorAll(`${article} div.arithmatex`)].map((el) => {
            const box = el.querySelector(".katex-display");
            const frame = box.getBoundingClientRect();
            const tag = box.querySelector(".katex-tag");
            const lines = new Set([...box.querySelectorAll(".katex-html > .katex-base")]
              .map((piece) => Math.round(piece.getBoundingClientRect().top)));
            const inside = (r) => r.left >= frame.left - 1 && r.right <= frame.right + 1
              && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
            return {
              id: el.id,
              scrollWidth: box.scrollWidth,
              clientWidth: box.clientWidth,
              fontPx: parseFloat(getComputedStyle(box.querySelector(".katex")).fontSize),
              lines: lines.size,
              tagVisible: tag === null ? null : inside(tag.getBoundingClientRect()),
              piecesInside: [...box.querySelectorAll(".katex-html > .katex-base")]
                .every((piece) => inside(piece.getBoundingClientRect())),
            };
        })""",
        ARTICLE,
    )
    assert boxes, "no display math in the showcase"
    by_id = {box["id"]: box for box in boxes if box["id"]}
    # The two that used to be cut at the right edge now wrap onto more lines.
    assert by_id["eq-kl"]["lines"] >= 2 and by_id["eq-mi"]["lines"] >= 2, by_id
    for box in boxes:
        where = box["id"] or "an unlabelled display formula"
        assert box["scrollWidth"] <= box["clientWidth"] + 1, f"{where} still scrolls: {box}"
        assert box["fontPx"] >= _LEGIBLE_PX, f"{where} is set smaller than {_LEGIBLE_PX}px"
        assert box["piecesInside"], f"{where}: part of the formula is clipped: {box}"
        if box["tagVisible"] is not None:
            assert box["tagVisible"], f"{where}: its equation number is clipped: {box}"


def test_numbers_sit_at_the_right_edge_on_desktop(showcase_page: Page) -> None:
    gaps = showcase_page.evaluate(
        """(article) => [...document.querySelectorAll(`${article} div.arithmatex`)]
            .filter((el) => el.querySelector(".katex-tag"))
            .map((el) => el.querySelector(".katex-display").getBoundingClientRect().right
              - el.querySelector(".katex-tag").getBoundingClientRect().right)""",
        ARTICLE,
    )
    assert len(gaps) >= 4, "the showcase numbers its four definitions"
    # Right-aligned: the number ends at the box's right edge, less its inner padding.
    assert all(0 <= gap <= 24 for gap in gaps), gaps
