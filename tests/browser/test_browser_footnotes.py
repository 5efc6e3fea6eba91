"""Footnotes work both ways: a reference jumps to its note, the note's back-link returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser._page_tools import ARTICLE, comes_into_view

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _css_id(identifier: str) -> str:
    """A selector for an id such as ``fn:scope`` (the colon must not read as a pseudo-class)."""
    return f'[id="{identifier}"]'


def test_footnote_references_and_back_links(showcase_page: Page) -> None:
    references = showcase_page.eval_on_selector_all(
        f"{ARTICLE} a.footnote-ref", "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert references, "the showcase has no footnote references"
    for href in references:
        note_id = href.removeprefix("#")
        note = _css_id(note_id)
        back_link = showcase_page.locator(f"{note} a.footnote-backref").first
        back_href = back_link.get_attribute("href")
        assert back_href, f"note {note_id} has no back-link"
        reference = _css_id(back_href.removeprefix("#"))

        showcase_page.locator(f'{ARTICLE} a.footnote-ref[href="{href}"]').click()
        showcase_page.wait_for_function("(h) => location.hash === h", arg=href)
        assert comes_into_view(showcase_page, note), f"{href}: the note is not in view"

        back_link.click()
        showcase_page.wait_for_function("(h) => location.hash === h", arg=back_href)
        assert comes_into_view(showcase_page, reference), f"{back_href}: reference not in view"
