"""Jupyter notebooks in ``docs/`` are pages: real builds of sites whose notebooks are written
with nbformat's own API, read as an author reads the result (the HTML, the log, pytest)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import Tag
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.build.test_pytest_plugin import outcome_counts, run_pytest
from tests.hosts._hosts import HostSite
from tests.sites import Build, Site, run_build

# A real 1x1 PNG (base64): a stored image that is one.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5"
    "ErkJggg=="
)


def write_notebook(site: Site, name: str, cells: list[Any]) -> Path:
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
            "language_info": {"name": "python"},
        },
    )
    path = site.root / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


def analysis_cells() -> list[Any]:
    """Math the way notebooks write it, a cell whose stored output is stale, a failing cell."""
    return [
        new_markdown_cell(
            "# Analysis of $H(X)$\n\n"
            "The entropy $H(p) = -\\sum_i p_i \\log p_i$ and, right after this line,\n"
            "$$\nD(p\\|q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}\n$$\n\n"
            "Code keeps its dollars: `$HOME`."
        ),
        new_code_cell(
            "%matplotlib inline\nanswer = 6 * 7\nprint('computed', answer)",
            outputs=[new_output("stream", name="stdout", text="STALE 41\n")],
        ),
        new_code_cell("ready = True\nundefined_name + 1"),
        new_markdown_cell("Display math inside a sentence: $$\\alpha^2$$ still typeset."),
    ]


def texts(article: Tag, selector: str) -> list[str]:
    return [element.get_text() for element in article.select(selector)]


@pytest.fixture
def analysis(make_site: Callable[..., Site]) -> Site:
    site = make_site(plugin={"timeout": 20}, nav=["index.md", "analysis.ipynb"])
    site.write("index.md", "# Home\n\nSee [the analysis](analysis.ipynb).\n")
    write_notebook(site, "analysis.ipynb", analysis_cells())
    return site


def test_notebook_is_a_page_math_typeset_cells_run_errors_at_cell_and_line(
    analysis: Site,
) -> None:
    build = analysis.build()
    assert build.returncode == 0, build.log
    page = build.html("analysis")
    article = build.article("analysis")
    # A page at NAME/, titled by its first heading, linked from a Markdown page.
    title = page.find("title")
    assert title is not None and title.get_text().startswith("Analysis of H(X)")
    link = build.article().find("a", string="the analysis")
    assert isinstance(link, Tag) and link["href"] == "analysis/"
    home = build.html()
    nav = [a.get_text(" ", strip=True) for a in home.select("a.md-nav__link[href='analysis/']")]
    assert nav and "Analysis of" in nav[0], nav
    # Math typeset at build time: inline, display right under a line of text (with \|), and
    # display in the middle of a sentence, as Jupyter shows them.
    annotations = texts(article, "annotation")
    assert "H(p) = -\\sum_i p_i \\log p_i" in annotations
    assert "D(p\\|q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}" in annotations
    assert "\\alpha^2" in annotations
    assert len(article.select(".katex-display")) == 2
    assert "$" not in article.get_text().replace("$HOME", "")
    assert texts(article, "code")[0] == "$HOME"
    # The code cell ran at build time: its stored output is replaced by the computed one.
    outputs = texts(article, "div.infotheory-output pre")
    assert outputs == ["computed 42\n"]
    assert "STALE" not in article.get_text()
    # The failing cell: warned at the notebook's cell and line, shown in place the same way.
    warnings = [w for w in build.warnings() if "NameError" in w]
    assert len(warnings) == 1, build.log
    assert "docs/analysis.ipynb:cell 3, line 2: NameError: name 'undefined_name'" in warnings[0]
    box = article.select_one("div.infotheory-failure")
    assert box is not None
    assert "NameError at docs/analysis.ipynb:cell 3, line 2" in box.get_text()
    assert 'File "docs/analysis.ipynb", cell 3, line 2' in box.get_text()

    strict = analysis.build(strict=True)
    assert strict.returncode != 0
    assert "docs/analysis.ipynb:cell 3, line 2" in strict.log


def test_stored_outputs_are_shown_sanitised_and_nothing_runs(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(plugin={"notebook_outputs": "stored"})
    site.write("index.md", "# Home\n")
    html = (
        "<table><tr><td onclick='steal()'>0.693</td></tr></table>"
        "<script>window.PWNED = 1</script><img src=x onerror='steal()'>"
        "<style>body { display: none }</style>"
    )
    write_notebook(
        site,
        "stored.ipynb",
        [
            new_markdown_cell("# Stored"),
            new_code_cell(
                "print('RAN AT BUILD TIME')",
                outputs=[
                    new_output("stream", name="stdout", text="STORED <script>alert(1)</script>\n")
                ],
            ),
            new_code_cell(
                "table",
                outputs=[
                    new_output("execute_result", data={"text/html": html, "text/plain": "t"}),
                    new_output("execute_result", data={"text/plain": "<script>alert(2)</script>"}),
                ],
            ),
            new_code_cell(
                "plot",
                outputs=[
                    new_output("display_data", data={"image/png": PNG, "text/plain": "fig"}),
                    # Not a PNG: dropped for its plain-text form.
                    new_output(
                        "display_data",
                        data={"image/png": "PHNjcmlwdD4=", "text/plain": "NOT AN IMAGE"},
                    ),
                    new_output(
                        "display_data",
                        data={"image/svg+xml": "<svg onload='steal()'><script/></svg>"},
                    ),
                ],
            ),
        ],
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = build.article("stored")
    text = article.get_text()
    # Nothing ran (no page with code); the stored text is shown escaped, never as elements.
    assert not [line for line in build.info() if "pages with code" in line], build.log
    assert texts(article, "div.infotheory-output pre") == [
        "STORED <script>alert(1)</script>",
        "<script>alert(2)</script>",
        "NOT AN IMAGE",
    ]
    assert not article.find_all("script")
    assert not article.find_all("style")
    assert not any(
        name.startswith("on") for element in article.find_all(True) for name in element.attrs
    )
    # The HTML table is kept, without its handler; the PNG as an image, the SVG as an image
    # (where browsers run no script); the bad PNG falls back to its text.
    cell = article.select_one("div.infotheory-html td")
    assert cell is not None and cell.get_text() == "0.693"
    images = [img["src"] for img in article.select("div.infotheory-plot img")]
    assert images[0] == f"data:image/png;base64,{PNG}"
    assert images[1].startswith("data:image/svg+xml;base64,")
    assert len(images) == 2
    assert "window.PWNED" not in text and "display: none" not in text


@pytest.mark.slow
def test_notebook_freezes_and_frozen_notebook_refuses_an_edit_at_its_cell(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(plugin={"freeze": "auto"})
    cells = [new_markdown_cell("# Frozen"), new_code_cell("x = 2\nprint('frozen', x * 21)")]
    path = write_notebook(site, "lab.ipynb", cells)
    ran = site.build(strict=True)
    assert ran.returncode == 0, ran.log
    assert "frozen 42" in (site.root / "_freeze" / "lab.ipynb.json").read_text(encoding="utf-8")

    published = site.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": "true"})
    assert published.returncode == 0, published.log
    assert "0 fences run" in published.log
    assert texts(published.article("lab"), "div.infotheory-output pre") == ["frozen 42\n"]

    cells[1] = new_code_cell("x = 2\nprint('frozen', x * 22)")
    write_notebook(site, path.name, cells)
    refused = site.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": "true"})
    assert refused.returncode != 0
    assert any("docs/lab.ipynb:cell 2, line 1: not frozen" in w for w in refused.warnings())


def test_pytest_infotheory_runs_notebooks(make_site: Callable[..., Site]) -> None:
    site = make_site(plugin={"timeout": 20})
    write_notebook(site, "good.ipynb", [new_code_cell("print(entropy([0.5, 0.5]))")])
    write_notebook(
        site,
        "bad.ipynb",
        [new_markdown_cell("# Bad"), new_code_cell("def f():\n    return 1 / 0\n\nf()")],
    )
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert outcome_counts(out) == {"failed": 1, "passed": 1}
    assert "docs/bad.ipynb:cell 2, line 2: ZeroDivisionError: division by zero" in out
    assert 'File "docs/bad.ipynb", cell 2, line 4, in <module>' in out
    assert 'File "docs/bad.ipynb", cell 2, line 2, in f' in out


def test_properdocs_builds_notebooks(analysis: Site) -> None:
    analysis.save_config()
    build = run_build([sys.executable, "-m", "properdocs", "build"], analysis.root)
    assert build.returncode == 0, build.log
    article = build.article("analysis")
    assert texts(article, "div.infotheory-output pre") == ["computed 42\n"]
    assert "\\alpha^2" in texts(article, "annotation")
    assert any("docs/analysis.ipynb:cell 3, line 2: NameError" in w for w in build.warnings())


def test_unreadable_notebook_and_missing_nbformat_are_clear(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = make_site()
    site.write("index.md", "# Home\n")
    site.write("broken.ipynb", '{"cells": [')
    build = site.build()
    assert build.returncode == 0, build.log
    assert any(
        "docs/broken.ipynb is not a notebook nbformat can read" in w for w in build.warnings()
    ), build.log
    assert (build.site / "broken.ipynb").is_file()  # lost nothing: still published as a file

    write_notebook(site, "broken.ipynb", [new_markdown_cell("# Fine now")])
    # A Python where nbformat cannot be imported.
    stub = tmp_path / "no-nbformat" / "nbformat"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('no nbformat here')\n")
    path = os.pathsep.join(filter(None, [str(stub.parent), os.environ.get("PYTHONPATH")]))
    missing: Build = site.build(env={"PYTHONPATH": path})
    assert missing.returncode != 0
    assert "docs/broken.ipynb is a Jupyter notebook" in missing.log
    assert "pip install 'mkdocs-infotheory[notebooks]'" in missing.log
    assert "Traceback" not in missing.log


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_notebook_block_embeds_a_notebook_in_a_markdown_page(host: str, tmp_path: Path) -> None:
    site = HostSite(tmp_path / host, host)
    site.write(
        "post.md",
        "# Post\n\nBefore.\n\n/// notebook | lab/analysis.ipynb\n///\n\nAfter.\n\n"
        "/// notebook | missing.ipynb\n",
    )
    notebook = new_notebook(
        cells=analysis_cells()[:2], metadata={"language_info": {"name": "python"}}
    )
    (site.root / "docs" / "lab").mkdir()
    nbformat.write(notebook, str(site.root / "docs" / "lab" / "analysis.ipynb"))
    build = site.build()
    assert build.returncode == 0, build.log
    article = build.article("post")
    assert texts(article, "div.infotheory-output pre") == ["computed 42\n"]
    assert "STALE" not in article.get_text()
    annotations = texts(article, "annotation")
    assert "D(p\\|q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}" in annotations
    assert article.get_text().index("Before.") < article.get_text().index("After.")
    missing = "docs/post.md:10: notebook block: cannot read docs/missing.ipynb"
    assert any(missing in line for line in build.log.splitlines()), build.log
    assert "Notebook not shown" in article.get_text()

    # --clean: a Zensical rebuild takes the unchanged page from its own cache, running nothing.
    assert site.build("--clean", strict=True).returncode != 0
