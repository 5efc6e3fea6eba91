"""Where KaTeX's files live in the installed package, and where they go in the site.

The KaTeX files are produced by ``hatch_build.py`` at package-build time (from the npm
package ``katex``) into ``_assets/katex/`` next to this module, with a ``manifest.json``
naming the version and the files. Nothing here touches the network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .errors import KatexAssetsError

PACKAGE_DIR = Path(__file__).resolve().parent
KATEX_DIR = PACKAGE_DIR / "_assets" / "katex"
OWN_CSS_FILE = PACKAGE_DIR / "assets" / "infotheory-math.css"

SITE_DIR = "assets/infotheory"
KATEX_CSS = f"{SITE_DIR}/katex/katex.min.css"
"""Site-relative path of KaTeX's stylesheet (its ``fonts/`` are copied next to it)."""
INFOTHEORY_MATH_CSS = f"{SITE_DIR}/infotheory-math.css"
"""Site-relative path of our small stylesheet (scrolling display math, error markers)."""
MATH_STYLESHEETS: tuple[str, ...] = (KATEX_CSS, INFOTHEORY_MATH_CSS)
"""Every stylesheet a page with rendered math must link, in order."""

# Build-time only: the site never needs KaTeX's JavaScript.
_NOT_FOR_SITE = frozenset({"katex.min.js", "manifest.json"})


@lru_cache(maxsize=4)
def read_manifest(katex_dir: Path = KATEX_DIR) -> dict[str, object]:
    """The manifest written by the build hook; raises if the package was built without it."""
    path = katex_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KatexAssetsError(
            f"KaTeX assets are missing ({path} not found). They are fetched from npm when the "
            f"package is built: reinstall with `pip install -e .` (or `make test`) on a machine "
            f"with npm."
        ) from None
    except (OSError, ValueError) as exc:
        raise KatexAssetsError(f"cannot read {path}: {exc}; reinstall the package") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("katex_version"), str):
        raise KatexAssetsError(f"{path} has no katex_version; reinstall the package")
    return manifest


def katex_version(katex_dir: Path = KATEX_DIR) -> str:
    """Version of the bundled KaTeX, read without starting JavaScript (cache keys need it)."""
    return str(read_manifest(katex_dir)["katex_version"])


def katex_js_file(katex_dir: Path = KATEX_DIR) -> Path:
    """KaTeX's JavaScript, loaded into the embedded V8 at build time."""
    read_manifest(katex_dir)
    path = katex_dir / "katex.min.js"
    if not path.is_file():
        raise KatexAssetsError(f"{path} is missing; reinstall the package")
    return path


def katex_asset_files(katex_dir: Path = KATEX_DIR) -> list[tuple[Path, str]]:
    """Every file the built site needs for static math: ``(absolute source, site-relative dest)``.

    KaTeX's CSS, its woff2 fonts (under ``fonts/`` next to the CSS, where the CSS's relative
    ``url(fonts/...)`` points), its license, and our own stylesheet.
    """
    files = read_manifest(katex_dir).get("files")
    if not isinstance(files, list):
        raise KatexAssetsError(f"{katex_dir / 'manifest.json'} lists no files; reinstall")
    pairs: list[tuple[Path, str]] = []
    for name in files:
        if not isinstance(name, str) or name in _NOT_FOR_SITE:
            continue
        source = katex_dir / name
        if not source.is_file():
            raise KatexAssetsError(f"{source} is missing; reinstall the package")
        pairs.append((source, f"{SITE_DIR}/katex/{name}"))
    pairs.append((OWN_CSS_FILE, INFOTHEORY_MATH_CSS))
    return pairs
