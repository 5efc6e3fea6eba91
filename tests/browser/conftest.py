"""Fixtures for the real-browser suite: one showcase build, one local server, one Chromium.

The build, the server and Chromium exist once for this folder (``scope="package"``: a build
takes seconds, a browser start about one) and are closed as soon as its last test is done, so
no Playwright event loop lingers into other tests (KaTeX's embedded V8 hangs when called
from a thread where one is running). Each test gets a fresh browser *context* (no shared
cache, cookies or storage) and a :class:`PageGuard` that blocks and records any request to
another host.

Missing tools: outside CI the suite skips loudly (a skip reason plus a warning in the terminal
summary); with ``CI=true`` a missing Chromium, Playwright or axe-core fails the run instead,
so a green CI always means the browser checks really ran, unless
``INFOTHEORY_BROWSER_TESTS=skip`` says none are expected on that machine (the test workflow's
macOS runners, which have no Debian Chromium).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from tests.browser._browser_env import (
    AXE_SCRIPT,
    CHROMIUM_ARGS,
    REPO,
    browser_tests_required,
    chromium_executable,
)
from tests.browser._showcase import BuildFailed, BuiltSite, build_site, copy_project, site_url_path
from tests.browser._static_server import serve_directory
from tests.browser._viewports import SCHEMES, VIEWPORTS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

    from tests.browser._page_guard import PageGuard

_MISSING = pytest.StashKey[list[str]]()
SOURCE_VARIABLE = "INFOTHEORY_SHOWCASE_SOURCE"


@pytest.hookimpl(tryfirst=True)  # before `-m` selection reads the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a browser; mark them so ``-m 'not browser'`` works."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(config: pytest.Config, what: str, how_to_fix: str) -> NoReturn:
    """Skip (noting it for the summary) outside CI; fail in CI."""
    message = f"{what} is not available: {how_to_fix}"
    if browser_tests_required():
        pytest.fail(f"CI is set, so the browser tests must run. {message}", pytrace=False)
    missing = config.stash.setdefault(_MISSING, [])
    if message not in missing:
        missing.append(message)
    pytest.skip(message)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    missing = config.stash.get(_MISSING, [])
    if not missing:
        return
    terminalreporter.section("browser tests NOT run", sep="!", red=True, bold=True)
    for message in missing:
        terminalreporter.write_line(f"WARNING: {message}", yellow=True, bold=True)
    terminalreporter.write_line(
        "The pages were not checked in a real browser (math, privacy, accessibility). "
        "In CI (CI=true) this is a failure.",
        yellow=True,
    )


# -- the site -------------------------------------------------------------------------------
@pytest.fixture(scope="package")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The showcase, built from a copy of the repository with ``mkdocs build --strict``.

    ``$INFOTHEORY_SHOWCASE_SOURCE`` names another project folder (``mkdocs.yml`` + ``docs/``)
    to check instead, e.g. a site of your own.
    """
    source = Path(os.environ.get(SOURCE_VARIABLE) or REPO)
    scratch = tmp_path_factory.mktemp("showcase")
    project = copy_project(scratch / "project", source)
    # Build into www/<site_url path>/ so the server can mount it where GitHub Pages would.
    site_dir = scratch / "www" / site_url_path(project / "mkdocs.yml").strip("/")
    try:
        return build_site(project / "mkdocs.yml", site_dir)
    except BuildFailed as error:
        failure = str(error)
    pytest.fail(failure, pytrace=False)


@pytest.fixture(scope="package")
def base_url(showcase: BuiltSite) -> Iterator[str]:
    """``http://127.0.0.1:PORT/<site_url path>`` serving the built showcase."""
    www = showcase.project.parent / "www"
    with serve_directory(www) as url:
        prefix = showcase.site_dir.relative_to(www).as_posix()
        yield url if prefix == "." else f"{url}{prefix}/"


# -- the browser ----------------------------------------------------------------------------
@pytest.fixture(scope="package")
def playwright_instance(pytestconfig: pytest.Config) -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            pytestconfig, "Python Playwright", "install the test extra: pip install -e '.[test]'"
        )

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(pytestconfig: pytest.Config, playwright_instance: Playwright) -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        _unavailable(
            pytestconfig,
            "Chromium",
            "install Debian's package (apt-get install chromium) or set INFOTHEORY_CHROMIUM "
            "to a Chromium binary; never `playwright install`",
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(executable), args=list(CHROMIUM_ARGS)
    )
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def axe_script(pytestconfig: pytest.Config) -> Path:
    """axe-core's browser build, from the npm registry (``npm ci --prefix tests/browser``)."""
    if not AXE_SCRIPT.is_file():
        _unavailable(
            pytestconfig,
            "axe-core",
            f"{AXE_SCRIPT} is missing; run `npm ci --omit=dev --prefix tests/browser`",
        )
    return AXE_SCRIPT


@pytest.fixture(params=sorted(SCHEMES))
def scheme(request: pytest.FixtureRequest) -> str:
    """``light`` or ``dark``: the reader's system preference, which picks Material's palette."""
    return str(request.param)


@pytest.fixture
def guard() -> PageGuard:
    from tests.browser._page_guard import PageGuard

    return PageGuard()


@pytest.fixture
def device() -> str:
    """The screen a test reads on; parametrize it (``desktop``/``phone``) to change it."""
    return "desktop"


@pytest.fixture
def context(
    browser: Browser, guard: PageGuard, scheme: str, device: str
) -> Iterator[BrowserContext]:
    """A fresh context (own cache and storage) whose every request passes the guard."""
    phone = device == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[device],
        color_scheme="dark" if scheme == "dark" else "light",
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
    )
    guard.attach(context)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def showcase_page(page: Page, base_url: str, scheme: str) -> Page:
    """The showcase's home page, loaded, fonts settled, in the palette ``scheme`` asks for."""
    page.goto(base_url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == SCHEMES[scheme], f"asked for {scheme}, Material shows palette {shown!r}"
    return page
