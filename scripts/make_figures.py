"""Regenerate ``docs/assets/legacy-screenshot.png`` for the showcase post.

The post's second figure is a "legacy screenshot": an old desktop with an xterm that
ran the post's entropy here-doc and a plotting window showing the binary entropy
curve. Drawing it with matplotlib (Agg, bundled DejaVu fonts only) keeps it
reproducible: the same matplotlib version gives the same bytes, so the PNG can be
checked in and re-derived instead of being an opaque binary.

Usage: ``python scripts/make_figures.py [--check]``. ``--check`` regenerates in
memory and exits 1 if the committed PNG differs (e.g. after a matplotlib upgrade).
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "docs" / "assets" / "legacy-screenshot.png"
WIDTH, HEIGHT, DPI = 1200, 750, 100
# A fixed small palette is what makes a 1200x750 screenshot fit in well under 150 KB.
PALETTE_COLOURS = 48

FACE, LIGHT, SHADE, DARK = "#c0c0c0", "#ffffff", "#808080", "#404040"
DESKTOP, TITLE_ON, TITLE_OFF = "#2f6f73", "#0a246a", "#808080"
MONO = "DejaVu Sans Mono"


def binary_entropy(p: float) -> float:
    """H(p) in bits, with the 0·log 0 = 0 convention the post's table relies on."""
    return -sum(q * math.log2(q) for q in (p, 1.0 - p) if q > 0.0)


def bevel(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    sunken: bool = False,
    face: str = FACE,
    z: float = 1,
) -> None:
    """A 1990s 3-D box: light top-left edge and dark bottom-right edge (swapped if sunken)."""
    hi, lo = (SHADE, LIGHT) if sunken else (LIGHT, DARK)
    ax.add_patch(Rectangle((x, y), w, h, facecolor=face, edgecolor="none", zorder=z))
    ax.plot([x, x, x + w], [y + h, y, y], color=hi, lw=1.5, zorder=z, solid_capstyle="butt")
    ax.plot([x, x + w, x + w], [y + h, y + h, y], color=lo, lw=1.5, zorder=z, solid_capstyle="butt")


def window(
    ax: Axes, x: float, y: float, w: float, h: float, title: str, *, active: bool, z: float
) -> None:
    """A window frame with a flat title bar (no gradient: it would band in the palette)."""
    bevel(ax, x, y, w, h, z=z)
    ax.add_patch(
        Rectangle((x + 4, y + 4), w - 8, 24, facecolor=TITLE_ON if active else TITLE_OFF, zorder=z)
    )
    ax.text(
        x + 12,
        y + 16,
        title,
        color="white",
        fontsize=10.5,
        fontweight="bold",
        va="center",
        zorder=z,
    )
    for i, glyph in enumerate("×□_"):
        bx = x + w - 28 - i * 24
        bevel(ax, bx, y + 7, 20, 18, z=z)
        ax.text(
            bx + 10,
            y + 16,
            glyph,
            fontsize=9,
            ha="center",
            va="center",
            fontweight="bold",
            zorder=z,
        )


def terminal(ax: Axes, x: float, y: float, w: float, h: float, z: float) -> None:
    """An xterm that just ran the shell here-doc printed in the post."""
    window(ax, x, y, w, h, "xterm — ~/notes/infotheory", active=False, z=z)
    bevel(ax, x + 6, y + 32, w - 12, h - 38, sunken=True, face="#000000", z=z)
    probs = (0.5, 0.9, 0.99)
    lines = [
        ("$ python - <<'PY'", "#7CFC00"),
        ("> import math", "#d0d0d0"),
        ("> for p in [0.5, 0.9, 0.99]:", "#d0d0d0"),
        (">     print(p, -p*math.log2(p) - (1-p)*math.log2(1-p))", "#d0d0d0"),
        ("> PY", "#d0d0d0"),
        # Same expression as the here-doc, so the digits are exactly what Python prints.
        *((f"{p} {-p * math.log2(p) - (1 - p) * math.log2(1 - p)!r}", "#d0d0d0") for p in probs),
        ("$ python entropy_plot.py &", "#7CFC00"),
        ("[1] 4711", "#d0d0d0"),
        ("$ ", "#7CFC00"),
    ]
    for i, (text, colour) in enumerate(lines):
        ax.text(
            x + 16,
            y + 52 + i * 19,
            text,
            family=MONO,
            fontsize=10,
            color=colour,
            va="center",
            zorder=z,
        )
    cursor_x = x + 16 + 2 * 8.2
    ax.add_patch(
        Rectangle(
            (cursor_x, y + 52 + (len(lines) - 1) * 19 - 8), 8, 16, facecolor="#d0d0d0", zorder=z
        )
    )


