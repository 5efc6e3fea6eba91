"""Posts written only from the guide's syntax (the way the acceptance checks are written), built
by every host: cross-page equation references, numbered figures and tables from fences, site
macros, math in headings, references and inline values in admonitions and footnotes; and a
post full of author mistakes, each reported at its file:line with ``--strict`` failing.

Two builds per host: the clean site with ``--strict`` (exit 0), the broken one (exit 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts._hosts import HOSTS, HostSite

pytestmark = pytest.mark.slow

MACROS = {"KL": "D_{\\mathrm{KL}}", "I": "\\operatorname{I}", "H": "\\operatorname{H}"}

MUTUAL_INFORMATION = r"""
---
title: Mutual information
---

# Mutual information

$$
\I(X; Y) = \sum_{x, y} p(x, y) \log_2 \frac{p(x, y)}{p(x)\, p(y)} \label{eq-mi-def}
$$

$$
\begin{align}
\I(X; Y) &= \H(X) - \H(X \mid Y) \label{eq-mi-cond} \\
         &= \H(X) + \H(Y) - \H(X, Y) \label{eq-mi-joint}
\end{align}
$$

By \(\ref{eq-mi-cond}\), conditioning cannot increase entropy.

```python exec="on"
joint = np.array([[0.4, 0.1], [0.1, 0.4]])
px, py = joint.sum(axis=1), joint.sum(axis=0)
mi = float(np.sum(joint * np.log2(joint / np.outer(px, py))))
print(f"I(X;Y) = {mi:.4f} bits")
```

@eq-mi-joint gives `{python} f"{entropy(px) + entropy(py) - entropy(joint.ravel()):.4f}"` bits.
"""

CAPACITY = r"""
# Channel capacity

The capacity is the largest mutual information (@eq-mi-def):

$$
C = \max_{p_X} \I(X; Y) \label{eq-capacity}
$$

## The binary symmetric channel \(C = 1 - h_2(\varepsilon)\)

Using \(\eqref{eq-mi-cond}\) with a uniform input,

$$
C_{\mathrm{BSC}}(\varepsilon) = 1 - h_2(\varepsilon) \label{eq-bsc}
$$

```python exec="on" source="none" label="tbl-bsc" caption="Capacity of the BSC." result="markdown"
print("| eps | C (bits) |")
print("|---|---|")
for e in (0.0, 0.11, 0.5):
    print(f"| {e} | {1 - float(bernoulli_entropy(e)):.4f} |")
```

```python exec="on" source="none" label="fig-bsc" caption="Capacity against the flip probability."
import matplotlib.pyplot as plt
eps = np.linspace(0.001, 0.999, 99)
plt.figure(figsize=(4, 3))
plt.plot(eps, 1 - bernoulli_entropy(eps))
```

@tbl-bsc and @fig-bsc show @eq-bsc.

!!! tip "Half a bit"
    At 0.11, @eq-bsc gives `{python} f"{1 - float(bernoulli_entropy(0.11)):.3f}"` bits.[^dpi]

## Bounds on \(\KL\)

\(\KL(p \| q) \ge 0\) for every \(p, q\).

[^dpi]: See @eq-mi-joint; `{python} 1 - 0.2` bits for an erasure probability of 0.2.
"""

MISTAKES = r"""
---
title: Mistakes
---

# A post with mistakes

$$
\KL(p \| q) = \sum_x p(x) \log \frac{p(x)}{q(x)} \label{eq-kl}
$$

$$
H(p, q) = -\sum_x p(x) \log q(x) \label{eq-kl}
$$

See @eq-nowhere for the proof.

$$
a = \eqref{fig-plot}
$$

```python exec="on" label="fig-plot" caption="A plot."
print("not really a figure")
```

## Bounds

$$
x \ge 0 \label{bounds}
$$

