"""Build-time math: arithmatex formulas become KaTeX's static HTML + MathML.

Pages then show math with no JavaScript and no network; MathML keeps them readable by screen
readers. KaTeX (from the npm package, fetched when this package is built) runs in an embedded
V8 via ``mini-racer``. This package never imports MkDocs; the plugin wires it in:

* ``render_math_in_html(html, renderer, cache)`` on each page's HTML,
* ``locate_tex(markdown, error.tex)`` to name the source line of a :class:`MathError`
  (``typeset_and_locate`` does both: what every host calls),
* ``katex_asset_files()`` to copy CSS + fonts into the site, ``MATH_STYLESHEETS`` to link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .assets import (
        INFOTHEORY_MATH_CSS,
        KATEX_CSS,
        MATH_STYLESHEETS,
        katex_asset_files,
        katex_version,
    )
    from .cache import MathCache
    from .errors import KatexAssetsError, MathEngineError, MathError
    from .locate import LocatedError, TypesetMath, locate_tex, typeset_and_locate
    from .prefetch import formulas_in_markdown
    from .renderer import KatexRenderer
    from .transform import ERROR_CLASS, MathResult, render_math_in_html

#: Where each public name lives. Imported on first use: a build with ``math: none`` imports
#: only what it uses (a heading's plain reading, :mod:`.plaintext`; the formula scanner of the
#: cross-references, :mod:`.scan`), not the renderer, cache and transform.
_HOMES = {
    "INFOTHEORY_MATH_CSS": "assets",
    "KATEX_CSS": "assets",
    "MATH_STYLESHEETS": "assets",
    "katex_asset_files": "assets",
    "katex_version": "assets",
    "MathCache": "cache",
    "KatexAssetsError": "errors",
    "MathEngineError": "errors",
    "MathError": "errors",
    "LocatedError": "locate",
    "TypesetMath": "locate",
    "locate_tex": "locate",
    "typeset_and_locate": "locate",
    "formulas_in_markdown": "prefetch",
    "KatexRenderer": "renderer",
    "ERROR_CLASS": "transform",
    "MathResult": "transform",
    "render_math_in_html": "transform",
}

__all__ = [
    "ERROR_CLASS",
    "INFOTHEORY_MATH_CSS",
    "KATEX_CSS",
    "MATH_STYLESHEETS",
    "KatexAssetsError",
    "KatexRenderer",
    "LocatedError",
    "MathCache",
    "MathEngineError",
    "MathError",
    "MathResult",
    "TypesetMath",
    "formulas_in_markdown",
    "katex_asset_files",
    "katex_version",
    "locate_tex",
    "render_math_in_html",
    "typeset_and_locate",
]


__getattr__ = lazy_exports(__name__, _HOMES, globals())
