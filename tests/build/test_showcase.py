"""The showcase site (the seed post) built for real with --strict."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

import mkdocs_infotheory
from mkdocs_infotheory.compute import bernoulli_entropy

REPO = Path(__file__).resolve().parents[2]


def build_showcase(
    root: Path, env: dict[str, str] | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    return subprocess.run(
        [*command, "--strict"] if strict else command,
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
        check=False,
    )


def copy_showcase(target: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "docs", target / "docs")
    return target


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Tag:
    root = copy_showcase(tmp_path_factory.mktemp("showcase"))
    completed = build_showcase(root)
    assert completed.returncode == 0, completed.stderr
    warnings = [line for line in completed.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    assert isinstance(article, Tag)
    return article


def test_every_section_is_there(showcase: Tag) -> None:
    headings = [h.get_text().rstrip("¶").strip() for h in showcase.find_all(["h1", "h2", "h3"])]
    for title in (
        "Information theory fundamentals",
        "Shannon entropy",
        "Quick reference — Bernoulli entropy",
        "Tiny Python sanity check",
        "Cross-entropy",
        "Numerical hygiene (footnote-sized lecture)",
        "KL divergence",
        "Mutual information",
        "Figure: classic RL diagram (caption pattern)",
        "Why this matters",
        "Checklist: translating theory to debugging questions",
    ):
        assert title in headings


def test_bernoulli_table_is_generated_from_compute(showcase: Tag) -> None:
    table = next(t for t in showcase.find_all("table") if "vibe" in t.get_text())
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert [row[0] for row in rows] == ["0.5", "0.99", "0.01", "0.0 or 1.0"]
    assert rows[0][1] == f"{bernoulli_entropy(0.5):.3f}"
    assert rows[1][1] == f"~{bernoulli_entropy(0.99):.3f}" == rows[2][1]
    assert rows[3][1] == "0"
    header = table.find("thead")
    assert len(header.select(".katex")) == 2, "math in the header is rendered"


def test_prose_numbers_are_inline_values(showcase: Tag) -> None:
    annotations = [a.get_text() for a in showcase.select("annotation")]
    assert any(a.strip().endswith(f"= {bernoulli_entropy(0.5):g}") for a in annotations)
    assert any(f"\\approx {bernoulli_entropy(0.99):.2f}" in a for a in annotations)
    source = (REPO / "docs" / "index.md").read_text()
    assert "0.08 " not in source and "~0.081" not in source, "no typed numbers in the Markdown"


def test_sanity_check_and_shell_snippet_run(showcase: Tag) -> None:
    outputs = [pre.get_text() for pre in showcase.select("div.language-text pre")]
    expected = -sum(p * math.log2(p) for p in (0.99, 0.01))  # the page's own formula
    assert outputs[0].split() == ["1.0", repr(expected)]
    shell = outputs[1].splitlines()
    assert [line.split()[0] for line in shell] == ["0.5", "0.9", "0.99"]


def test_torch_snippet_is_shown_not_run(showcase: Tag) -> None:
    code = [div.get_text() for div in showcase.select("div.language-python")]
    assert any("F.cross_entropy(logits, target)" in c for c in code)
    assert not showcase.select("div.admonition.failure")


def test_footnotes_blockquote_admonitions_figures(showcase: Tag) -> None:
    notes = showcase.select("div.footnote li")
    assert len(notes) == 4
    assert all(note.select_one("a.footnote-backref") for note in notes)
    assert len(showcase.select("sup a.footnote-ref")) == 4
    outer = showcase.find("blockquote")
    inner = outer.find("blockquote")
    assert inner is not None and "Remember: KL is an expectation" in inner.get_text()
    assert showcase.select_one("div.admonition.tip") and showcase.select_one(
        "div.admonition.warning"
    )
    figures = showcase.find_all("figure")
    sources = [f.find("img")["src"] for f in figures]
    assert sources == ["assets/rl-loop.svg", "assets/legacy-screenshot.png"]
    assert all(f.find("figcaption") and f.find("img").get("alt") for f in figures)


def test_external_links_are_kept(showcase: Tag) -> None:
    hrefs = " ".join(a["href"] for a in showcase.find_all("a", href=True))
    for host in (
        "huggingface.co",
        "inference.org.uk",
        "microsoft.com",
        "wiley.com",
        "LogSumExp",
        "Calibration_(statistics)",
    ):
        assert host in hrefs


def test_changing_compute_changes_the_page(tmp_path: Path) -> None:
    """Shadow the installed package with a copy whose bernoulli_entropy is doubled."""
    package = tmp_path / "pkg"
    shutil.copytree(Path(mkdocs_infotheory.__file__).parent, package / "mkdocs_infotheory")
    compute = package / "mkdocs_infotheory" / "compute" / "__init__.py"
    compute.write_text(
        compute.read_text()
        + "\n_original = bernoulli_entropy\n"
        + "def bernoulli_entropy(p, base=2):\n    return 2 * _original(p, base)\n"
    )
    root = copy_showcase(tmp_path / "site") if (tmp_path / "site").mkdir() is None else None
    completed = build_showcase(root, env={"PYTHONPATH": str(package)}, strict=False)
    assert completed.returncode == 0, completed.stderr
    # The guide's doc-test wrote down the real value, so it now reports the drift.
    assert "docs/guide.md" in completed.stderr and "doctest output differs" in completed.stderr
    article = BeautifulSoup((root / "site" / "index.html").read_text(), "html.parser")
    table = next(t for t in article.find_all("table") if "vibe" in t.get_text())
    assert table.select("tbody tr")[0].find_all("td")[1].get_text() == "2.000"
