"""Watch one browser context: block and record requests to other hosts, collect errors.

Every request a page makes passes through :meth:`PageGuard.route`. A request for the local
server goes on; anything else is aborted *and recorded*, so a test can both prove the page is
private (nothing recorded) and never leak a request while proving it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.browser._browser_env import LOCAL_HOST

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Request, Route

#: Schemes that never leave the browser, whatever their "host".
_INTERNAL_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-extension"})


def is_local(url: str) -> bool:
    """True for URLs served by the local test server (or never fetched over a network)."""
    parts = urlsplit(url)
    if parts.scheme in _INTERNAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname == LOCAL_HOST


@dataclass
class PageGuard:
    """What pages in one context tried to fetch elsewhere, and what they reported as errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self.route)
        context.on("page", self.watch)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("requestfailed", self._on_request_failed)

    def route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location else ""
            self.console_errors.append(f"{message.text}{where}")

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def _on_request_failed(self, request: Request) -> None:
        if is_local(request.url):
            self.failed_requests.append(f"{request.url}: {request.failure}")
