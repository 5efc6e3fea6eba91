"""Results as objects (issue 19): Jupyter's display protocol at build time, on real builds.

Every contract point is checked on the HTML a real MkDocs + Material build writes: the last
expression, ``display`` in order with printed text, the representation Jupyter would choose,
LaTeX typeset and numbered, DataFrames as clean numbered tables, and all of it cached and
frozen (a frozen page shows the same table and formula where pandas and sympy are missing).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.sites import Build, Site

pytest.importorskip("pandas")
pytest.importorskip("sympy")

PROTOCOL_PAGE = r"""
# Display

```python exec="on"
6 * 7
```

```python exec="on"
6 * 8;
```

```python exec="on"
print("only printed")
```

```python exec="on"
None
```

```python exec="on"
print("first")
display("second")
print("third")
display(4, 5)
print("sixth")
```

```python exec="on"
class Everything:
    def _repr_html_(self):
        return '<em class="from-html">html wins</em>'
    def _repr_markdown_(self):
        return "**markdown**"
    def _repr_latex_(self):
        return "$x$"
    def __repr__(self):
        return "plain"

class Words:
    def _repr_markdown_(self):
        return '**markdown wins** over <span class="from-markdown">latex</span>'
    def _repr_latex_(self):
        return "$y$"

class Formula:
    def _repr_latex_(self):
        return r"$\frac{1}{2}$"
    def _repr_svg_(self):
        return "<svg></svg>"

class Drawing:
    def _repr_svg_(self):
        return '<svg xmlns="http://www.w3.org/2000/svg" class="from-svg" width="4"></svg>'
    def _repr_png_(self):
        return b"\x89PNG"

class Picture:
    def _repr_png_(self):
        return b"\x89PNG-bytes"
    def _repr_jpeg_(self):
        return b"\xff\xd8"

class Photo:
    def _repr_jpeg_(self):
        return b"\xff\xd8"

class Bundle:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": "*from the bundle*", "text/plain": "bundle"}
    def _repr_markdown_(self):
        return '<b class="from-bundle-html">not this: the bundle gives markdown</b>'
    def _repr_latex_(self):
        return "$z$"

class Broken:
    def _repr_html_(self):
        raise RuntimeError("no html today")
    def __repr__(self):
        return "<Broken & fallen back>"

display(Everything(), Words(), Formula(), Drawing(), Picture(), Photo(), Bundle(), Broken())
```

```python exec="on" label="eq-dh"
import sympy
p = sympy.Symbol("p", positive=True)
h = -p * sympy.log(p, 2) - (1 - p) * sympy.log(1 - p, 2)
sympy.simplify(sympy.diff(h, p))
```

The slope is @eq-dh, also written $\eqref{eq-dh}$.

```python exec="on" label="tbl-entropy" caption="Entropy of a coin"
import pandas as pd
from mkdocs_infotheory.compute import bernoulli_entropy
frame = pd.DataFrame({"p": [0.1, 0.5, 0.9]})
frame["H (bits)"] = [float(bernoulli_entropy(q)) for q in frame["p"]]
frame
```

As @tbl-entropy shows, a fair coin is the most uncertain.

