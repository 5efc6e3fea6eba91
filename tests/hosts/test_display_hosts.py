"""Displayed objects (issue 19) are the same contract on MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.hosts._hosts import HOSTS, HostSite

pytest.importorskip("pandas")
pytest.importorskip("sympy")
pytest.importorskip("matplotlib")

DISPLAY_POST = r"""
# Displayed objects

```python exec="on" label="eq-slope"
import sympy
p = sympy.Symbol("p", positive=True)
sympy.diff(-p * sympy.log(p) - (1 - p) * sympy.log(1 - p), p)
```

By @eq-slope the fair coin is the most uncertain.

```python exec="on" label="tbl-coins" caption="Coins"
import pandas as pd
print("the coins:")
pd.DataFrame({"p": [0.1, 0.5], "h": [0.469, 1.0]})
```

As @tbl-coins shows. A 99% coin: `{python} round(float(bernoulli_entropy(0.99)), 3)` bits.

```python exec="on" caption="A curve"
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
plt.figure(figsize=(2, 1))
plt.plot([0, 1], [1, 0]);
```
"""


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_displayed_objects_on_every_host(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", DISPLAY_POST)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    assert isinstance(article, Tag)

    equation = article.find(id="eq-slope")
    assert isinstance(equation, Tag) and equation.select_one(".katex-display") is not None
    assert "\\tag{1}" in equation.get_text()
    link = article.find("a", href="#eq-slope")
    assert link is not None and link.get_text() == "Equation\xa0(1)"

    table = article.find("figure", id="tbl-coins")
    assert isinstance(table, Tag) and table.figcaption is not None
    assert table.figcaption.get_text(" ", strip=True) == "Table 1. Coins"
    cells = table.find("table")
    assert isinstance(cells, Tag) and not cells.attrs
    assert [th.get_text() for th in cells.select("thead th")] == ["", "p", "h"]
    assert article.find("a", href="#tbl-coins") is not None
    printed = [pre.get_text() for pre in table.select(".infotheory-output pre")]
    assert printed == ["the coins:\n"]

    value = article.select_one("span.infotheory-value")
    assert value is not None and value.get_text() == "0.081"
    assert value["title"] == "round(float(bernoulli_entropy(0.99)), 3) — docs/index.md:17"

    svg = article.select_one("figure.infotheory-figure svg")
    assert svg is not None and "currentColor" in str(svg.get("style"))
