"""Every page of the built site, not only the showcase post: private, quiet, math typeset."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser._page_guard import PageGuard
from tests.browser._page_tools import RAW_TEX, scroll_through, visible_prose
from tests.browser._showcase import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.parametrize("scheme", ["light"])
def test_every_page_loads_privately_cleanly_and_with_typeset_math(
    page: Page, guard: PageGuard, showcase: BuiltSite, base_url: str
) -> None:
    pages = sorted(
        path.relative_to(showcase.site_dir).as_posix() for path in showcase.site_dir.rglob("*.html")
    )
    assert "index.html" in pages and len(pages) > 1, pages
    problems: list[str] = []
    for relative in pages:
        url = base_url + relative.removesuffix("index.html")
        guard.blocked.clear()
        guard.console_errors.clear()
        guard.page_errors.clear()
        guard.failed_requests.clear()
        response = page.goto(url, wait_until="load")
        status = response.status if response else None
        if status != 200:
            problems.append(f"{relative}: HTTP {status}")
        scroll_through(page)
        for kind, found in (
            ("request to another host", guard.blocked),
            ("console error", guard.console_errors),
            ("script error", guard.page_errors),
            ("failed request", guard.failed_requests),
        ):
            problems.extend(f"{relative}: {kind}: {item}" for item in found)
        if page.locator("article.md-content__inner").count():
            leftovers = sorted(set(RAW_TEX.findall(visible_prose(page))))
            if leftovers:
                problems.append(f"{relative}: raw TeX visible: {leftovers}")
    assert not problems, "\n".join(problems)