```python exec="on"
from IPython.display import Math, display as ipython_display
print("before ipython")
ipython_display(Math(r"H(X) \le \log_2 |\mathcal{X}|"))
```
"""


def texts(article: Tag) -> list[str]:
    return [pre.get_text() for pre in article.select("div.infotheory-output pre")]


def blocks(article: Tag) -> list[Tag]:
    """The article's top-level blocks (a fence's source, outputs, displays), in order."""
    return [child for child in article.children if isinstance(child, Tag)]


@pytest.fixture(scope="module")
def protocol(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("display") / "site")
    site.write("index.md", PROTOCOL_PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    return build


def test_last_expression_shown_unless_semicolon_or_none(protocol: Build) -> None:
    shown = texts(protocol.article())
    assert "42\n" in shown
    assert not any("48" in text for text in shown)
    assert "only printed\n" in shown
    assert not any("None" in text for text in shown)


def test_display_calls_interleave_with_printed_text_in_order(protocol: Build) -> None:
    shown = texts(protocol.article())
    start = shown.index("first\n")
    assert shown[start : start + 6] == ["first\n", "'second'\n", "third\n", "4\n", "5\n", "sixth\n"]


def test_representation_is_the_one_jupyter_chooses(protocol: Build) -> None:
    article = protocol.article()
    html = article.select_one("em.from-html")
    assert html is not None and html.get_text() == "html wins"
    assert "markdown wins" in article.get_text() and article.select_one("strong") is not None
    # Markdown from the object is Markdown: its inline HTML is the author's, kept.
    assert article.select_one("span.from-markdown") is not None
    assert article.select_one("b.from-bundle-html") is None
    assert article.find("em", string="from the bundle") is not None
    drawing = article.select_one("svg.from-svg")
    assert drawing is not None and drawing.find_parent("div", class_="infotheory-plot")
    sources = [img["src"] for img in article.select("div.infotheory-plot img")]
    assert sources == [
        "data:image/png;base64,iVBORy1ieXRlcw==",  # png before jpeg
        "data:image/jpeg;base64,/9g=",
    ]
    # A failing _repr_html_ falls back to __repr__, and plain text is escaped.
    assert "<Broken & fallen back>\n" in texts(article)
    assert article.find("broken") is None
    # latex over svg: the 1/2 is typeset, not the object's SVG.
    formulas = [k for k in article.select(".katex-display") if "\\frac{1}{2}" in k.get_text()]
    assert len(formulas) == 1


def test_sympy_formula_typeset_numbered_and_referable(protocol: Build) -> None:
    article = protocol.article()
    equation = article.find(id="eq-dh")
    assert isinstance(equation, Tag)
    assert equation.select_one(".katex-display") is not None
    annotation = equation.find("annotation")
    assert annotation is not None and "\\log" in annotation.get_text()
    assert "\\tag{1}" in annotation.get_text()
    references = [a for a in article.select("a") if a.get("href") == "#eq-dh"]
    assert references and references[0].get_text() == "Equation\xa0(1)"
    assert "??" not in article.get_text()


def test_ipython_display_and_math_are_ours(protocol: Build) -> None:
    article = protocol.article()
    formulas = [k for k in article.select(".katex-display") if "mathcal" in k.get_text()]
    assert len(formulas) == 1
    assert "before ipython\n" in texts(article)
    assert "<IPython" not in article.get_text()


def test_dataframe_is_a_clean_numbered_table(protocol: Build) -> None:
    article = protocol.article()
    figure = article.find("figure", id="tbl-entropy")
    assert isinstance(figure, Tag)
    assert figure.figcaption is not None
    assert figure.figcaption.get_text(" ", strip=True) == "Table 1. Entropy of a coin"
    table = figure.find("table")
    assert isinstance(table, Tag)
    for element in [table, *table.find_all(True)]:
        assert not {"border", "style", "class"} & set(element.attrs), element
    assert not figure.find("style")
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == ["", "p", "H (bits)"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.tbody("tr")]
    assert rows[1][:2] == ["1", "0.5"] and rows[1][2].startswith("1.0")
    reference = article.find("a", href="#tbl-entropy")
    assert reference is not None and reference.get_text() == "Table\xa01"


DISPLAY_FROZEN_PAGE = r"""
# Frozen

```python exec="on" label="eq-h"
import sympy
p = sympy.Symbol("p")
-p * sympy.log(p) - (1 - p) * sympy.log(1 - p)
```

```python exec="on" label="tbl-h" caption="Entropies"
import pandas as pd
print("the table:")
pd.DataFrame({"p": [0.25, 0.5], "H": [0.811, 1.0]})
```

