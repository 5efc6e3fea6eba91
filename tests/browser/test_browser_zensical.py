"""The showcase built by Zensical 0.0.73 (``markdown_extensions: [infotheory]``) in Chromium.

Zensical runs no MkDocs plugin, so KaTeX's stylesheet and fonts cannot be added to the site as
files; the extension puts them in each page (docs/reference/hosts.md says why). These checks
prove that choice in a real browser: every formula is typeset with KaTeX's own fonts, loaded
from the page itself, no request leaves the site, nothing raw is left, axe finds nothing
serious, and a formula is laid out exactly as on the MkDocs-built showcase.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser._page_tools import ARTICLE, RAW_TEX, scroll_through, visible_prose
from tests.browser._showcase import copy_project, site_url_path
from tests.browser._static_server import serve_directory
from tests.browser.test_browser_accessibility import BLOCKING_IMPACTS, _describe, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser._page_guard import PageGuard

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The showcase built with ``zensical build --strict``, served under its site_url path."""
    scratch = tmp_path_factory.mktemp("zensical")
    project = copy_project(scratch / "project", REPO)
    completed = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = completed.stdout + completed.stderr
    if completed.returncode != 0:
        pytest.fail(f"zensical build --strict exited {completed.returncode}:\n{log}")
    prefix = site_url_path(project / "mkdocs.yml").strip("/")
    www = scratch / "www"
    shutil.copytree(project / "site", www / prefix if prefix else www)
    with serve_directory(www) as url:
        yield f"{url}{prefix}/" if prefix else url


def _open(page: Page, url: str) -> Page:
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


_FIRST_DISPLAY = """(article) => {
  // The first one shown (a wide formula may also carry a hidden, wrapped rendering).
  const formula = [...document.querySelectorAll(`${article} .katex-display .katex-html`)]
    .find((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().height > 0);
  if (!formula) return null;
  formula.setAttribute("data-compared", "");
  // The two themes set different text sizes; compare at one size so only fonts and CSS count.
  formula.closest(".katex").style.fontSize = "40px";
  formula.scrollIntoView({ block: "center" });
  const parts = [...formula.querySelectorAll(":scope > .katex-base, :scope > .base")];
  const width = parts.reduce((sum, part) => sum + part.getBoundingClientRect().width, 0);
  const height = Math.max(...parts.map((part) => part.getBoundingClientRect().height));
  const size = parseFloat(getComputedStyle(formula.closest(".katex")).fontSize);
  return { width, height, fontSize: size };
}"""


def test_math_is_typeset_with_katex_fonts_from_the_page(
    page: Page, zensical_url: str, guard: PageGuard
) -> None:
    _open(page, zensical_url)
    prose = visible_prose(page)
    assert prose.strip()
    assert not sorted(set(RAW_TEX.findall(prose))), "raw TeX visible"
    formulas = page.evaluate(
        """(article) => [...document.querySelectorAll(`${article} .arithmatex`)].map((el) => ({
            katex: el.querySelectorAll(".katex").length,
            mathml: el.querySelector(".katex-mathml math") !== null,
            width: el.querySelector(".katex-html")?.getBoundingClientRect().width ?? 0,
        }))""",
        ARTICLE,
    )
    assert len(formulas) >= 20
    assert all(f["katex"] == 1 and f["mathml"] and f["width"] > 0 for f in formulas), formulas
    family = page.evaluate(
        "(a) => getComputedStyle(document.querySelector(`${a} .katex`)).fontFamily", ARTICLE
    )
    assert "KaTeX_Main" in family
    fonts = page.evaluate(
        """() => [...document.fonts]
             .filter((face) => face.family.replace(/["']/g, "").startsWith("KaTeX"))
             .map((face) => [face.family.replace(/["']/g, ""), face.status])"""
    )
    loaded = {name for name, status in fonts if status == "loaded"}
    assert {"KaTeX_Main", "KaTeX_Math"} <= loaded, fonts
    assert not [name for name, status in fonts if status == "error"], fonts
    scroll_through(page)
    assert guard.blocked == [], f"requests to other hosts: {guard.blocked}"
    assert guard.failed_requests == [], guard.failed_requests


def test_a_formula_is_laid_out_as_on_the_mkdocs_site(
    page: Page, zensical_url: str, base_url: str, tmp_path: Path
) -> None:
    """Same KaTeX, same fonts: set at one font size, the first display formula has the same
    width and height on both sites (a missing font or stylesheet changes them by far more
    than 1 %), and its screenshot shows ink."""
    from PIL import Image

    sizes: dict[str, Any] = {}
    for name, url in (("zensical", zensical_url), ("mkdocs", base_url)):
        _open(page, url)
        box = page.evaluate(_FIRST_DISPLAY, ARTICLE)
        assert box is not None, f"{name}: no display formula"
        sizes[name] = box
        shot = page.locator("[data-compared]").screenshot()
        (tmp_path / f"{name}-formula.png").write_bytes(shot)
        image = Image.open(io.BytesIO(shot)).convert("L")
        values = list(image.tobytes())
        dark = sum(1 for value in values if value < 128)
        light = len(values) - dark
        ink = min(dark, light) / (dark + light)
        assert ink > 0.02, f"{name}: the formula's screenshot is blank ({ink:.3f})"
    ratio = {n: (s["width"] / s["fontSize"], s["height"] / s["fontSize"]) for n, s in sizes.items()}
    for axis in (0, 1):
        zensical, mkdocs = ratio["zensical"][axis], ratio["mkdocs"][axis]
        assert mkdocs > 0 and abs(zensical - mkdocs) / mkdocs < 0.01, (sizes, ratio)


