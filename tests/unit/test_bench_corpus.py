"""The benchmark corpus generator: variants of the same pages, differing only in execution.

If the variants said different things, the benchmark's ratios would measure content, not
execution; these tests pin the "same content" claim down, the last ones on real builds. The
baselines (markdown-exec, hand-typed) must not load our plugin, and every site must use the
same theme settings and Markdown extensions (the plugin's defaults).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from benchmarks.build.content import (
    HEAVY_CPU_SECONDS,
    SHAPES,
    Evaluator,
    Fence,
    InlineValue,
    Prose,
    Shape,
)
from benchmarks.build.content import page_spec as spec_of
from benchmarks.build.corpus import (
    MARKDOWN_EXEC_ON,
    NOTES_DIR,
    VARIANTS,
    SiteSpec,
    Variant,
    write_site,
)
from benchmarks.build.measure import missing_modules
from benchmarks.build.verify import (
    SiteCheckFailed,
    check_site,
    compare_sites,
    normalized_article,
)
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.hosts.mkdocs.config import DEFAULT_PREAMBLE
from mkdocs_infotheory.hosts.mkdocs.extensions import DEFAULT_EXTENSIONS

PAGES = 3


@pytest.fixture(params=SHAPES)
def shape(request: pytest.FixtureRequest) -> Shape:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def sites(tmp_path: Path, shape: Shape) -> dict[Variant, Path]:
    return {variant: _write(tmp_path / variant, variant, shape) for variant in VARIANTS}


def _write(root: Path, variant: Variant, shape: Shape = "few", math: str = "none") -> Path:
    write_site(root, SiteSpec(variant, PAGES, shape=shape, math=math))  # type: ignore[arg-type]
    return root


def _page(root: Path, number: int) -> str:
    return (root / "docs" / NOTES_DIR / f"note-{number:04d}.md").read_text(encoding="utf-8")


def _body(text: str) -> str:
    """The page without its front matter (what MkDocs hands the plugin)."""
    assert text.startswith("---\n")
    return text.split("---\n", 2)[2]


def test_every_variant_has_the_same_files_and_site_settings(sites: dict[Variant, Path]) -> None:
    configs = {}
    for variant, root in sites.items():
        notes = sorted(p.name for p in (root / "docs" / NOTES_DIR).iterdir())
        assert notes == [f"note-{n:04d}.md" for n in range(1, PAGES + 1)]
        assert (root / "docs" / "index.md").is_file()
        configs[variant] = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin, markdown_exec, typed = (configs[v] for v in VARIANTS)
    # Material without Google Fonts, as our plugin sets it, and the plugin's default extensions
    # with its settings, so the plugin adds none and the baselines parse with the same ones.
    assert plugin["theme"] == {"name": "material", "font": False}
    listed = {
        (e if isinstance(e, str) else next(iter(e))): (
            {} if isinstance(e, str) else e[next(iter(e))]
        )
        for e in plugin["markdown_extensions"]
    }
    assert listed == DEFAULT_EXTENSIONS
    for config in (markdown_exec, typed):
        assert config["theme"] == plugin["theme"]
        assert config["markdown_extensions"] == plugin["markdown_extensions"]
        assert config["nav"] == plugin["nav"]
    names = {
        v: [p if isinstance(p, str) else next(iter(p)) for p in c["plugins"]]
        for v, c in configs.items()
    }
    # The baselines are what their users ship: without our plugin, math left to the browser.
    assert names == {
        "plugin": ["search", "infotheory"],
        "markdown_exec": ["search", "markdown-exec"],
        "typed": ["search"],
    }
    assert plugin["plugins"][1] == {"infotheory": {"math": "none"}}


def test_an_older_copy_of_the_plugin_leaves_out_the_extensions_it_lacks(tmp_path: Path) -> None:
    """``make bench`` before and after a change: an extension of ours added since the older copy
    is left out of every site (all variants alike), so both copies build the same site."""
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "mkdocs_infotheory").mkdir(parents=True)
    (new / "mkdocs_infotheory" / "blocks").mkdir(parents=True)
    (new / "mkdocs_infotheory" / "blocks" / "__init__.py").write_text("", encoding="utf-8")
    names = ["admonition", "mkdocs_infotheory.blocks", "pymdownx.superfences"]
    assert missing_modules(names, [new]) == ()
    assert missing_modules(names, [new, old]) == ("mkdocs_infotheory.blocks",)
    for variant in VARIANTS:
        root = write_site(
            tmp_path / variant,
            SiteSpec(variant, 2, omit_extensions=("mkdocs_infotheory.blocks",)),
        ).parent
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        listed = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
        assert listed == [name for name in DEFAULT_EXTENSIONS if name != "mkdocs_infotheory.blocks"]


def test_the_build_time_math_site_uses_the_plugin_defaults(tmp_path: Path) -> None:
    root = _write(tmp_path / "katex", "plugin", math="katex")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search", "infotheory"]


def test_the_common_page_has_two_fences_two_formulas_a_footnote_and_an_admonition() -> None:
    for number in (1, 2, 50):
        blocks = spec_of(number).blocks
        assert [b.result for b in blocks if isinstance(b, Fence)] == ["text", "markdown"]
        assert not [b for b in blocks if isinstance(b, InlineValue)]
        prose = "".join(b.text for b in blocks if isinstance(b, Prose))
        assert prose.count("\\(") + prose.count("\\[") == 2
        assert prose.count("!!! note") == 1 and prose.count("[^unit]:") == 1
        table = next(b for b in blocks if isinstance(b, Fence) and b.result == "markdown")
        assert "\\(" not in table.code  # no formula in generated output: exactly two per page


def test_the_long_page_has_many_fences_and_inline_values() -> None:
    blocks = spec_of(1, shape="many").blocks
    assert len([b for b in blocks if isinstance(b, Fence)]) == 10
    assert len([b for b in blocks if isinstance(b, InlineValue)]) == 5


def test_prose_is_verbatim_and_in_order_in_every_variant(
    sites: dict[Variant, Path], shape: Shape
) -> None:
    for number in range(1, PAGES + 1):
        prose = [b.text for b in spec_of(number, shape=shape).blocks if isinstance(b, Prose)]
        assert any("!!! note" in text for text in prose)  # an admonition
        assert any("[^unit]:" in text for text in prose)  # a footnote
        assert any("\\[" in text for text in prose)  # display math
        for root in sites.values():
            text = _page(root, number)
            position = 0
            for block in prose:  # each block found after the previous one
                found = text.find(block, position)
                assert found >= 0, (root, block)
                position = found + len(block)


def test_plugin_variant_executes_exactly_the_spec_code(
    sites: dict[Variant, Path], shape: Shape
) -> None:
    for number in range(1, PAGES + 1):
        spec = spec_of(number, shape=shape)
        parsed = parse_page(_body(_page(sites["plugin"], number)))
        assert parsed.problems == []
        fences = [b for b in spec.blocks if isinstance(b, Fence)]
        inlines = [b for b in spec.blocks if isinstance(b, InlineValue)]
        assert [c.code for c in parsed.cells if c.kind == "fence"] == [f.code for f in fences]
        assert [c.options.result for c in parsed.cells if c.kind == "fence"] == [
            f.result for f in fences
        ]
        assert [c.code for c in parsed.cells if c.kind == "inline"] == [i.expr for i in inlines]


def test_hand_typed_pages_have_nothing_to_run(sites: dict[Variant, Path]) -> None:
    # (markdown-exec's pages are full of fences; what keeps our plugin out of that site is
    # that it is not listed there, checked above.)
    for number in range(1, PAGES + 1):
        parsed = parse_page(_body(_page(sites["typed"], number)))
        assert parsed.cells == [] and parsed.problems == []


def test_markdown_exec_runs_the_same_code_with_the_preamble_hidden(
    sites: dict[Variant, Path], shape: Shape
) -> None:
    import markdown_exec  # in the test extra: missing is a failure, never a skip

    text = _page(sites["markdown_exec"], 1)
    fences = [f for f in spec_of(1, shape=shape).blocks if isinstance(f, Fence)]
    for fence in fences:
        assert fence.code in text
    # markdown-exec's own validator accepts the fences' options (so it will run them) ...
    inputs = {"exec": MARKDOWN_EXEC_ON, "source": "above", "result": "text"}
    options: dict[str, object] = {}
    assert markdown_exec.validator("python", inputs, options, {}, None)
    assert options["source"] == "above" and options["result"] == "text"
    # ... and the preamble lines are marked hidden, so the shown source matches the plugin's.
    hidden = [line for line in text.splitlines() if "markdown-exec: hide" in line]
    assert len(hidden) == 2 * text.count(f'exec="{MARKDOWN_EXEC_ON}"')


def test_typed_outputs_are_what_the_code_prints(sites: dict[Variant, Path], shape: Shape) -> None:
    """Run each page's code here, with the plugin's preamble, and find its output typed in."""
    for number in range(1, PAGES + 1):
        text = _page(sites["typed"], number)
        assert "{python}" not in text and "exec=" not in text
        namespace: dict[str, object] = {}
        exec(DEFAULT_PREAMBLE, namespace)
        for block in spec_of(number, shape=shape).blocks:
            if isinstance(block, Fence):
                stream = io.StringIO()
                with contextlib.redirect_stdout(stream):
                    exec(block.code, namespace)
                assert stream.getvalue() in text
            elif isinstance(block, InlineValue):
                value = eval(block.expr, namespace)
                assert f"{block.before}{value}{block.after}" in text


def test_pages_differ_from_each_other_but_not_between_runs() -> None:
    assert spec_of(7) == spec_of(7)
    codes = {tuple(b.code for b in spec_of(n).blocks if isinstance(b, Fence)) for n in range(20)}
    assert len(codes) == 20  # one cache entry per page, as in a real site


def test_heavy_fences_spend_the_announced_cpu() -> None:
    fence = next(b for b in spec_of(1, heavy=True).blocks if isinstance(b, Fence))
    evaluator = Evaluator()
    started = time.process_time()
    evaluator.output(fence.code)
    assert time.process_time() - started >= HEAVY_CPU_SECONDS


def _build(root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MKDOCS_INFOTHEORY_EXECUTE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "WARNING" not in completed.stderr, completed.stderr


def test_normalized_pages_compare_formulas_by_their_tex() -> None:
    """KaTeX's output and arithmatex's browser-bound markup of one formula compare equal;
    another number does not (so the comparison the benchmark relies on can fail)."""
    import markdown

    from mkdocs_infotheory.math import KatexRenderer, render_math_in_html

    def article(source: str, katex: bool) -> Tag:
        html = markdown.markdown(
            source,
            extensions=["pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        if katex:
            html = render_math_in_html(html, KatexRenderer()).html
        tag = BeautifulSoup(f"<article>{html}</article>", "html.parser").article
        assert isinstance(tag, Tag)
        return tag

    source = "Entropy \\(H = 0.8813\\) bits.\n\n\\[\n  p = w / 32\n\\]\n"
    browser = normalized_article(article(source, katex=False))
    build_time = normalized_article(article(source, katex=True))
    assert build_time == browser
    assert browser[1][".arithmatex"] == 2
    assert "$H = 0.8813$" in " ".join(browser[0])
    other = normalized_article(article(source.replace("0.8813", "0.8812"), katex=True))
    assert other[0] != browser[0]


@pytest.mark.slow
def test_all_variants_build_to_the_same_pages(
    sites: dict[Variant, Path], shape: Shape, tmp_path: Path
) -> None:
    """Our plugin (math off, and its build-time KaTeX), markdown-exec and hand-typed pages:
    after a real build, every page has the same words, formulas (compared by their TeX),
    tables, code blocks, admonitions and footnotes as the hand-typed one."""
    # markdown-exec is in the test extra: a missing one is a broken environment, which must
    # fail here rather than silently compare fewer variants.
    import markdown_exec  # noqa: F401

    built = dict(sites)
    assert "markdown_exec" in built, sorted(built)
    built_specs = {v: SiteSpec(v, PAGES, shape=shape) for v in built}
    katex = _write(tmp_path / "katex", "plugin", shape, math="katex")
    for root in [*built.values(), katex]:
        _build(root)
    for variant, root in built.items():
        check_site(root, built_specs[variant])
        compare_sites(built["typed"], root, PAGES)
    check_site(katex, SiteSpec("plugin", PAGES, shape=shape, math="katex"))
    compare_sites(built["typed"], katex, PAGES)
    # Build-time math is really there, and the browser-math site really has none.
    assert _article(katex, 1).select(".arithmatex .katex")
    assert not _article(built["plugin"], 1).select(".katex")
    # The checks can fail: a site whose math was not rendered is not a build-time-math site.
    with pytest.raises(SiteCheckFailed, match="rendered at build time"):
        check_site(built["plugin"], SiteSpec("plugin", PAGES, shape=shape, math="katex"))


def _article(root: Path, number: int) -> Tag:
    path = root / "site" / NOTES_DIR / f"note-{number:04d}" / "index.html"
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
    assert isinstance(article, Tag)
    return article