See @eq-h and @tbl-h.
"""


def shown_parts(build: Build) -> tuple[str, str, list[str]]:
    article = build.article()
    equation = article.find(id="eq-h")
    table = article.find(id="tbl-h")
    assert isinstance(equation, Tag) and isinstance(table, Tag), build.log
    return str(equation), str(table), texts(article)


@pytest.mark.slow
def test_cached_and_frozen_pages_show_the_same_without_pandas_or_sympy(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    author = make_site(plugin={"freeze": "auto"})
    author.write("index.md", DISPLAY_FROZEN_PAGE)
    ran = author.build(strict=True)
    assert ran.returncode == 0, ran.log
    first = shown_parts(ran)
    assert "katex" in first[0] and "<table>" in first[1] and first[2] == ["the table:\n"]

    cached = author.build(strict=True)
    assert "0 fences run" in cached.log or "from cache" in cached.log, cached.log
    assert shown_parts(cached) == first

    frozen = (author.root / "_freeze" / "index.md.json").read_text(encoding="utf-8")
    assert '"displays"' in frozen and "text/latex" in frozen

    # A machine without pandas or sympy: importing either fails there.
    blockers = tmp_path / "blockers"
    for name in ("pandas", "sympy"):
        (blockers / name).mkdir(parents=True)
        (blockers / name / "__init__.py").write_text(f"raise ImportError('no {name} here')\n")
    clone = tmp_path / "clone"
    shutil.copytree(author.root, clone, ignore=shutil.ignore_patterns(".cache", "site"))
    ci = Site(clone)
    ci.config = author.config
    path = os.pathsep.join(filter(None, [str(blockers), os.environ.get("PYTHONPATH", "")]))
    unfrozen = ci.build(env={"PYTHONPATH": path, "MKDOCS_INFOTHEORY_FREEZE": "false"})
    assert any("no sympy here" in w for w in unfrozen.warnings()), unfrozen.log
    published = ci.build(strict=True, env={"PYTHONPATH": path, "MKDOCS_INFOTHEORY_FREEZE": "true"})
    assert published.returncode == 0, published.log
    assert shown_parts(published) == first


def test_frozen_pages_without_displays_keep_their_format(make_site: Callable[..., Site]) -> None:
    """A page that displays nothing is frozen exactly as before (no new keys in its file)."""
    site = make_site(plugin={"freeze": "auto"})
    site.write("index.md", '# P\n\n```python exec="on"\nx = 1\nprint(x)\n```\n')
    assert site.build(strict=True).returncode == 0
    frozen = (site.root / "_freeze" / "index.md.json").read_text(encoding="utf-8")
    assert "displays" not in frozen


def test_display_errors_point_at_the_author_line(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write(
        "index.md",
        """
        # Errors

        ```python exec="on"
        class Bad:
            def __repr__(self):
                raise ValueError("cannot show")

        Bad()
        ```
        """,
    )
    build = site.build()
    warning = [w for w in build.warnings() if "cannot show" in w]
    assert len(warning) == 1 and "docs/index.md:6" in warning[0], build.log


def test_bad_fence_label_names_the_three_kinds(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", '# L\n\n```python exec="on" label="equation-x"\n1\n```\n')
    build = site.build()
    message = [w for w in build.warnings() if "label=" in w]
    assert message and "eq-NAME" in message[0] and "docs/index.md:3" in message[0], build.log
    soup = BeautifulSoup(str(build.article()), "html.parser")
    assert soup.select_one(".infotheory-failure") is not None


PROVENANCE_PAGE = r"""
# Coin of `{python} 2` sides

A 99% coin carries `{python} round(0.0808, 3)` bits, not `{python} "<b>&</b>"`.

In a formula: \( H \approx `{python} round(0.5, 2)` \).

| p | H |
|---|---|
| 0.5 | `{python} 40 + 2` |

![a coin of `{python} 7` sides](coin.png)
"""


def test_inline_values_carry_their_expression_and_place(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", PROVENANCE_PAGE)
    (site.root / "docs" / "coin.png").write_bytes(b"\x89PNG")
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = build.article()
    values = {span.get_text(): span["title"] for span in article.select("span.infotheory-value")}
    assert values == {
        "0.081": "round(0.0808, 3) — docs/index.md:3",
        "<b>&</b>": '"<b>&</b>" — docs/index.md:3',
        "42": "40 + 2 — docs/index.md:9",
    }
    assert article.find("b") is None
    # Where no element can go the value is bare: heading, formula, alt text.
    assert article.h1 is not None and article.h1.get_text().startswith("Coin of 2 sides")
    assert article.select_one(".arithmatex .infotheory-value") is None
    assert "0.5" in article.select_one(".arithmatex annotation").get_text()
    image = article.find("img")
    assert image is not None and image["alt"] == "a coin of 7 sides"


FIGURE_PAGE = r"""
# Figures

