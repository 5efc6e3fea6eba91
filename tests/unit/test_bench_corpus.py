"""The benchmark corpus generator: three variants of the same pages, differing only in execution.

If the variants said different things, the benchmark's ratios would measure content, not
execution; these tests pin the "same content" claim down, the last one on real builds.
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

from benchmarks.build.content import HEAVY_CPU_SECONDS, Evaluator, Fence, InlineValue, Prose
from benchmarks.build.content import page_spec as spec_of
from benchmarks.build.corpus import (
    MARKDOWN_EXEC_ON,
    NOTES_DIR,
    VARIANTS,
    SiteSpec,
    Variant,
    write_site,
)
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.hosts.mkdocs.config import DEFAULT_PREAMBLE

PAGES = 3


@pytest.fixture
def sites(tmp_path: Path) -> dict[Variant, Path]:
    return {variant: _write(tmp_path / variant, variant) for variant in VARIANTS}


def _write(root: Path, variant: Variant) -> Path:
    write_site(root, SiteSpec(variant, PAGES))
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
    for config in (markdown_exec, typed):
        assert config["theme"] == plugin["theme"]
        assert config["markdown_extensions"] == plugin["markdown_extensions"]
        assert config["nav"] == plugin["nav"]
    names = {
        v: [p if isinstance(p, str) else next(iter(p)) for p in c["plugins"]]
        for v, c in configs.items()
    }
    # Every variant renders math the same way, through the infotheory plugin.
    assert all("infotheory" in listed for listed in names.values())
    assert "markdown-exec" in names["markdown_exec"]
    assert "markdown-exec" not in names["plugin"] + names["typed"]


def test_prose_is_verbatim_and_in_order_in_every_variant(sites: dict[Variant, Path]) -> None:
    for number in range(1, PAGES + 1):
        prose = [b.text for b in spec_of(number).blocks if isinstance(b, Prose)]
        assert any("!!! note" in text for text in prose)  # an admonition
        assert any("[^unit]:" in text for text in prose)  # a footnote
        assert any("\\[" in text for text in prose)  # display math
        for root in sites.values():
            text = _page(root, number)
            positions = [text.find(block) for block in prose]
            assert -1 not in positions
            assert positions == sorted(positions)


def test_plugin_variant_executes_exactly_the_spec_code(sites: dict[Variant, Path]) -> None:
    for number in range(1, PAGES + 1):
        spec = spec_of(number)
        parsed = parse_page(_body(_page(sites["plugin"], number)))
        assert parsed.problems == []
        fences = [b for b in spec.blocks if isinstance(b, Fence)]
        inlines = [b for b in spec.blocks if isinstance(b, InlineValue)]
        assert [c.code for c in parsed.cells if c.kind == "fence"] == [f.code for f in fences]
        assert [c.options.result for c in parsed.cells if c.kind == "fence"] == [
            f.result for f in fences
        ]
        assert [c.code for c in parsed.cells if c.kind == "inline"] == [i.expr for i in inlines]


def test_markdown_exec_and_typed_variants_give_the_plugin_nothing_to_run(
    sites: dict[Variant, Path],
) -> None:
    for variant in ("markdown_exec", "typed"):
        for number in range(1, PAGES + 1):
            parsed = parse_page(_body(_page(sites[variant], number)))
            assert parsed.cells == [] and parsed.problems == []


def test_markdown_exec_runs_the_same_code_with_the_preamble_hidden(
    sites: dict[Variant, Path],
) -> None:
    markdown_exec = pytest.importorskip("markdown_exec")
    text = _page(sites["markdown_exec"], 1)
    fences = [f for f in spec_of(1).blocks if isinstance(f, Fence)]
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


def test_typed_outputs_are_what_the_code_prints(sites: dict[Variant, Path]) -> None:
    """Run each page's code here, with the plugin's preamble, and find its output typed in."""
    for number in range(1, PAGES + 1):
        text = _page(sites["typed"], number)
        assert "{python}" not in text and "exec=" not in text
        namespace: dict[str, object] = {}
        exec(DEFAULT_PREAMBLE, namespace)
        for block in spec_of(number).blocks:
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


def _article(root: Path, number: int) -> Tag:
    path = root / "site" / NOTES_DIR / f"note-{number:04d}" / "index.html"
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
    assert isinstance(article, Tag)
    return article


def _has_markdown_exec() -> bool:
    """markdown-exec is a benchmark-only dependency (the ``bench`` extra)."""
    try:
        import markdown_exec  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_all_variants_build_to_the_same_pages(sites: dict[Variant, Path]) -> None:
    built = {v: root for v, root in sites.items() if v != "markdown_exec" or _has_markdown_exec()}
    for root in built.values():
        _build(root)
    for number in range(1, PAGES + 1):
        articles = {variant: _article(root, number) for variant, root in built.items()}
        reference = articles["typed"]
        words = reference.get_text(" ").split()
        assert reference.select(".katex") and reference.select("table")
        assert reference.select(".admonition") and reference.select(".footnote")
        for variant, article in articles.items():
            assert article.get_text(" ").split() == words, variant
            for selector in (".katex", "table", ".admonition", ".footnote li", "pre"):
                assert len(article.select(selector)) == len(reference.select(selector)), (
                    variant,
                    selector,
                )
            assert not article.select(".infotheory-error, .infotheory-failure"), variant
