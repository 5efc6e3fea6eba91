"""render_math_in_html on HTML produced by real Python-Markdown + pymdownx.arithmatex."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from mkdocs_infotheory.math import (
    ERROR_CLASS,
    KatexAssetsError,
    KatexRenderer,
    MathCache,
    render_math_in_html,
)

MarkdownToHtml = Callable[..., str]

PAGE = r"""# Entropy

Inline $a < b \& c$ and \(x^2\) here.

$$
\sum_{i=1}^n x_i
$$

\[
a > b
\]

\begin{align}
a &= b \\
c &= d
\end{align}

    indented code $x$ \(y\)

Text `$z$` and `\(w\)`.

```python
print("$p$ \\(q\\)")
```

> $$
> q
> $$
"""


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def without_math(html: str) -> str:
    page = soup(html)
    for element in page.select(".arithmatex"):
        element.decompose()
    return str(page)


def annotations(html: str) -> list[str]:
    return [a.get_text() for a in soup(html).select('annotation[encoding="application/x-tex"]')]


def test_every_formula_becomes_katex_and_nothing_else_changes(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    source = md(PAGE)
    result = render_math_in_html(source, renderer)
    page = soup(result.html)
    assert result.errors == []
    assert result.rendered == 6
    wrappers = page.select(".arithmatex")
    assert len(wrappers) == 6
    assert all(w.select_one(".katex") is not None for w in wrappers)
    assert annotations(result.html) == [
        r"a < b \& c",
        "x^2",
        r"\sum_{i=1}^n x_i",
        "a > b",
        "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}",
        "q",
    ]
    assert without_math(result.html) == without_math(source)


def test_inline_stays_inline_and_display_is_a_block(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    page = soup(render_math_in_html(md(PAGE), renderer).html)
    for wrapper in page.select("span.arithmatex"):
        assert wrapper.select_one(".katex-display") is None
        assert wrapper.find_parent("p") is not None
    displays = page.select("div.arithmatex")
    assert len(displays) == 4
    for wrapper in displays:
        first = next(child for child in wrapper.children if isinstance(child, Tag))
        assert "katex-display" in first["class"]
    assert page.select_one("blockquote div.arithmatex .katex-display") is not None


def test_tex_inside_code_is_untouched(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    source = md(PAGE)
    page = soup(render_math_in_html(source, renderer).html)
    assert page.select("pre .katex, code .katex") == []
    code_texts = [c.get_text() for c in page.find_all("code")]
    assert code_texts == [c.get_text() for c in soup(source).find_all("code")]
    assert any("\\(y\\)" in text for text in code_texts)


def test_arithmatex_markup_inside_pre_is_left_alone(renderer: KatexRenderer) -> None:
    html = '<pre><code><span class="arithmatex">\\(x\\)</span></code></pre><p>after</p>'
    result = render_math_in_html(html, renderer)
    assert result.html == html
    assert result.rendered == 0


def test_fenced_math_keeps_id_and_classes(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    source = md("```{.math #eq-kl .wide}\nD(p\\|q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}\n```\n")
    page = soup(render_math_in_html(source, renderer).html)
    wrapper = page.select_one("div#eq-kl")
    assert wrapper is not None
    assert {"arithmatex", "wide"} <= set(wrapper["class"])
    assert wrapper.select_one(".katex-display math mfrac") is not None


def test_mathjax_mode_scripts_and_previews_are_rendered_once(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    source = md(PAGE, generic=False, preview=True)
    assert soup(source).select('script[type^="math/tex"]')
    result = render_math_in_html(source, renderer)
    page = soup(result.html)
    assert page.select("script") == []
    assert page.select(".MathJax_Preview") == []
    assert len(page.select(".katex")) == 6
    assert len(page.select("div.arithmatex > .katex-display")) == 4
    assert annotations(result.html)[0] == r"a < b \& c"


def test_wrapless_generic_output_uses_the_element_kind(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    source = md("See $x_1$.\n\n$$\ny_2\n$$\n", tex_inline_wrap=["", ""], tex_block_wrap=["", ""])
    page = soup(render_math_in_html(source, renderer).html)
    assert page.select_one("span.arithmatex > .katex > .katex-mathml") is not None
    assert page.select_one("div.arithmatex > .katex-display") is not None
    assert annotations(str(page)) == ["x_1", "y_2"]


def test_bad_formula_stays_visible_and_is_reported(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    source = md("Good $x$, bad $\\frac{a}{$ and\n\n$$\n\\left( y\n$$\n")
    result = render_math_in_html(source, renderer)
    assert [(e.tex, e.display) for e in result.errors] == [
        ("\\frac{a}{", False),
        ("\\left( y", True),
    ]
    assert result.rendered == 1
    page = soup(result.html)
    marks = page.select(f".arithmatex > .{ERROR_CLASS}")
    assert [m.name for m in marks] == ["span", "div"]
    for mark, error in zip(marks, result.errors, strict=True):
        assert mark["title"] == error.message
        assert error.tex in mark.get_text()
        assert mark.select_one(".katex") is None
    assert page.select_one("span.arithmatex .katex") is not None


def test_rendering_twice_is_a_no_op(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    once = render_math_in_html(md(PAGE + "\nbad $\\frac$\n"), renderer)
    twice = render_math_in_html(once.html, renderer)
    assert twice.html == once.html
    assert (twice.rendered, twice.cached, twice.errors) == (0, 0, [])


def test_offsets_survive_non_ascii_entities_and_newlines(renderer: KatexRenderer) -> None:
    html = (
        "<h1>Ünïcødé 🚀 &amp; &#955;</h1>\n<p>line\nbreak</p>\n"
        '<p>x <span class="arithmatex">\\(y\\)</span> z<br>\n'
        '<span class="arithmatex">\\(w\\)</span>!</p>'
    )
    result = render_math_in_html(html, renderer)
    assert result.rendered == 2
    assert result.html.startswith(html[: html.index("<span")])
    assert result.html.endswith("</span>!</p>")
    assert " z<br>\n<span" in result.html
    assert annotations(result.html) == ["y", "w"]


def test_page_without_math_is_returned_unchanged(renderer: KatexRenderer) -> None:
    html = "<p>No math, only $5 and $10 and a <code>\\(x\\)</code>.</p>"
    result = render_math_in_html(html, renderer)
    assert result.html == html
    assert (result.rendered, result.cached, result.errors) == (0, 0, [])


def test_repeated_formula_renders_once(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    result = render_math_in_html(md("$H(X)$ then $H(X)$.\n\n$$H(X)$$\n"), renderer)
    # The inline repeat is served from the page's memo; display math is a different rendering.
    assert (result.rendered, result.cached) == (2, 1)
    assert len(soup(result.html).select(".katex")) == 3


def test_cache_hits_on_the_next_build(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    cache = MathCache(None)
    first = render_math_in_html(md(PAGE), renderer, cache)
    second = render_math_in_html(md(PAGE), renderer, cache)
    assert (first.rendered, first.cached) == (6, 0)
    assert (second.rendered, second.cached) == (0, 6)
    assert second.html == first.html


def test_cache_hits_never_start_katex(md: MarkdownToHtml, tmp_path: Path) -> None:
    # A KaTeX install whose JavaScript is missing: only a cache hit can produce output.
    broken = tmp_path / "katex"
    broken.mkdir()
    (broken / "manifest.json").write_text(json.dumps({"katex_version": "9.9.9", "files": []}))
    no_js = KatexRenderer(katex_dir=broken)
    cache = MathCache(None)
    cache.put("9.9.9", False, "x", '<span class="katex">cached x</span>')
    result = render_math_in_html(md("Just $x$."), no_js, cache)
    assert (result.rendered, result.cached) == (0, 1)
    assert soup(result.html).select_one("span.arithmatex > .katex").get_text() == "cached x"
    assert not no_js.loaded
    with pytest.raises(KatexAssetsError, match=r"katex\.min\.js"):
        render_math_in_html(md("Now $y$."), no_js, cache)


def test_search_indexes_each_formula_once(md: MarkdownToHtml, renderer: KatexRenderer) -> None:
    """Material's own search parser sees one copy of a formula, not MathML + TeX + HTML."""
    search = pytest.importorskip("material.plugins.search.plugin")
    page = md(r"Entropy $H(X) = -\sum_x p(x) \log_2 p(x)$ in bits, $\mathbb{E}[X]$.")
    html = render_math_in_html(page, renderer).html
    assert soup(html).select(".katex-mathml math annotation")  # still there for screen readers
    parser = search.Parser()
    parser.feed(html)
    parser.close()
    text = "".join("".join(section.text) for section in parser.data)
    assert text.count("H(X)") == 1
    assert text.count("E[X]") == 1
    assert "\\sum" not in text and "\\mathbb" not in text
    assert text.startswith("<p>Entropy ") and text.endswith(".</p>")