def plot_window(fig: Figure, ax: Axes, x: float, y: float, w: float, h: float, z: float) -> None:
    """A matplotlib-0.9x-looking figure window with the binary entropy curve."""
    window(ax, x, y, w, h, "Figure 1 — entropy_plot.py", active=True, z=z)
    for i, item in enumerate(("File", "Edit", "View", "Tools", "Help")):
        ax.text(x + 14 + i * 58, y + 44, item, fontsize=10, va="center", zorder=z)
    for i, label in enumerate(("Home", "Back", "Fwd", "Pan", "Zoom", "Save")):
        bevel(ax, x + 8 + i * 62, y + 58, 58, 26, z=z)
        ax.text(x + 37 + i * 62, y + 71, label, fontsize=9, ha="center", va="center", zorder=z)
    bevel(ax, x + 6, y + 90, w - 12, h - 124, sunken=True, face="#d8d8d8", z=z)
    bevel(ax, x + 6, y + h - 30, w - 12, 24, sunken=True, z=z)
    ax.text(
        x + 14,
        y + h - 18,
        "x=0.990  y=0.0808   (p, H(p) in bits)",
        family=MONO,
        fontsize=9.5,
        va="center",
        zorder=z,
    )

    # The plot itself lives in a real Axes placed over the sunken canvas area.
    left, bottom = (x + 80) / WIDTH, 1 - (y + h - 80) / HEIGHT
    plot = fig.add_axes((left, bottom, (w - 120) / WIDTH, (h - 205) / HEIGHT), zorder=z + 1)
    p = np.linspace(1e-6, 1 - 1e-6, 801)
    plot.plot(p, -p * np.log2(p) - (1 - p) * np.log2(1 - p), color="#0000ff", lw=1.6)
    marked = np.array([0.01, 0.5, 0.9, 0.99])
    plot.plot(marked, [binary_entropy(q) for q in marked], "s", color="#ff0000", ms=6)
    plot.annotate("fair coin: 1 bit", (0.5, 1.0), (0.56, 1.05), fontsize=10)
    plot.annotate(
        f"99% heads: {binary_entropy(0.99):.3f} bits",
        (0.99, binary_entropy(0.99)),
        (0.57, 0.1),
        fontsize=10,
        arrowprops={"arrowstyle": "->", "lw": 0.8},
    )
    plot.set(xlim=(0, 1), ylim=(0, 1.15), xlabel="p = P(X = 1)", ylabel="H(X)  [bits]")
    plot.set_title(r"Binary entropy  $H(p) = -p\,\log_2 p-(1-p)\,\log_2(1-p)$", fontsize=11)
    plot.grid(True, linestyle=":", color="#808080")
    plot.tick_params(direction="in", top=True, right=True)
    plot.set_facecolor("white")


RC = {"font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans", "font.size": 10}


def render() -> bytes:
    """Draw the scene and return the palette-quantised PNG bytes."""
    with matplotlib.rc_context(RC):
        return _quantised_png(_draw())


def _draw() -> Image.Image:
    """Lay out desktop, xterm and plot window in pixel coordinates (y grows downwards)."""
    # Agg canvas directly (no pyplot, no global backend switch); DejaVu ships with matplotlib.
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1), zorder=0)
    ax.set(xlim=(0, WIDTH), ylim=(HEIGHT, 0))
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), WIDTH, HEIGHT, facecolor=DESKTOP, zorder=0))
    terminal(ax, 24, 22, 640, 300, z=1)
    plot_window(fig, ax, 300, 150, 870, 580, z=2)
    canvas.draw()
    rgb = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    return rgb


def _quantised_png(rgb: Image.Image) -> bytes:
    """Reduce to a small fixed palette (flat UI colours survive; text AA keeps a few greys)."""
    image = rgb.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # PIL writes no timestamp/software chunk
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed PNG differs from a fresh render",
    )
    args = parser.parse_args(argv)
    data = render()
    if args.check:
        same = OUT.exists() and OUT.read_bytes() == data
        print(f"{OUT.name}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data) / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
