"""The installed KaTeX assets: present, the pinned version, and enough for the site's CSS."""

from __future__ import annotations

import re
import sys
from pathlib import Path, PurePosixPath

from mkdocs_infotheory.math import (
    INFOTHEORY_MATH_CSS,
    KATEX_CSS,
    MATH_STYLESHEETS,
    KatexRenderer,
    katex_asset_files,
    katex_version,
)

ROOT = Path(__file__).resolve().parents[3]


def pinned_version() -> str:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is tomllib's original (the test extra installs it on Python 3.10)
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(config["tool"]["hatch"]["build"]["hooks"]["custom"]["katex-version"])


def test_installed_katex_is_the_pinned_version() -> None:
    assert katex_version() == pinned_version()
    renderer = KatexRenderer()
    renderer.render("x", display=False)  # raises if the JavaScript disagrees with the manifest
    assert renderer.version == pinned_version()


def test_asset_files_exist_and_have_unique_site_paths() -> None:
    pairs = katex_asset_files()
    dests = [dest for _, dest in pairs]
    assert len(set(dests)) == len(dests)
    for source, dest in pairs:
        assert source.is_absolute() and source.is_file() and source.stat().st_size > 0
        assert not dest.startswith("/") and ".." not in PurePosixPath(dest).parts
        assert dest.startswith("assets/infotheory/")
    assert set(MATH_STYLESHEETS) <= set(dests)
    assert [d for d in dests if PurePosixPath(d).name == "LICENSE"]
    assert not [d for d in dests if d.endswith(".js")]


def test_every_woff2_font_the_css_names_is_shipped_next_to_it() -> None:
    pairs = dict((dest, source) for source, dest in katex_asset_files())
    css = pairs[KATEX_CSS].read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+\.woff2)\)", css)
    assert len(fonts) >= 10
    base = PurePosixPath(KATEX_CSS).parent
    missing = [font for font in fonts if str(base / font) not in pairs]
    assert missing == []


def test_own_stylesheet_makes_display_math_scroll() -> None:
    pairs = dict((dest, source) for source, dest in katex_asset_files())
    css = pairs[INFOTHEORY_MATH_CSS].read_text(encoding="utf-8")
    rule = re.search(r"\.katex-display\s*\{([^}]*)\}", css)
    assert rule is not None and "overflow-x: auto" in rule.group(1)
