"""Cross-references and macros below the MkDocs adapter: the host-neutral pieces a Markdown
extension (one page at a time) uses, on HTML from real Python-Markdown + pymdown-extensions."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from mkdocs_infotheory.math import KatexRenderer, MathCache, render_math_in_html
from mkdocs_infotheory.math.plaintext import tex_to_text
from mkdocs_infotheory.refs import LabelIndex, Target, number_page, process_page, resolve_page
from mkdocs_infotheory.refs.tex import link_references, number_display


def _html(source: str) -> str:
    return markdown.markdown(
        source,
        extensions=["pymdownx.arithmatex", "pymdownx.blocks.caption", "tables", "footnotes"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )


def test_number_display_tags_labelled_rows_only() -> None:
    counter = iter(range(1, 10))
    numbered = number_display(
        r"\begin{align} a &= b \label{x} \\ c &= d \\ e &= f \tag{T} \label{y} \end{align}",
        lambda: str(next(counter)),
    )
    assert numbered.labels == {"x": "1", "y": "T"}
    assert r"\begin{align*}" in numbered.tex and r"\end{align*}" in numbered.tex
    assert r"\label" not in numbered.tex
    assert numbered.tex.count(r"\tag{1}") == 1 and numbered.tex.count(r"\tag{T}") == 1


def test_link_references_reports_what_it_cannot_resolve() -> None:
    def link(command: str, name: str) -> tuple[str, str, str] | None:
        if name == "eq-c":  # on another page: the link names it
            return ("p/#eq-c", "1", r"\text{ in }\textit{P}")
        return ("#eq-a", "3", "") if name == "eq-a" else None

    tex, unresolved = link_references(
        r"\eqref{eq-a} + \ref{eq-a} + \eqref{eq-b} + \eqref{eq-c}", link
    )
    assert r"\href{#eq-a}{\text{(3)}}" in tex and r"\href{#eq-a}{\text{3}}" in tex
    assert r"\href{p/#eq-c}{\text{(1)}\text{ in }\textit{P}}" in tex
    assert unresolved == [("eqref", "eq-b")]


def test_process_page_numbers_and_links_one_page() -> None:
    source = (
        "See @eq-a, @fig-b and @tbl-c; not me@eq-a.org or `@eq-a`.\n\n"
        "$$\nx = 1 \\label{eq-a}\n$$\n\n"
        "![b](b.png)\n/// caption | #fig-b\nB\n///\n\n"
        "| h |\n|---|\n| 1 |\n\n/// caption | #tbl-c\nC\n///\n"
    )
    page = process_page(_html(source))
    soup = BeautifulSoup(page.html, "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.select("a.infotheory-ref")]
    assert links == [
        ("Equation\xa0(1)", "#eq-a"),
        ("Figure\xa01", "#fig-b"),
        ("Table\xa01", "#tbl-c"),
    ]
    assert soup.find(id="eq-a").name == "div"
    assert "me@eq-a.org" in soup.get_text() and soup.code.get_text() == "@eq-a"
    assert not page.problems


def test_problems_carry_the_source_line() -> None:
    source = "# T\n\n$$\na \\label{eq-a}\n$$\n\n$$\nb \\label{eq-a}\n$$\n\nSee @eq-zz.\n"
    page = process_page(_html(source))
    lines = sorted((problem.line_in(source), problem.message) for problem in page.problems)
    assert lines[0][0] == 8 and "duplicate label 'eq-a'" in lines[0][1]
    assert lines[1][0] == 11 and "@eq-zz" in lines[1][1]


def test_cross_page_resolution_uses_the_hosts_urls() -> None:
    first = number_page(_html("$$\na \\label{eq-a}\n$$\n"), "a.md")
    index = LabelIndex()
    for target in first.targets:
        index.add(target)
    assert index.get("eq-a") == Target("eq", "eq-a", "1", "a.md")
    resolved = resolve_page(
        _html("By @eq-a and \\(\\eqref{eq-a}\\)."),
        "b.md",
        index,
        lambda page, anchor: f"../{page}#{anchor}",
    )
    soup = BeautifulSoup(resolved.html, "html.parser")
    assert soup.select_one("a.infotheory-ref")["href"] == "../a.md#eq-a"
    assert r"\href{../a.md#eq-a}{\text{(1)}}" in soup.get_text()


@pytest.fixture(scope="module")
def macro_renderer() -> KatexRenderer:
    return KatexRenderer(macros={"KL": r"D_{\mathrm{KL}}"})


def test_site_macros_and_page_scoped_newcommand(macro_renderer: KatexRenderer) -> None:
    html = _html(r"\(\KL\) \(\newcommand{\foo}{y}\foo\) \(\foo + 1\)")
    cache = MathCache(None)
    first = render_math_in_html(html, macro_renderer, cache, scope="page-a")
    assert not first.errors and first.rendered == 3
    again = render_math_in_html(html, macro_renderer, cache, scope="page-a")
    assert not again.errors and again.cached == 3 and again.html == first.html
    # Another page does not know \foo ...
    other = render_math_in_html(_html(r"\(\foo\)"), macro_renderer, cache, scope="page-b")
    assert len(other.errors) == 1 and "foo" in other.errors[0].message
    # ... and a cache hit of the defining formula is replayed before the next miss needs it.
    mixed = render_math_in_html(
        _html(r"\(\newcommand{\foo}{y}\foo\) \(\foo + 2\)"), macro_renderer, cache, scope="page-c"
    )
    assert not mixed.errors and mixed.cached == 1 and mixed.rendered == 1


def test_plain_text_of_tex() -> None:
    assert tex_to_text(r"D_{\mathrm{KL}}(p \| q)") == "D_KL(p ‖ q)"
    assert tex_to_text(r"\log_2 \frac{1}{p} + x^2") == "log₂ 1/p + x²"
    assert tex_to_text(r"\KL", {r"\KL": r"D_{\mathrm{KL}}"}) == "D_KL"
    assert tex_to_text(r"I(X; Y) = H(X) - H(X \mid Y)") == "I(X; Y) = H(X) - H(X ∣ Y)"


def test_typeset_page_for_a_markdown_extension_host(macro_renderer: KatexRenderer) -> None:
    from mkdocs_infotheory.refs import typeset_page

    source = "See @eq-a.\n\n$$\n\\KL(p \\| q) \\label{eq-a}\n$$\n\nBad \\(\\frac{1}{\\).\n"
    page = typeset_page(_html(source), source, macro_renderer, MathCache(None))
    soup = BeautifulSoup(page.html, "html.parser")
    assert soup.select_one("a.infotheory-ref")["href"] == "#eq-a"
    assert soup.find(id="eq-a").select_one(".katex-tag").get_text().replace("\u200b", "") == "(1)"
    assert [(m.line, "LaTeX error" in m.message) for m in page.messages] == [(7, True)]


def test_pymdownx_numbered_captions_join_the_pages_sequence() -> None:
    source = (
        "```python\nx\n```\n\n"
        "![a](a.png)\n/// figure-caption\nA\n///\n\n"
        "![b](b.png)\n/// caption | #fig-b\nB\n///\n\n"
        "![c](c.png)\n/// figure-caption | #fig-c\nC\n///\n\nSee @fig-c.\n"
    )
    page = process_page(_html(source))
    soup = BeautifulSoup(page.html, "html.parser")
    captions = [f.figcaption.get_text(" ", strip=True) for f in soup("figure")]
    assert captions == ["Figure 1. A", "Figure 2. B", "Figure 3. C"]
    assert soup.select_one("a.infotheory-ref").get_text() == "Figure\xa03"


TRIGGER_PAGES = [
    "Plain prose, \\(x^2\\), a table:\n\n| a |\n|---|\n| 1 |\n",
    "$$\nx = 1 \\label{eq-one}\n$$\n",
    "$$\n\\begin{align} a &= b \\end{align}\n$$\n",
    "See \\(\\eqref{eq-one}\\) and \\(\\ref{eq-one}\\).\n",
    "See @eq-one, @fig-a and @tbl-b; mail me@example.org.\n",
    "![b](b.png)\n/// caption | #fig-b\nB\n///\n",
    "Text with @ signs and \\ backslashes but nothing to do.\n",
]


@pytest.mark.parametrize("math", [True, False])
@pytest.mark.parametrize("source", TRIGGER_PAGES)
def test_triggers_are_necessary_conditions(source: str, math: bool) -> None:
    """What the MkDocs plugin checks before numbering or resolving (and before importing the
    scanners): where a trigger says no, the full pass finds nothing and changes nothing."""
    from mkdocs_infotheory.refs.triggers import may_number, may_reference

    html = _html(source)
    index = LabelIndex({"eq-one": Target("eq", "eq-one", "1", "other.md")})
    numbered = number_page(html, "page.md", math)
    resolved = resolve_page(html, "page.md", index, lambda page, anchor: f"#{anchor}", math)
    if not may_number(html, math):
        assert (numbered.html, numbered.targets, numbered.problems) == (html, [], [])
    if not may_reference(html, math):
        assert (resolved.html, resolved.problems, resolved.originals) == (html, [], {})


def test_triggers_fire_where_there_is_work() -> None:
    """The other side: pages with a label, a figure or a reference are not skipped."""
    from mkdocs_infotheory.refs.triggers import may_number, may_reference

    labelled, figure = _html(TRIGGER_PAGES[1]), _html(TRIGGER_PAGES[5])
    assert may_number(labelled) and number_page(labelled, "p.md").targets
    assert not may_number(labelled, math=False)
    assert may_number(figure, math=False) and "Figure 1." in number_page(figure, "p.md").html
    index = LabelIndex({"eq-one": Target("eq", "eq-one", "1", "other.md")})
    for source in TRIGGER_PAGES[3:5]:
        html = _html(source)
        assert may_reference(html)
        assert resolve_page(html, "p.md", index, lambda page, anchor: f"#{anchor}").html != html


def test_the_plain_text_reading_survives_any_depth() -> None:
    """A formula nested a thousand deep (KaTeX renders it) reads as its TeX, never a
    RecursionError; one nested less deeply than the bound still reads normally."""
    deep = "{" * 1000 + "x" + "}" * 1000
    assert tex_to_text(deep) == deep
    assert tex_to_text("\\frac{" * 1000 + "1" + "}{2}" * 1000).startswith("\\frac{")
    assert tex_to_text("x_" * 5000 + "1")
    shallow = "{" * 50 + "\\alpha" + "}" * 50
    assert tex_to_text(shallow) == "α"
