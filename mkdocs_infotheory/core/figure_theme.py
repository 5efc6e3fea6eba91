"""matplotlib figures in the page's colours, so they read on the light and the dark scheme.

matplotlib draws on white paper in black ink: a bright box on Material's dark (slate) scheme.
An SVG figure is inlined in the page, so CSS reaches it: its paper (``fill: #ffffff``, the
figure, axes and legend backgrounds) becomes the page's background colour and its ink (black
strokes and fills, and text, which matplotlib leaves unfilled) the page's text colour. The
palette toggle then recolours the figure without a reload, and its caption, number and
references are untouched. Colours the author chose (lines, grids, colormaps) stay as they are.

Done when the page is rendered, not when the code runs: cached and frozen figures (stored as
matplotlib wrote them) follow the scheme too. Only matplotlib's own SVG is changed; an
object's ``_repr_svg_`` keeps its colours.

A PNG figure cannot be recoloured: on the dark scheme the stylesheet shows matplotlib's PNG
with its lightness inverted and its hues turned back (``invert`` then ``hue-rotate(180deg)``),
white paper becoming the scheme's dark grey and black ink light, the lines keeping their
colours' hue; that too follows the toggle without a reload. PNG figures are rendered at twice
the figure's resolution and shown at its size, so they are sharp on high-density screens.
"""

from __future__ import annotations

import base64
import re

#: The page's text and background colours (Material's; the fallbacks are its light scheme).
INK = "var(--md-default-fg-color, #000000)"
PAPER = "var(--md-default-bg-color, #ffffff)"

_MATPLOTLIB = "https://matplotlib.org/"
_BLACK = re.compile(r"\b(fill|stroke):\s*#000000\b")
_WHITE = re.compile(r"\b(fill|stroke):\s*#ffffff\b")


def is_matplotlib_svg(svg: str) -> bool:
    """Whether ``svg`` is matplotlib's (its metadata names it, near the top)."""
    return _MATPLOTLIB in svg[:2000]


def themed_svg(svg: str) -> str:
    """matplotlib's SVG with its paper and ink in the page's colours (see the module)."""
    svg = _BLACK.sub(lambda m: f"{m.group(1)}: currentColor", svg)
    svg = _WHITE.sub(lambda m: f"{m.group(1)}: {PAPER}", svg)
    return svg.replace(
        "<svg", f'<svg class="infotheory-themed" style="color: {INK}; fill: currentColor"', 1
    )


def png_size(data: str) -> tuple[int, int] | None:
    """Width and height in pixels of base64 PNG ``data`` (from its header), or None."""
    try:
        head = base64.b64decode(data[:44] + "=" * (-len(data[:44]) % 4))
    except ValueError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def is_matplotlib_png(data: str) -> bool:
    """Whether base64 PNG ``data`` is matplotlib's (its ``Software`` text chunk, after the
    header)."""
    try:
        head = base64.b64decode(data[:200] + "=" * (-len(data[:200]) % 4))
    except ValueError:
        return False
    return b"Matplotlib" in head
