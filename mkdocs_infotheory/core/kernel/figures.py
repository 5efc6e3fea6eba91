"""Collect the matplotlib figures a cell left open, render them, and close them.

matplotlib is optional: when a page never imports it, ``matplotlib.pyplot`` is not in
``sys.modules`` and this costs nothing.
"""

from __future__ import annotations

import base64
import io
import sys
from typing import Any, Literal

from ..model import Figure


def render_figure(figure: Any, fmt: Literal["svg", "png"], salt: str) -> Figure:
    """One matplotlib figure as SVG markup or base64 PNG (what the page shows of it)."""
    import matplotlib

    # A salt per figure keeps the SVG ids of two figures on one page apart, and fixed
    # metadata keeps the output (and so the cache) deterministic.
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        if fmt == "svg":
            text = io.StringIO()
            figure.savefig(text, format="svg", bbox_inches="tight", metadata={"Date": None})
            svg = text.getvalue()
            return Figure("svg", svg[svg.find("<svg") :])
        data = io.BytesIO()
        # Twice the figure's resolution, shown at its size: sharp on high-density screens.
        figure.savefig(data, format="png", bbox_inches="tight", dpi=2 * figure.dpi)
        return Figure("png", base64.b64encode(data.getvalue()).decode("ascii"))


def collect_figures(fmt: Literal["svg", "png"], salt: str) -> list[Figure]:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    figures: list[Figure] = []
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        figures.append(render_figure(figure, fmt, f"{salt}-{number}"))
        pyplot.close(figure)
    return figures
