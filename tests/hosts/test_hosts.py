"""The same contract on every host: MkDocs, ProperDocs and Zensical 0.0.73.

Each test runs once per host with the set-up docs/reference/hosts.md gives for it, builds a
real site with the host's own command, and reads the HTML it wrote.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts._hosts import HOSTS, HostSite

pytestmark = pytest.mark.slow

P = (0.7, 0.2, 0.1)
ENTROPY = -sum(p * math.log2(p) for p in P)  # what the post's code must compute
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\frac|\\sum|\\log")

POST = f"""
---
title: A fixture post
---
# Entropy of a three-sided die

The entropy is `{{python}} f"{{entropy(np.array({list(P)})):.4f}}"` bits.

```python exec="on"
p = np.array({list(P)})
print(f"H = {{entropy(p):.5f}}")
```

$$
H(X) = -\\sum_i p_i \\log_2 p_i
$$

Inline math \\( \\frac{{1}}{{2}} \\) and a note.[^one]

!!! note "Why bits"

    Base-2 logarithms.

```pycon exec="on"
>>> print(f"{{entropy(np.array([0.5, 0.5])):.1f}}")
1.0
```

```python exec="on" caption="Bar chart of the distribution"
import matplotlib.pyplot as plt
plt.bar(range(3), p)
```

[^one]: A footnote.
"""


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _article(root: Path, page: str = "") -> BeautifulSoup:
    html = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    assert article is not None, f"no <article> in {page or 'index'}"
    return BeautifulSoup(str(article), "html.parser")


def _prose(article: BeautifulSoup) -> str:
    """Visible text outside code blocks and outside KaTeX's MathML/annotation copy."""
    copy = BeautifulSoup(str(article), "html.parser")
    for element in copy.select("pre, code, .katex-mathml, style, script"):
        element.decompose()
    return copy.get_text(" ")


