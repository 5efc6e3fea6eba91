"""The one check results pass before rendering: figures, types, max_output."""

from __future__ import annotations

import base64
import sys

import pytest

from mkdocs_infotheory.core.model import Cell, CellResult, Figure
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.core.sanitize import REFUSED, checked_result, figure_problem


def a_cell() -> Cell:
    return parse_page('```python exec="on"\nprint(1)\n```\n').cells[0]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_real_matplotlib_figures_pass(fmt: str) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    from mkdocs_infotheory.core.kernel.figures import collect_figures

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots()
    ax.plot([0, 1, 4], label=r"$x^2$ & <y>")
    ax.fill_between([0, 1, 2], [0, 1, 2], hatch="//", alpha=0.3)
    ax.imshow([[0, 1], [1, 0]], extent=(0, 1, 0, 1))
    ax.set_title('Entropy <H> & "bits"')
    ax.legend()
    [figure] = collect_figures(fmt, "test")  # type: ignore[arg-type]
    assert figure_problem(figure) is None
    result = CellResult(figures=[figure])
    assert checked_result(a_cell(), result, 100) is result, "passes unchanged"
    assert "matplotlib.pyplot" in sys.modules


PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 30).decode()


@pytest.mark.parametrize(
    "figure",
    [
        Figure("png", 'x" onerror="alert(1)'),
        Figure("png", PNG[:-4] + "a b="),
        Figure("png", base64.b64encode(b"GIF89a" + b"\0" * 30).decode()),
        Figure("svg", '<svg onload="alert(1)"/>'),
        Figure("svg", "<svg><script>alert(1)</script></svg>"),
        Figure("svg", "<svg><SCRIPT>alert(1)</SCRIPT></svg>"),
        Figure("svg", '<svg xmlns:s="http://www.w3.org/2000/svg"><s:script/></svg>'),
        Figure("svg", "<svg><foreignObject/></svg>"),
        Figure("svg", '<svg><a href=" JaVaScRiPt:alert(1)"/></svg>'),
        Figure("svg", '<svg><a href="java&#x09;script:alert(1)"/></svg>'),
        Figure("svg", '<svg><image href="data:text/html;base64,PHNjcmlwdD4="/></svg>'),
        Figure("svg", '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>'),
        Figure("svg", '<svg><animate attributeName="xlink:href" values="javascript:x"/></svg>'),
        Figure("svg", "<svg><style>@import url(https://evil.example/x.css);</style></svg>"),
        Figure("svg", '<svg><rect style="fill: url(https://evil.example/track)"/></svg>'),
        Figure("svg", "<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]></svg>"),
        Figure("svg", "<svg><!--><img src=x onerror=alert(1)>--></svg>"),
        Figure("svg", "<svg><?php evil ?></svg>"),
        Figure("svg", "<svg></svg><img src=x onerror=alert(1)>"),
        Figure("svg", "<svg><rect>" * 3000),
        Figure("svg", "<div><svg/></div>"),
        Figure("svg", "<svg><p>out of the svg</p></svg>"),
        Figure("gif", "R0lGOD"),
        Figure("svg", None),  # type: ignore[arg-type]
    ],
)
def test_unsafe_figures_are_refused_with_an_error_at_the_cell(figure: Figure) -> None:
    assert figure_problem(figure) is not None
    result = checked_result(a_cell(), CellResult(output="kept", figures=[figure]), 100)
    assert result.figures == [] and result.output == "kept"
    assert result.error is not None and result.error.type == REFUSED
    assert result.error.line == a_cell().line


def test_safe_svg_features_pass() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<!-- a comment --><defs><pattern id="h"/></defs><rect style="fill: url(#h)" '
        'clip-path="url(#c)"/><use xlink:href="#h"/><image href="data:image/png;base64,AAAA"/>'
        "<text>&lt;H&gt; &amp; &#955;</text></svg>"
    )
    assert figure_problem(Figure("svg", svg)) is None


def test_max_output_is_applied_to_output_and_values() -> None:
    cell = a_cell()
    cut = checked_result(cell, CellResult(output="x" * 50), 10)
    assert cut.output == "x" * 10 and cut.truncated
    value = checked_result(cell, CellResult(value="v" * 50), 10)
    assert value.value == "v" * 10 and value.truncated
    same = CellResult(output="short")
    assert checked_result(cell, same, 10) is same


def test_wrong_types_become_empty_not_a_crash() -> None:
    result = CellResult(output=42, value=["x"])  # type: ignore[arg-type]
    checked = checked_result(a_cell(), result, 10)
    assert checked.output == "" and checked.value is None
