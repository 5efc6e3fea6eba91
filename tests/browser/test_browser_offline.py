"""The showcase is private and works offline: nothing is fetched from any other host."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.browser._page_guard import PageGuard
from tests.browser._page_tools import scroll_through
from tests.browser._showcase import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: (tag, attribute) pairs that make a browser fetch something when the page loads.
FETCHING_ATTRIBUTES = (
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
)
#: ``<link rel=...>`` values that fetch (or open a connection) on load; ``canonical`` does not.
FETCHING_LINK_RELS = frozenset(
    {
        "stylesheet",
        "preload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "modulepreload",
        "icon",
        "apple-touch-icon",
        "manifest",
    }
)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")
IMPORT_URL = re.compile(r"""@import\s+["']([^"']+)""")


def _leaves_the_site(url: str) -> bool:
    """Absolute (``https://``) or protocol-relative (``//host``) URLs point at other hosts."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in {"", "data", "blob"}


def _fetched_urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    urls: list[str] = []
    for tag, attribute in FETCHING_ATTRIBUTES:
        for element in soup.find_all(tag, attrs={attribute: True}):
            value = str(element[attribute])
            if attribute == "srcset":
                urls.extend(candidate.split()[0] for candidate in value.split(",") if candidate)
            else:
                urls.append(value)
    for link in soup.find_all("link", href=True):
        if FETCHING_LINK_RELS & {rel.lower() for rel in link.get("rel", [])}:
            urls.append(str(link["href"]))
    for element in soup.find_all(style=True):
        urls.extend(CSS_URL.findall(str(element["style"])))
    for style in soup.find_all("style"):
        urls.extend(CSS_URL.findall(style.get_text()))
    return urls


def test_built_pages_reference_only_local_resources(showcase: BuiltSite) -> None:
    pages = sorted(showcase.site_dir.rglob("*.html"))
    assert pages, "the build produced no HTML"
    foreign = {
        f"{page.relative_to(showcase.site_dir)}: {url}"
        for page in pages
        for url in _fetched_urls(page.read_text(encoding="utf-8"))
        if _leaves_the_site(url)
    }
    assert not foreign, "pages load resources from other hosts:\n" + "\n".join(sorted(foreign))


def test_stylesheets_reference_only_local_resources(showcase: BuiltSite) -> None:
    sheets: list[Path] = sorted(showcase.site_dir.rglob("*.css"))
    assert sheets, "the build produced no stylesheet"
    foreign = {
        f"{sheet.relative_to(showcase.site_dir)}: {url}"
        for sheet in sheets
        for pattern in (CSS_URL, IMPORT_URL)
        for url in pattern.findall(sheet.read_text(encoding="utf-8"))
        if _leaves_the_site(url)
    }
    assert not foreign, "stylesheets load from other hosts:\n" + "\n".join(sorted(foreign))


def test_reading_and_searching_make_no_request_to_another_host(
    showcase_page: Page, guard: PageGuard
) -> None:
    scroll_through(showcase_page)
    # Search runs in a web worker that fetches its index; it must stay local too. Typed key
    # by key, as a reader would: Material searches on keyboard input once its index is ready.
    showcase_page.keyboard.press("s")  # Material's search shortcut
    showcase_page.locator("input.md-search__input").press_sequentially("entropy", delay=20)
    results = showcase_page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    showcase_page.wait_for_load_state("networkidle")
    assert not guard.blocked, "requests to other hosts:\n" + "\n".join(guard.blocked)


def test_the_guard_would_notice_a_foreign_request(showcase_page: Page, guard: PageGuard) -> None:
    """Control: proves the privacy test above can fail (and that it leaks nothing doing so)."""
    showcase_page.evaluate(
        """() => {
          const image = new Image();
          image.src = "https://example.org/pixel.png";
          return fetch("https://example.com/beacon").catch(() => null);
        }"""
    )
    showcase_page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).hostname for url in guard.blocked}
    assert {"example.com", "example.org"} <= hosts, f"blocked: {guard.blocked}"
