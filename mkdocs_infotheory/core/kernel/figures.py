"""Collect the matplotlib figures a cell left open, render them, and close them.

matplotlib is optional: when a page never imports it, ``matplotlib.pyplot`` is not in
``sys.modules`` and this costs nothing.
"""

from __future__ import annotations

import base64
import io
import sys
from typing import Literal

from ..model import Figure


def collect_figures(fmt: Literal["svg", "png"], salt: str) -> list[Figure]:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    import matplotlib

    figures: list[Figure] = []
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        # A salt per figure keeps the SVG ids of two figures on one page apart, and fixed
        # metadata keeps the output (and so the cache) deterministic.
        with matplotlib.rc_context({"svg.hashsalt": f"{salt}-{number}"}):
            if fmt == "svg":
                text = io.StringIO()
                figure.savefig(text, format="svg", bbox_inches="tight", metadata={"Date": None})
                svg = text.getvalue()
                figures.append(Figure("svg", svg[svg.find("<svg") :]))
            else:
                data = io.BytesIO()
                figure.savefig(data, format="png", bbox_inches="tight", dpi=144)
                figures.append(Figure("png", base64.b64encode(data.getvalue()).decode("ascii")))
        pyplot.close(figure)
    return figures
