"""Frozen results on real builds: ``freeze: auto`` on a machine that can run the code, the
project committed (copied) to one that cannot, ``freeze: true`` publishing what was frozen and
refusing an edited page at its line."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import Tag

from tests.sites import Build, Site, served

# A fence that needs a module only the author's machine has (its folder is on PYTHONPATH there).
LAB_PAGE = """\
# Lab notes

```python exec="on"
import labtools
print(labtools.measure())
```

The square root of two is `{python} round(2 ** 0.5, 3)`.

```python exec="on"
print("second", 6 * 7)
```
"""
# The file line of the second fence's code (what a message about it must name).
SECOND_FENCE_LINE = 11


def outputs(article: Tag) -> list[str]:
    return [pre.get_text() for pre in article.select("div.language-text pre")]


def notes(article: Tag) -> list[str]:
    return [box.get_text(" ", strip=True) for box in article.select("div.admonition.note")]


def commit_copy(site: Site, destination: Path) -> Site:
    """What a fresh clone holds: the committed files, without the cache or the built site."""
    shutil.copytree(site.root, destination, ignore=shutil.ignore_patterns(".cache", "site"))
    copy = Site(destination)
    copy.config = site.config
    return copy


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "labtools.py").write_text("def measure():\n    return 'measured 0.693'\n")
    return folder


def frozen_file(site: Site, name: str = "index.md") -> dict:
    return json.loads((site.root / "_freeze" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_freeze_auto_commit_then_true_without_the_module(
    make_site: Callable[..., Site], lab: Path, tmp_path: Path
) -> None:
    author = make_site(plugin={"freeze": "auto"})
    author.write("index.md", LAB_PAGE)
    ran = author.build(strict=True, env={"PYTHONPATH": str(lab)})
    assert ran.returncode == 0, ran.log
    frozen_text = (author.root / "_freeze" / "index.md.json").read_text(encoding="utf-8")
    assert "measured 0.693" in frozen_text
    # Portable: nothing about the machine that ran it.
    for machine_specific in (str(author.root), str(lab), "seconds", "python3."):
        assert machine_specific not in frozen_text

    ci = commit_copy(author, tmp_path / "clone")
    shutil.rmtree(lab)
    # The premise: without the frozen results this machine cannot run the page.
    unfrozen = ci.build(env={"MKDOCS_INFOTHEORY_FREEZE": "false"})
    assert any("ModuleNotFoundError" in w and "docs/index.md:4" in w for w in unfrozen.warnings())

    for mode in ("auto", "true"):
        published = ci.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": mode})
        assert published.returncode == 0, published.log
        assert "0 fences run" in published.log
        article = published.article()
        assert outputs(article) == ["measured 0.693\n", "second 42\n"]
        assert "1.414" in article.get_text()
        assert not notes(article)

    # An edit to the second fence: refused at its line, the first fence still published.
    page = ci.root / "docs" / "index.md"
    page.write_text(page.read_text().replace("6 * 7", "6 * 8"))
    refused = ci.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": "true"})
    assert refused.returncode != 0
    warning = [w for w in refused.warnings() if "not frozen" in w]
    assert len(warning) == 1, refused.log
    assert f"docs/index.md:{SECOND_FENCE_LINE}: not frozen: this cell changed" in warning[0]
    assert "_freeze/index.md.json" in warning[0]

    shown = ci.build(env={"MKDOCS_INFOTHEORY_FREEZE": "true"})
    article = shown.article()
    assert outputs(article) == ["measured 0.693\n"]  # never the stale "second 42"
    assert "second 42" not in article.get_text() and "second 48" not in article.get_text()
    assert len(notes(article)) == 1 and "not frozen" in notes(article)[0]
    assert "6 * 8" in article.get_text()  # the cell itself is shown


def test_freeze_true_without_frozen_results_names_the_first_cell(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(plugin={"freeze": True})
    site.write("index.md", "---\ntitle: T\n---\n\n# Page\n\n" + LAB_PAGE)
    build = site.build()
    assert build.returncode == 0, build.log
    assert any(
        "docs/index.md:10: not frozen: the page has no frozen results" in w
        for w in build.warnings()
    ), build.log
    article = build.article()
    assert outputs(article) == []
    assert len(notes(article)) == 2  # one per fence; the inline value shows its source
    assert "{python}" in article.get_text()
    assert not (site.root / "_freeze").exists()
    assert site.build(strict=True).returncode != 0


def test_display_options_re_render_frozen_results(make_site: Callable[..., Site]) -> None:
    site = make_site(plugin={"freeze": "auto"})
    site.write("index.md", '# P\n\n```python exec="on"\nprint("*bold*")\n```\n')
    assert site.build().returncode == 0
    site.write("index.md", '# P\n\n```python exec="on" result="markdown"\nprint("*bold*")\n```\n')
    build = site.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": "true"})
    assert build.returncode == 0, build.log
    em = build.article().find("em")
    assert em is not None and em.get_text() == "bold"


def test_auto_freezes_clean_pages_only_and_prunes_removed_ones(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(plugin={"freeze": "auto"})
    site.write("index.md", "# Home\n")
    site.write("good.md", '# Good\n\n```python exec="on"\nprint(1 + 1)\n```\n')
    site.write("bad.md", '# Bad\n\n```python exec="on"\n1 / 0\n```\n')
    site.write("posts/gone.md", '# Gone\n\n```python exec="on"\nprint("bye")\n```\n')
    first = site.build()
    assert first.returncode == 0, first.log
    names = sorted(
        p.relative_to(site.root / "_freeze").as_posix() for p in site.root.glob("_freeze/**/*.json")
    )
    # The manifest names what the plugin wrote: pruning deletes nothing else.
    assert names == [".infotheory-manifest.json", "good.md.json", "posts/gone.md.json"]
    assert frozen_file(site, "good.md")["cells"][0]["result"] == {"output": ["2\n"]}

    (site.root / "docs" / "posts" / "gone.md").unlink()
    site.write("good.md", "# Good\n\nNo code any more.\n")
    second = site.build()
    assert second.returncode == 0, second.log
    left = [p.name for p in site.root.glob("_freeze/**/*.json")]
    assert left == [".infotheory-manifest.json"], left
    assert not (site.root / "_freeze" / "posts").exists(), "the folder it created, now empty"


def test_cache_hits_are_frozen_without_running_again(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", '# P\n\n```python exec="on"\nprint("cached")\n```\n')
    assert site.build().returncode == 0
    build = site.build(env={"MKDOCS_INFOTHEORY_FREEZE": "auto"})
    assert "0 fences run, 1 from cache" in build.log
    assert frozen_file(site)["cells"][0]["result"] == {"output": ["cached\n"]}


def test_freeze_settings_errors_name_what_to_fix(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", '# P\n\n```python exec="on"\nprint(1)\n```\n')
    bad_env = site.build(env={"MKDOCS_INFOTHEORY_FREEZE": "sometimes"})
    assert bad_env.returncode != 0
    assert "MKDOCS_INFOTHEORY_FREEZE='sometimes'" in bad_env.log
    assert "true, auto or false" in bad_env.log

    site.config["plugins"] = [{"infotheory": {"freeze": "maybe"}}]
    bad_option = site.build()
    assert bad_option.returncode != 0
    assert "freeze" in bad_option.log and "'maybe'" in bad_option.log


def test_unreadable_frozen_file_is_a_warning(make_site: Callable[..., Site]) -> None:
    site = make_site(plugin={"freeze": "auto"})
    site.write("index.md", '# P\n\n```python exec="on"\nprint(1)\n```\n')
    assert site.build().returncode == 0
    # Damaged in a folder the plugin owns (one without its manifest is refused as foreign).
    (site.root / "_freeze" / "index.md.json").write_text("{broken")
    site.config["plugins"] = ["search", {"infotheory": {"freeze": True}}]
    build: Build = site.build()
    assert any("unreadable frozen results" in w for w in build.warnings()), build.log
    assert any("docs/index.md:4: not frozen" in w for w in build.warnings()), build.log


@pytest.mark.slow
def test_serve_under_auto_keeps_frozen_results_current(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "index.md"
    page.write_text('# Served\n\n```python exec="on"\nprint("first", 1 + 1)\n```\n')
    config = {"site_name": "Serve", "plugins": [{"infotheory": {"freeze": "auto"}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    frozen = tmp_path / "_freeze" / "index.md.json"
    with served(tmp_path) as (_, log):

        def wait_for(what: str, ready: Callable[[], bool]) -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if ready():
                    return
                time.sleep(0.3)
            pytest.fail(f"never {what}; serve log:\n{log()}")

        def wait_for_frozen(text: str) -> None:
            wait_for(
                f"{text!r} in {frozen}",
                lambda: frozen.exists() and text in frozen.read_text(encoding="utf-8"),
            )

        wait_for_frozen("first 2")
        # Edits are seen once the server watches (it starts after the first build).
        wait_for("serving", lambda: "Serving on" in log())
        page.write_text('# Served\n\n```python exec="on"\nprint("second", 2 + 2)\n```\n')
        wait_for_frozen("second 4")
        assert "first 2" not in frozen.read_text(encoding="utf-8")