```python exec="on" label="fig-h" caption="Binary entropy"
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 0.5, 1], [0, 1, 0], color="tab:red", label="h")
ax.legend()
ax.set_xlabel("p")
```

```python exec="on"
fig2, ax2 = plt.subplots(figsize=(2, 1))
print("before the figure")
display(fig2)
print("after the figure")
```

See @fig-h.
"""


def test_svg_figures_use_the_page_colours(make_site: Callable[..., Site]) -> None:
    pytest.importorskip("matplotlib")
    site = make_site()
    site.write("index.md", FIGURE_PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = build.article()
    figure = article.find("figure", id="fig-h")
    assert isinstance(figure, Tag) and figure.figcaption is not None
    assert figure.figcaption.get_text(" ", strip=True) == "Figure 1. Binary entropy"
    svg = figure.find("svg")
    assert isinstance(svg, Tag) and svg["aria-label"] == "Binary entropy"
    assert "var(--md-default-fg-color" in svg["style"] and "currentColor" in svg["style"]
    styles = " ".join(str(tag.get("style", "")) for tag in svg.find_all(True))
    assert "var(--md-default-bg-color" in styles  # the paper
    fixed = re.sub(r"var\([^)]*\)", "", styles)  # colours outside the page's variables
    assert "#ffffff" not in fixed and "#000000" not in fixed
    assert "#d62728" in styles  # the author's tab:red stays
    assert article.find("a", href="#fig-h") is not None
    # display(fig) shows the figure where it is called, and only there.
    shown = [
        child.name if child.name != "div" else " ".join(child.get("class", []))
        for child in blocks(article)
        if child.name in ("div", "figure")
    ]
    start = shown.index("infotheory-plot")
    assert shown[start - 1] == "language-text infotheory-output highlight"
    assert shown[start + 1] == "language-text infotheory-output highlight"
    assert len(article.select("div.infotheory-plot")) == 2


def test_png_figures_are_sharp_on_dense_screens(make_site: Callable[..., Site]) -> None:
    pytest.importorskip("matplotlib")
    site = make_site(plugin={"figure_format": "png"})
    site.write(
        "index.md",
        """
        # PNG

        ```python exec="on"
        import matplotlib
        matplotlib.use("agg")
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=(4, 2), dpi=100)
        plt.plot([1, 2]);
        ```
        """,
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    image = build.article().select_one("div.infotheory-plot img")
    assert image is not None
    from mkdocs_infotheory.core.figure_theme import png_size

    size = png_size(str(image["src"]).removeprefix("data:image/png;base64,"))
    assert size is not None and size[0] >= 2 * 300  # 4 in at 2 x 100 dpi, less a tight crop
    assert int(image["width"]) == size[0] // 2


def test_pytest_infotheory_checks_displayed_objects(make_site: Callable[..., Site]) -> None:
    """A page's displays run under ``pytest --infotheory`` too: a ``__repr__`` that fails
    fails the page at its line; DataFrames and formulas pass."""
    from tests.build.test_pytest_plugin import outcome_counts, run_pytest

    site = make_site()
    site.write("shown.md", DISPLAY_FROZEN_PAGE)
    site.write(
        "broken.md",
        '# Broken\n\n```python exec="on"\nclass Bad:\n    def __repr__(self):\n'
        '        raise ValueError("cannot show")\n\nBad()\n```\n',
    )
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider")
    assert result.returncode == 1, result.stdout + result.stderr
    assert outcome_counts(result.stdout) == {"failed": 1, "passed": 1}
    assert "docs/broken.md:6: ValueError: cannot show" in result.stdout
