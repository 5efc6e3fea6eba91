"""The pure pieces of the display protocol: markers in the output pipe, the last expression,
the representation chosen, pandas' tables cleaned, LaTeX as a display formula."""

from __future__ import annotations

import ast

import pytest

from mkdocs_infotheory.core.displayed import latex_block
from mkdocs_infotheory.core.formatters.python import _last_expression
from mkdocs_infotheory.core.kernel.capture import MARK, OutputCapture
from mkdocs_infotheory.core.kernel.display import choose, represent
from mkdocs_infotheory.core.kernel.tables import clean_table


@pytest.mark.parametrize("cut", range(1, len(MARK)))
def test_a_marker_cut_by_the_pipe_reads_is_still_found(cut: int) -> None:
    capture = OutputCapture(1000)
    stream = f"one\n{MARK}two\n{MARK}".encode()
    where = len("one\n") + cut
    capture._take(stream[:where])
    capture._take(stream[where:])
    capture._take(b"", final=True)
    assert capture.text == "one\ntwo\n"
    assert capture.positions == [4, 8]


def test_markers_past_the_limit_fall_at_its_end() -> None:
    capture = OutputCapture(3)
    capture._take(f"abcdef{MARK}".encode())
    capture._take(b"", final=True)
    assert capture.text == "abc" and capture.truncated
    assert capture.positions == [3]


def test_nul_bytes_that_are_not_a_marker_are_kept() -> None:
    capture = OutputCapture(100)
    capture._take(b"a\x00b\x00")
    capture._take(b"", final=True)
    assert capture.text == "a\x00b\x00" and capture.positions == []


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("x = 1\nx", "x"),
        ("x = 1\nx;", None),
        ("x = 1\nx ;  # quiet", None),
        ("x = 1\nx  # a comment; not quiet", "x"),
        ("é = 'ü'; é", "é"),
        ("f(\n  1,\n)", "f(\n  1,\n)"),
        ("for i in range(2):\n    i", None),
        ("x = 1", None),
        ("", None),
    ],
)
def test_last_expression(code: str, shown: str | None) -> None:
    padded = "\n" * 6 + code  # the fence starts on line 7 of the author's file
    split = _last_expression(ast.parse(padded), padded)
    if shown is None:
        assert split is None
        return
    assert split is not None
    _, last = split
    assert last.lineno >= 7  # the author's line numbers
    assert ast.unparse(last.value) == ast.unparse(ast.parse(shown, mode="eval").body)


class _Rich:
    def __init__(self, **methods: object) -> None:
        for name, value in methods.items():
            setattr(self, name, (lambda v: lambda *a, **k: v)(value))

    def __repr__(self) -> str:
        return "<rich & plain>"


def test_priority_and_fallbacks() -> None:
    assert represent(_Rich()) == ("text/plain", "<rich & plain>")
    assert represent(_Rich(_repr_png_=b"\x01", _repr_svg_="<svg/>")) == ("image/svg+xml", "<svg/>")
    assert represent(_Rich(_repr_png_=b"\x01\x02")) == ("image/png", "AQI=")
    assert represent(_Rich(_repr_html_=None, _repr_latex_="$x$")) == ("text/latex", "$x$")
    bundle = _Rich(_repr_mimebundle_=({"text/markdown": "*m*"}, {"metadata": 1}))
    assert represent(bundle) == ("text/markdown", "*m*")
    assert represent(_Rich) == ("text/plain", repr(_Rich))  # a class is not its instances
    assert choose({"text/plain": "p", "text/html": "<b>h</b>"}) == ("text/html", "<b>h</b>")


def test_pandas_tables_lose_attributes_styles_and_keep_structure() -> None:
    markup = (
        '<div><style scoped>.dataframe {color: red}</style><table border="1" class="dataframe">'
        '<thead><tr style="text-align: right;"><th></th><th>a &amp; b</th></tr></thead>'
        '<tbody><tr><th rowspan="2" onclick="x()">i</th><td style="color: red">&lt;1&gt;</td>'
        "</tr></tbody></table><p>2 rows</p></div>"
    )
    assert clean_table(markup) == (
        '<table><thead><tr><th scope="col"></th><th scope="col">a &amp; b</th></tr></thead>'
        '<tbody><tr><th rowspan="2" scope="row">i</th><td>&lt;1&gt;</td></tr></tbody></table>'
    )


@pytest.mark.parametrize(
    ("tex", "block"),
    [
        ("$\\displaystyle \\frac{1}{2}$", "$$\n\\frac{1}{2}\n$$"),
        ("$$x$$", "$$\nx\n$$"),
        ("\\[x\\]", "$$\nx\n$$"),
        ("\\(x\\)", "$$\nx\n$$"),
        ("x + y", "$$\nx + y\n$$"),
        ("a\n\n\nb", "$$\na\nb\n$$"),
        ("The value $x$ is small", "The value $x$ is small"),
    ],
)
def test_latex_as_a_display_formula(tex: str, block: str) -> None:
    assert latex_block(tex, None) == block


def test_latex_label() -> None:
    assert latex_block("$x$", "eq-x") == "$$\nx \\label{eq-x}\n$$"