def test_fixture_post_runs_and_renders_on_every_host(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", POST)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = _article(tmp_path)
    text = article.get_text(" ")
    assert f"The entropy is {ENTROPY:.4f} bits" in " ".join(text.split())
    outputs = [pre.get_text() for pre in article.select(".infotheory-output pre, pre")]
    assert any(f"H = {ENTROPY:.5f}" in output for output in outputs), outputs
    assert any(">>> print(" in output and "1.0" in output for output in outputs), "no doc-test"
    assert len(article.select(".katex")) == 2
    assert article.select(".katex-display"), "display math is not KaTeX display math"
    assert article.select(".katex-mathml math"), "no MathML"
    assert not RAW_TEX.findall(_prose(article)), "raw TeX left in the page"
    assert article.select(".footnote li"), "footnotes missing"
    assert [t.get_text(strip=True) for t in article.select(".admonition-title")] == ["Why bits"]
    figure = article.select_one("figure.infotheory-figure")
    assert figure is not None and figure.select_one("svg")
    assert "Bar chart of the distribution" in figure.get_text()


def test_showcase_builds_strict_on_every_host(tmp_path: Path, host: str) -> None:
    site = HostSite.showcase(tmp_path, host)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = _article(tmp_path)
    from mkdocs_infotheory.compute import bernoulli_entropy

    expected = f"{bernoulli_entropy(0.99):.2f}"
    # The inline value sits inside a formula: KaTeX's annotation keeps the TeX it rendered.
    annotations = [a.get_text() for a in article.select('annotation[encoding="application/x-tex"]')]
    assert any(f"H \\approx {expected}" in tex for tex in annotations), annotations[:5]
    assert len(article.select(".katex")) >= 20
    assert not RAW_TEX.findall(_prose(article))
    assert len(article.select(".footnote li")) >= 4
    assert article.select(".admonition.tip") and article.select(".admonition.warning")
    assert article.select("figure figcaption"), "captioned figures missing"
    table = article.select_one("table")
    assert table is not None and "deterministic" in table.get_text()
    # A reference to an equation numbered on another page links there, with its number.
    references = _article(tmp_path, "examples/references")
    links = [(a["href"], a.get_text()) for a in references.select('a[href$="#eq-kl"]')]
    # An equation of another page names that page (issue 20), the same on every host.
    assert ("../../#eq-kl", "Equation\xa0(3) in Information theory fundamentals") in links, links
    # The seed's sources are citations of docs/references.bib, listed at the end (issue 20).
    cited = {a["href"] for a in article.select("a.infotheory-cite")}
    assert cited == {
        f"#ref-{key}" for key in ("shannon1948", "mackay2003", "bishop2006", "cover2006")
    }
    assert len(article.select(".infotheory-bibliography li")) == 4
    scholarly = _article(tmp_path, "examples/scholarly")
    assert scholarly.find(id="thm-kraft")["aria-label"] == "Theorem 1 (Kraft inequality)"


def test_an_error_fails_strict_naming_file_and_line(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", "# Fine\n\nNothing to run.\n")
    site.write(
        "sub/broken.md",
        """
        ---
        title: Broken
        ---
        # Broken

        ```python exec="on"
        x = 1
        raise ValueError("boom from the fixture")
        ```

        Inline: `{python} 1 / 0`.
        """,
    )
    build = site.build(strict=True)
    assert build.returncode != 0, build.log
    assert "docs/sub/broken.md:8: ValueError: boom from the fixture" in build.log
    assert "docs/sub/broken.md:11: ZeroDivisionError" in build.log
    if host != "zensical":
        return
    # The failure is shown in place too (MkDocs aborts a strict build before writing pages).
    relaxed = site.build()
    assert relaxed.returncode == 0, relaxed.log
    box = _article(tmp_path, "sub/broken").select_one(".infotheory-failure .admonition-title")
    assert box is not None and box.get_text() == "ValueError at docs/sub/broken.md:8"


def test_code_runs_in_the_docs_folder(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    (tmp_path / "docs" / "data.txt").write_text("seventeen\n", encoding="utf-8")
    site.write(
        "index.md",
        """
        # Data

        ```bash exec="on"
        cat data.txt
        ```

        ```python exec="on"
        print(open("data.txt").read().upper())
        ```
        """,
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    text = _article(tmp_path).get_text()
    assert "seventeen" in text and "SEVENTEEN" in text


def test_fences_included_with_snippets_run(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.config["markdown_extensions"] = [
        {"pymdownx.snippets": {"base_path": ["docs"], "check_paths": True}},
        *site.config.get("markdown_extensions", []),
    ]
    site.write("part.txt", '```python exec="on"\nprint(6 * 7 * 1000 + 1)\n```\n')
    site.write("index.md", '# Included\n\n--8<-- "part.txt"\n')
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert "42001" in _article(tmp_path).get_text()


def test_an_included_fence_that_fails_is_reported_at_the_include_line(
    tmp_path: Path, host: str
) -> None:
    site = HostSite(tmp_path, host)
    site.config["markdown_extensions"] = [
        {"pymdownx.snippets": {"base_path": ["docs"]}},
        *site.config.get("markdown_extensions", []),
    ]
    site.write("part.txt", '```python exec="on"\nraise KeyError("from the snippet")\n```\n')
    site.write(
        "index.md",
        '# Included\n\n--8<-- "part.txt"\n\n```python exec="on"\nprint(undefined_name)\n```\n',
    )
    build = site.build(strict=True)
    assert build.returncode != 0
    assert "docs/index.md:6: NameError" in build.log
    assert "docs/index.md:3: KeyError" in build.log


def test_listing_both_plugin_and_extension_runs_each_fence_once(tmp_path: Path) -> None:
    for host in ("mkdocs", "properdocs"):
        root = tmp_path / host
        site = HostSite(root, host)
        site.config["markdown_extensions"] = ["infotheory", "mkdocs_infotheory.extension"]
        site.write(
            "index.md",
            """
            # Once

            ```python exec="on"
            with open("../runs.log", "a") as log:
                print("ran", file=log)
            ```

            Value `{python} 40 + 2`.
            """,
        )
        build = site.build(strict=True)
        assert build.returncode == 0, build.log
        assert (root / "runs.log").read_text() == "ran\n", f"{host}: fence ran more than once"
        assert "42" in _article(root).get_text()