$$
\newcommand{\bad}[1]{#1
\bad{x}
$$

```python exec="on"
x = 1
raise RuntimeError("fence fails here")
```

The value is `{python} 1 / 0` here.

$$
E = mc^2 \label{eq-entropy}
$$
"""

EXPECTED_ERRORS = [
    "docs/mistakes.md:12: duplicate label 'eq-kl' (defined earlier on this page)",
    "docs/mistakes.md:15: @eq-nowhere: no label 'eq-nowhere' on this site",
    "docs/mistakes.md:18: \\eqref{fig-plot} refers to a figure, not an equation",
    "docs/mistakes.md:28: label 'bounds' is also the id of a heading or element on this page",
    "docs/mistakes.md:32: LaTeX error in",
    "docs/mistakes.md:38: RuntimeError: fence fails here",
    "docs/mistakes.md:41: ZeroDivisionError",
    "docs/mistakes.md:44: duplicate label 'eq-entropy' (first defined in docs/index.md)",
    # MkDocs' page order (index first), not the alphabetical one, decides which page keeps it.
    "docs/about.md:3: duplicate label 'eq-entropy' (first defined in docs/index.md)",
]


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _site(root: Path, host: str) -> HostSite:
    """One mkdocs.yml for every host, as docs/reference/hosts.md shows: the plugin's macros,
    which Zensical's extension reads from the plugin's settings."""
    plugins = ["search", {"infotheory": {"macros": MACROS}}]
    return HostSite(root, host, plugins=plugins)


def _soup(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page / "index.html").read_text("utf-8"), "html.parser")


def _article(soup: BeautifulSoup) -> BeautifulSoup:
    article = soup.find("article")
    assert article is not None
    return BeautifulSoup(str(article), "html.parser")


def _target_exists(root: Path, page: str, href: str) -> bool:
    path, _, anchor = href.partition("#")
    folder = (root / "site" / page / path).resolve()
    html = (folder / "index.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser").find(id=anchor) is not None


def test_held_out_posts_build_alike_on_every_host(tmp_path: Path, host: str) -> None:
    site = _site(tmp_path, host)
    site.write("index.md", "# Notebook\n\nCapacity of the BSC: @eq-bsc.\n")
    site.write("mutual-information.md", MUTUAL_INFORMATION)
    site.write("channel-capacity.md", CAPACITY)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log

    capacity = _soup(tmp_path, "channel-capacity")
    article = _article(capacity)
    references = [(a.get_text(), a["href"]) for a in article.select("a.infotheory-ref")]
    assert references == [
        ("Equation\xa0(1) in Mutual information", "../mutual-information/#eq-mi-def"),
        ("Table\xa01", "#tbl-bsc"),
        ("Figure\xa01", "#fig-bsc"),
        ("Equation\xa0(2)", "#eq-bsc"),
        ("Equation\xa0(2)", "#eq-bsc"),
        ("Equation\xa0(3) in Mutual information", "../mutual-information/#eq-mi-joint"),
    ], references
    for _, href in references:
        assert _target_exists(tmp_path, "channel-capacity", href), href
    # \eqref to another page, inside math: "(2)", the second row of the align.
    math_links = [(a.get_text(), a["href"]) for a in article.select(".katex-html a[href]")]
    assert math_links == [
        ("(2)\xa0in\xa0Mutual\xa0information", "../mutual-information/#eq-mi-cond")
    ], math_links
    tags = [tag.get_text(strip=True) for tag in article.select(".katex-tag")]
    assert tags == ["(1)", "(2)"], tags
    captions = [c.get_text(" ", strip=True) for c in article.select("figcaption")]
    assert captions == [
        "Table 1. Capacity of the BSC.",
        "Figure 1. Capacity against the flip probability.",
    ]
    assert article.select_one("figure#fig-bsc svg") is not None
    assert "0.5001" in article.select_one("figure#tbl-bsc table").get_text()
    tip = article.select_one(".admonition.tip")
    assert tip is not None and "gives 0.500 bits" in " ".join(tip.get_text().split())
    footnote = article.select_one(".footnote li")
    assert footnote is not None and "0.8 bits" in footnote.get_text()
    assert footnote.select_one("a.infotheory-ref")["href"] == "../mutual-information/#eq-mi-joint"

    # Headings with math: typeset in the page, the same ids as MkDocs gives, plain text in the
    # TOC and title; nothing of the page's stylesheet in any of them (Zensical).
    headings = {h.name + "#" + h.get("id", ""): h for h in article.select("h1, h2")}
    assert set(headings) == {
        "h1#channel-capacity",
        "h2#the-binary-symmetric-channel-c-1-h_2varepsilon",
        "h2#bounds-on-kl",
    }, list(headings)
    assert headings["h2#bounds-on-kl"].select_one(".katex") is not None
    toc = [a.get_text(" ", strip=True) for a in capacity.select(".md-nav--secondary a")]
    assert "Bounds on D_KL" in toc, toc
    assert not any("\\" in entry or "font-face" in entry for entry in toc), toc
    assert "font-face" not in capacity.title.get_text()

    mutual = _article(_soup(tmp_path, "mutual-information"))
    assert [t.get_text(strip=True) for t in mutual.select(".katex-tag")] == ["(1)", "(2)(3)\u200b"]
    assert "I(X;Y) = 0.2781 bits" in mutual.get_text()
    assert "Equation\xa0(3) gives 0.2781 bits" in mutual.get_text()
    home = _article(_soup(tmp_path, ""))
    assert [(a.get_text(), a["href"]) for a in home.select("a.infotheory-ref")] == [
        ("Equation\xa0(2) in Channel capacity", "channel-capacity/#eq-bsc")
    ]


def test_every_mistake_is_reported_at_its_line_on_every_host(tmp_path: Path, host: str) -> None:
    site = _site(tmp_path, host)
    site.write("index.md", "# Good\n\n$$\nH(X) = 0 \\label{eq-entropy}\n$$\n")
    site.write("mistakes.md", MISTAKES)
    site.write("about.md", "# About\n$$\nS = k \\log W \\label{eq-entropy}\n$$\n")
    build = site.build(strict=True)
    assert build.returncode != 0, build.log
    missing = [message for message in EXPECTED_ERRORS if message not in build.log]
    assert not missing, build.log


def test_heading_math_reads_as_text_in_the_toc_of_the_plain_markdown_api() -> None:
    """``toc`` runs every postprocessor on each heading before the page's own run: the math
    step must leave those fragments alone (no stylesheet, no KaTeX in ids and TOC names)."""
    from markdown import Markdown

    md = Markdown(extensions=["infotheory", "toc"])
    html = md.convert("# Entropy \\(H(X)\\)\n\n## Bound \\(x_1\\)\n\nText.\n")
    tokens = md.toc_tokens  # type: ignore[attr-defined]
    assert [(t["id"], t["name"]) for t in tokens] == [("entropy-hx", "Entropy H(X)")]
    assert [(t["id"], t["name"]) for t in tokens[0]["children"]] == [("bound-x_1", "Bound x₁")]
    page = BeautifulSoup(html, "html.parser")
    assert [h["id"] for h in page.select("h1, h2")] == ["entropy-hx", "bound-x_1"]
    assert len(page.select("style")) == 1 and page.select_one("h1 .katex") is not None


def test_the_extension_math_setting_takes_the_plugin_spelling() -> None:
    """``math: katex`` / ``math: none`` as on the plugin (a bare ValueError "Cannot parse bool
    value: 'mathjax'" from Python-Markdown was all an author got before)."""
    import markdown

    def render(math: str) -> str:
        configs = {"infotheory": {"math": math}}
        return markdown.markdown("\\(x\\)", extensions=["infotheory"], extension_configs=configs)

    assert BeautifulSoup(render("katex"), "html.parser").select_one(".katex") is not None
    untouched = BeautifulSoup(render("none"), "html.parser")
    assert untouched.select_one(".katex") is None
    assert untouched.get_text() == "\\(x\\)"
    with pytest.raises(ValueError, match="math: mathjax needs the MkDocs plugin"):
        render("mathjax")