def test_heading_formulas_carry_a_hidden_plain_reading(md: MarkdownToHtml) -> None:
    renderer = KatexRenderer(macros={"\\KL": "D_{\\mathrm{KL}}"})
    page = "## Half is \\(\\frac{1}{2}\\)\n\n#### <em>The \\(\\KL\\)</em>\n\n"
    page += "Body \\(\\frac{1}{2}\\).\n"
    result = render_math_in_html(md(page), renderer)
    html = soup(result.html)
    headings = html.select("h2, h4")
    readings = [[span.get_text() for span in h.select("span[hidden]")] for h in headings]
    assert readings == [["1/2"], ["D_KL"]]
    for heading in headings:
        typeset = heading.select_one("[data-search-exclude] > .katex")
        assert typeset is not None and typeset.parent is not None
        # Material skips it only if nothing inside has the same tag.
        assert typeset.parent.find(typeset.parent.name) is None
    body = html.find("p")
    assert body is not None and body.select("span[hidden]") == []
    assert render_math_in_html(result.html, renderer).html == result.html


def test_heading_tex_for_mathjax_is_marked_once(md: MarkdownToHtml) -> None:
    from mkdocs_infotheory.math.transform import mark_heading_tex

    html = md("## Half is \\(\\frac{1}{2}\\)\n\nBody \\(x\\).\n")
    once = mark_heading_tex(html)
    assert mark_heading_tex(once) == once != html
    page = soup(once)
    assert [s.get_text() for s in page.select("h2 span[hidden]")] == ["1/2"]
    assert [f.has_attr("data-search-exclude") for f in page.select(".arithmatex")] == [True, False]
