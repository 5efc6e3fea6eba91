"""Displayed objects in a real browser (issue 19), on the worked example page.

A matplotlib figure must sit on the dark scheme as a dark figure with light text (and on the
light scheme as a light one), and follow the palette toggle without a reload; a wide DataFrame
table must scroll inside its own box on a phone, with a visible hint, and stay readable.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.browser._browser_env import REPO
from tests.browser._static_server import serve_directory
from tests.browser._viewports import SCHEMES
from tests.sites import Site

if TYPE_CHECKING:
    from playwright.sync_api import Page

EXAMPLE = "examples/display/"
FIGURE = "#fig-binary-entropy svg"
WIDE_TABLE = "#tbl-coins-wide table"


def _open(page: Page, base_url: str, scheme: str) -> None:
    page.goto(f"{base_url}{EXAMPLE}", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == SCHEMES[scheme], f"asked for {scheme}, Material shows palette {shown!r}"


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _relative_luminance(red: float, green: float, blue: float) -> float:
    """WCAG's relative luminance of an sRGB colour (0 black, 1 white)."""
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def _css_luminance(colour: str) -> float:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)[:3]]
    return _relative_luminance(*numbers)


def _image_luminance(png: bytes) -> float:
    """The average relative luminance of a screenshot's pixels."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float((linear @ np.array([0.2126, 0.7152, 0.0722])).mean())


def _figure_reading(page: Page) -> tuple[float, float]:
    """(average luminance of the figure as drawn, luminance of its text colour)."""
    figure = page.locator(FIGURE)
    figure.scroll_into_view_if_needed()
    average = _image_luminance(figure.screenshot())
    ink = _css_luminance(page.eval_on_selector(FIGURE, "(svg) => getComputedStyle(svg).color"))
    return average, ink


def _assert_reads_on(scheme: str, average: float, ink: float) -> None:
    print(f"figure on {scheme}: average luminance {average:.3f}, text luminance {ink:.3f}")
    if scheme == "dark":
        assert average < 0.2, f"the figure is bright on the dark scheme ({average:.2f})"
        assert ink > 0.5, f"the figure's text is dark on the dark scheme ({ink:.2f})"
    else:
        assert average > 0.7, f"the figure is dark on the light scheme ({average:.2f})"
        assert ink < 0.1, f"the figure's text is light on the light scheme ({ink:.2f})"


def test_figure_follows_the_colour_scheme(page: Page, base_url: str, scheme: str) -> None:
    _open(page, base_url, scheme)
    average, ink = _figure_reading(page)
    _assert_reads_on(scheme, average, ink)


def test_palette_toggle_recolours_the_figure_without_a_reload(
    page: Page, base_url: str, scheme: str
) -> None:
    _open(page, base_url, scheme)
    other = "light" if scheme == "dark" else "dark"
    page.evaluate("window.__sameDocument = true")
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') === s", arg=SCHEMES[other]
    )
    assert page.evaluate("window.__sameDocument === true"), "the toggle reloaded the page"
    average, ink = _figure_reading(page)
    _assert_reads_on(other, average, ink)


@pytest.mark.parametrize("device", ["phone"])
def test_wide_dataframe_scrolls_inside_its_box_on_a_phone(
    page: Page, base_url: str, scheme: str, device: str
) -> None:
    _open(page, base_url, scheme)
    page.locator(WIDE_TABLE).scroll_into_view_if_needed()
    found = page.evaluate(
        """(selector) => {
          const table = document.querySelector(selector);
          let scroller = table;
          while (scroller && !(scroller.scrollWidth > scroller.clientWidth + 1
                 && /auto|scroll/.test(getComputedStyle(scroller).overflowX))) {
            scroller = scroller.parentElement;
          }
          const cell = table.querySelector('tbody td');
          let paper = cell;
          const clear = /rgba\\(0, 0, 0, 0\\)|transparent/;
          while (paper && clear.test(getComputedStyle(paper).backgroundColor)) {
            paper = paper.parentElement;
          }
          return {
            page: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            scroller: scroller ? scroller.className || scroller.tagName : null,
            hint: scroller ? getComputedStyle(scroller).backgroundImage : '',
            attributes: [table, ...table.querySelectorAll('*')]
              .flatMap((el) => [...el.attributes].map((a) => a.name))
              .filter((name) => !['scope', 'colspan', 'rowspan'].includes(name)),
            text: getComputedStyle(cell).color,
            background: paper ? getComputedStyle(paper).backgroundColor : 'rgb(255, 255, 255)',
          };
        }""",
        WIDE_TABLE,
    )
    assert found["page"] <= found["viewport"], f"the page scrolls sideways: {found}"
    assert found["scroller"], "the wide table neither fits nor scrolls in its own box"
    assert found["hint"].count("gradient") >= 2, f"no scroll hint on {found['scroller']}"
    assert found["attributes"] == [], f"pandas' attributes left on the table: {found}"
    lighter, darker = sorted(
        (_css_luminance(found["text"]), _css_luminance(found["background"])), reverse=True
    )
    contrast = (lighter + 0.05) / (darker + 0.05)
    assert contrast >= 4.5, f"table text contrast {contrast:.1f} on {scheme}: {found}"


def test_example_page_has_no_serious_accessibility_violations(
    page: Page, base_url: str, scheme: str, axe_script: Path
) -> None:
    """Tables, formulas, figures and inline values as displayed pass axe, light and dark."""
    from tests.browser._page_tools import ARTICLE
    from tests.browser.test_browser_accessibility import BLOCKING_IMPACTS, run_axe

    _open(page, base_url, scheme)
    violations = run_axe(page, axe_script, ARTICLE)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe ({scheme} scheme) found: {blocking}"


PNG_PAGE = """# PNG

```python exec="on" caption="A curve"
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.plot([0, 1, 2], [0, 1, 0])
ax.set_xlabel("p")
ax.set_title("h");
```
"""


@pytest.fixture(scope="module")
def png_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with ``figure_format: png`` and the showcase's theme (both schemes), served."""
    pytest.importorskip("matplotlib")
    showcase = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    site = Site(
        tmp_path_factory.mktemp("png") / "site",
        {"figure_format": "png"},
        theme=showcase["theme"],
    )
    site.write("index.md", PNG_PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    with serve_directory(build.site) as url:
        yield url


def test_png_figure_follows_the_colour_scheme(page: Page, png_site: str, scheme: str) -> None:
    page.goto(png_site, wait_until="load")
    image = page.locator(".infotheory-plot img")
    image.scroll_into_view_if_needed()
    average = _image_luminance(image.screenshot())
    print(f"PNG figure on {scheme}: average luminance {average:.3f}")
    if scheme == "dark":
        assert average < 0.2, f"the PNG figure is bright on the dark scheme ({average:.2f})"
    else:
        assert average > 0.7, f"the PNG figure is dark on the light scheme ({average:.2f})"
    natural, shown = page.eval_on_selector(
        ".infotheory-plot img", "(img) => [img.naturalWidth, img.getBoundingClientRect().width]"
    )
    assert natural == 2 * shown, "the PNG is not drawn at twice its displayed size"
