"""Rendering ahead of need: guesses from Markdown, batches in one V8 call, and their use.

What must hold: a page comes out byte for byte as if every formula had been rendered one by
one when the page asked (so speed never changes output), a wrong guess is harmless, urgent
work overtakes work queued ahead of need, and errors are still reported per formula.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from mkdocs_infotheory.math import (
    KatexRenderer,
    MathCache,
    MathError,
    formulas_in_markdown,
    render_math_in_html,
    scan,
)
from mkdocs_infotheory.math.katex_engine import _EngineThread

MarkdownToHtml = Callable[..., str]

SHOWCASE = Path(__file__).parents[3] / "docs" / "index.md"


def test_guesses_follow_arithmatex_delimiters() -> None:
    source = (
        "Inline \\(H(X)\\) and $p_k$ and a price of $5 and $6 (no formula).\n\n"
        "\\[\n    H(p) = -\\sum_k p_k \\log p_k\n\\]\n\n"
        "$$\nI(X;Y)\n$$\n"
    )
    assert formulas_in_markdown(source) == [
        ("H(X)", False),
        ("p_k", False),
        ("H(p) = -\\sum_k p_k \\log p_k", True),
        ("I(X;Y)", True),
    ]


def test_code_and_computed_values_are_not_guessed() -> None:
    source = (
        "```python\nprint(r'\\(x\\)')\n```\n\n"
        "Shown as code: `\\(y\\)`. Computed: \\(H = `{python} h`\\) bits.\n\n"
        "~~~\n\\[z\\]\n~~~\n\nReal: \\(w\\), again \\(w\\).\n"
    )
    assert formulas_in_markdown(source) == [("w", False)]


def test_a_batch_renders_exactly_what_one_call_per_formula_renders(
    renderer: KatexRenderer,
) -> None:
    items = [("H(X) = -\\sum_x p(x) \\log p(x)", True), ("\\frac{1}{2", False), ("p_k", False)]
    batch = renderer.submit(items).result(timeout=60)
    assert batch[0] == renderer.render(*items[0])
    assert batch[2] == renderer.render(*items[2])
    assert isinstance(batch[1], MathError) and batch[1].tex == "\\frac{1}{2"
    assert renderer.render_many([]) == []


def test_urgent_work_overtakes_work_queued_ahead_of_need() -> None:
    thread = _EngineThread()
    gate = threading.Event()
    order: list[str] = []
    blocker = thread.submit(gate.wait)  # keeps the thread busy while the others queue up
    later = [thread.submit(lambda n=n: order.append(f"ahead {n}"), urgent=False) for n in (1, 2)]
    now = thread.submit(lambda: order.append("urgent"))
    gate.set()
    for future in (blocker, *later, now):
        future.result(timeout=10)
    assert order == ["urgent", "ahead 1", "ahead 2"]


def test_a_page_is_the_same_with_and_without_rendering_ahead(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    source = SHOWCASE.read_text(encoding="utf-8")
    html = md(source)
    plain = render_math_in_html(html, renderer, MathCache(None), scope="a")
    guesses = formulas_in_markdown(source)
    assert len(guesses) >= 5
    results = renderer.submit(guesses, urgent=False).result(timeout=60)
    prepared = {(display, tex): out for (tex, display), out in zip(guesses, results, strict=True)}
    ahead = render_math_in_html(html, renderer, MathCache(None), scope="b", prepared=prepared)
    assert ahead.html == plain.html
    assert (ahead.rendered, ahead.cached, len(ahead.errors)) == (
        plain.rendered,
        plain.cached,
        len(plain.errors),
    )


def test_prepared_results_are_used_and_wrong_guesses_ignored(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    html = md("Both \\(a\\) and \\(b\\).\n")
    marker = '<span class="katex">PREPARED</span>'
    prepared = {(False, "a"): marker, (False, "not on the page"): "<b>wrong guess</b>"}
    cache = MathCache(None)
    result = render_math_in_html(html, renderer, cache, scope="p", prepared=prepared)
    assert marker in result.html and "wrong guess" not in result.html
    assert result.html.count('class="katex"') == 2  # b rendered by KaTeX itself
    assert result.rendered == 2
    assert cache.get(renderer.version, False, "a") == marker  # kept for the next build
    assert cache.get(renderer.version, False, "not on the page") is None


def test_a_prepared_error_is_reported_like_one_rendered_on_the_spot(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    html = md("Bad \\(\\frac{1}{2\\) here.\n")
    error = renderer.submit([("\\frac{1}{2", False)]).result(timeout=60)[0]
    assert isinstance(error, MathError)
    result = render_math_in_html(
        html, renderer, None, scope="e", prepared={(False, "\\frac{1}{2"): error}
    )
    direct = render_math_in_html(html, renderer, None, scope="f")
    assert result.html == direct.html
    assert [e.message for e in result.errors] == [e.message for e in direct.errors]


def test_pages_that_define_macros_ignore_prepared_results(
    md: MarkdownToHtml, renderer: KatexRenderer
) -> None:
    """A formula after a \\newcommand may mean something else on its page than alone."""
    html = md("\\(\\newcommand{\\Rr}{\\mathbb{R}}\\) then \\(\\Rr\\).\n")
    prepared = {(False, "\\Rr"): '<span class="katex">STALE</span>'}
    result = render_math_in_html(html, renderer, None, scope="m", prepared=prepared)
    assert "STALE" not in result.html and not result.errors


def _scan_everything(html: str) -> list[scan.Formula]:
    """The scan without its shortcut: every tag of the page read by the HTML parser."""
    scanner = scan._Scanner(html)
    scanner.feed(html)
    scanner.close()
    return scanner.formulas


def test_skipping_code_blocks_finds_exactly_the_same_formulas(md: MarkdownToHtml) -> None:
    """Code blocks are blanked before the scan (speed); formulas and offsets must not change,
    whatever the blocks hold: highlighted code, TeX shown as code, comments, scripts."""
    pages = [
        md(SHOWCASE.read_text(encoding="utf-8")),
        md("```python\nx = '\\\\(a\\\\)'  # <b>\n```\n\nThen \\(b\\) and\n\n\\[\nc\n\\]\n"),
        '<pre><span class="arithmatex">\\(shown\\)</span></pre><p><span class="arithmatex">'
        "\\(real\\)</span></p>",
        '<!-- <pre> --><p><span class="arithmatex">\\(kept\\)</span></p><pre>x</pre>'
        '<span class="arithmatex">\\(too\\)</span>',
        '<pre>a<pre>b</pre><span class="arithmatex">\\(nested\\)</span></pre>'
        '<span class="arithmatex">\\(after\\)</span>',
        '<script>var s = "<pre>";</script><p><span class="arithmatex">\\(s\\)</span></p>'
        "<pre>y</pre>",
        '<pre title="a>b">z</pre><span class="arithmatex">\\(t\\)</span>',
    ]
    for page in pages:
        assert scan.find_formulas(page) == _scan_everything(page), page[:80]
    assert [f.tex for f in scan.find_formulas(pages[2])] == ["real"]
    assert [f.tex for f in scan.find_formulas(pages[1])] == ["b", "c"]
    assert scan.find_formulas("<p>no math</p>") == []


_START_PROBE = """
import sys, time
from pathlib import Path
from mkdocs_infotheory.hosts.mkdocs.math import MathStage
from mkdocs_infotheory.math import katex_engine
stage = MathStage("katex", None, "")
stage.start(Path(sys.argv[1]))
thread = katex_engine.engine_thread()
thread.submit(lambda: None, urgent=False).result(timeout=60)  # after the start's turn
print(stage.renderer.loaded)
"""


def test_katex_starts_early_only_for_a_site_with_math(tmp_path: Path) -> None:
    """A fresh build (empty math cache) starts V8 in the background, unless no page of the
    site has a formula: then it never starts (60 MiB and 0.2 s saved)."""
    import subprocess
    import sys

    plain, mathy = tmp_path / "plain", tmp_path / "mathy"
    for docs in (plain, mathy):
        (docs / "sub").mkdir(parents=True)
        (docs / "index.md").write_text("# Prices\n\nFrom $5 to $6, `\\(x\\)` in code.\n")
    (mathy / "sub" / "page.md").write_text("Entropy \\(H(X)\\).\n")
    started = {}
    for docs in (plain, mathy):
        probe = subprocess.run(
            [sys.executable, "-c", _START_PROBE, str(docs)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        started[docs.name] = probe.stdout.strip()
    assert started == {"plain": "False", "mathy": "True"}