def test_article_has_no_serious_accessibility_violations(
    page: Page, zensical_url: str, axe_script: Path
) -> None:
    _open(page, zensical_url)
    violations = run_axe(page, axe_script, ARTICLE)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on the Zensical-built showcase found:\n{_describe(blocking)}"


_DISPLAY_BOXES = """(article) => [...document.querySelectorAll(`${article} div.arithmatex`)]
  .map((el) => el.querySelector(".katex-display"))
  // Numbered formulas span the column, so their edges are background (a centred one's ink
  // may touch its own edges).
  .filter((el) => el && el.scrollWidth <= el.clientWidth && el.clientWidth > 300)
  .map((el) => { const r = el.getBoundingClientRect();
                 return { x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height }; })"""


def _distance(pixel: tuple[int, ...], other: tuple[int, ...]) -> int:
    return max(abs(a - b) for a, b in zip(pixel, other, strict=True))


@pytest.mark.parametrize("ratio", [1, 1.5, 2])
def test_no_scroll_shadow_beside_a_formula_that_fits(
    browser: Any, zensical_url: str, scheme: str, ratio: float
) -> None:
    """The scroll shadows of a display formula show only when it overflows. Zensical's column
    sits at a fractional x (288.5 px at 1280 px), where the cover over the right shadow ended
    half a pixel short, and at device pixel ratios above 1 Chromium painted a device pixel of
    the shadow just outside the box: a grey line stood beside every formula (seen in
    screenshots). The last pixels inside each formula that fits, and the first outside it,
    must be plain background."""
    from PIL import Image

    context = browser.new_context(
        viewport={"width": 1306, "height": 900},
        device_scale_factor=ratio,
        color_scheme="dark" if scheme == "dark" else "light",
    )
    try:
        page = _open(context.new_page(), zensical_url)
        boxes = page.evaluate(_DISPLAY_BOXES, ARTICLE)
        assert len(boxes) >= 3, boxes
        lines = []
        for box in boxes:
            edge = {"x": box["x"] + box["width"] - 4, "y": box["y"] + 4, "width": 10}
            shot = page.screenshot(full_page=True, clip={**edge, "height": box["height"] - 8})
            image = Image.open(io.BytesIO(shot)).convert("RGB")
            width, height = image.size
            pixels = [image.getpixel((x, y)) for y in range(height) for x in range(width)]
            common = max(set(pixels), key=pixels.count)  # the page's background there
            # A unit or two of difference is the dark palette's gradient rounding, invisible.
            far = {p for p in pixels if _distance(p, common) > 12}
            if far:
                lines.append((box, common, sorted(far)[:3]))
        assert not lines, f"grey edge beside {len(lines)} formulas: {lines}"
    finally:
        context.close()


_OWN_STYLES = """(article) => {
  const first = (selector) => document.querySelector(`${article} ${selector}`);
  const output = first(".infotheory-output");
  const number = first(".infotheory-figure-number, .infotheory-table-number");
  return {
    outputBorder: output && getComputedStyle(output).borderLeftStyle,
    numberWeight: number && getComputedStyle(number).fontWeight,
  };
}"""


def test_the_plugin_styles_reach_zensical_pages(
    page: Page, zensical_url: str, base_url: str
) -> None:
    """Output blocks, figure numbers and the red "??" are styled by the plugin's stylesheet,
    which MkDocs links from every page; on Zensical (no plugin) the pages must carry it too:
    they showed output without its bar, plain figure numbers and a black "??" before."""
    styles = {}
    for name, url in (("zensical", zensical_url), ("mkdocs", base_url)):
        _open(page, f"{url}examples/references/")  # numbered figures and tables
        styles[name] = page.evaluate(_OWN_STYLES, ARTICLE)
    assert styles["mkdocs"] == {"outputBorder": "solid", "numberWeight": "600"}, styles
    assert styles["zensical"] == styles["mkdocs"], styles


def test_previews_work_on_zensical_pages(page: Page, zensical_url: str) -> None:
    """The previews' script is inline in Zensical's pages with references (issue 20)."""
    _open(page, f"{zensical_url}examples/scholarly/")
    page.locator(f'{ARTICLE} a.infotheory-ref[href="#thm-kraft"]').hover()
    tip = page.locator("#infotheory-preview")
    tip.wait_for(state="visible", timeout=5_000)
    assert "Kraft inequality" in tip.inner_text()
