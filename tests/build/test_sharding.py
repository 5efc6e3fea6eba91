"""Pages across many workers: ``pytest --infotheory -n 2`` (pytest-xdist) and CI shards.

What docs/reference/publishing.md tells authors to do, step by step on real sites: each page
runs once under xdist and a failure names ``docs/PAGE.md:LINE``; two shards (disjoint pages,
selected by path, each in its own clone) write frozen results that merge by copying the
``_freeze/`` folders together, and a ``freeze: true`` build of the merged folder publishes them
with ``--strict`` without running anything.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.build.test_pytest_plugin import outcome_counts, run_pytest
from tests.sites import Site

pytest.importorskip("xdist", reason="pytest-xdist is in the test extra")

pytestmark = pytest.mark.slow

#: Each page appends its name to runs.log (beside mkdocs.yml), so a test can count runs.
PAGE = """\
# {name}

Some prose.

```python exec="on"
with open("../runs.log", "a") as log:
    log.write("{name}\\n")
print("value of {name}:", {value})
```
"""

FAILING = """\
# Broken

Text.

```python exec="on"
print("before")
```

```python exec="on"
raise ValueError("no data for this estimate")
```
"""


def _site(make_site: Callable[..., Site], names: list[str]) -> Site:
    site = make_site(plugin={"freeze": "auto", "timeout": 60})
    for number, name in enumerate(names):
        site.write(f"{name}.md", PAGE.format(name=name, value=number * 7))
    site.config["nav"] = [f"{name}.md" for name in names]
    site.save_config()
    return site


def _runs(site: Site) -> list[str]:
    log = site.root / "runs.log"
    return sorted(log.read_text().split()) if log.exists() else []


def test_xdist_runs_each_page_once_and_names_the_failing_line(
    make_site: Callable[..., Site],
) -> None:
    site = _site(make_site, ["alpha", "beta", "gamma", "delta"])
    site.write("broken.md", FAILING)
    result = run_pytest(site.root, "--infotheory", "-n", "2", "-p", "no:cacheprovider")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert outcome_counts(out) == {"failed": 1, "passed": 4}, out
    assert "docs/broken.md:10: ValueError: no data for this estimate" in out
    assert _runs(site) == ["alpha", "beta", "delta", "gamma"]  # once each, not once per worker
    # The same frozen results a build under freeze: auto writes (the failing page: none).
    frozen = sorted(p.name for p in (site.root / "_freeze").glob("[!.]*.json"))
    assert frozen == ["alpha.md.json", "beta.md.json", "delta.md.json", "gamma.md.json"]
    # ... and the same cache: a build afterwards runs none of the passing pages again.
    build = site.build()
    assert build.returncode == 0, build.log
    assert _runs(site) == ["alpha", "beta", "delta", "gamma"]
    assert "value of gamma: 14" in build.article("gamma").get_text()


def test_two_shards_merge_by_copying_freeze_folders_then_build_strict(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    names = ["alpha", "beta", "gamma", "delta"]
    origin = _site(make_site, names)
    # As the documented workflow does: list the pages, every 2nd page to each shard.
    listed = run_pytest(origin.root, "--infotheory", "--collect-only", "-q")
    pages = [line[: -len("::cells")] for line in listed.stdout.split() if line.endswith("::cells")]
    assert pages == ["docs/alpha.md", "docs/beta.md", "docs/delta.md", "docs/gamma.md"], pages
    shards = [pages[0::2], pages[1::2]]
    merged = tmp_path / "merged"
    merged.mkdir()
    for number, pages in enumerate(shards):
        # A fresh clone per shard (what each CI machine checks out).
        clone = tmp_path / f"shard{number}"
        shutil.copytree(origin.root, clone)
        result = run_pytest(clone, "--infotheory", *pages, "-p", "no:cacheprovider")
        assert result.returncode == 0, result.stdout + result.stderr
        assert outcome_counts(result.stdout) == {"passed": 2}, result.stdout
        ran = sorted((clone / "runs.log").read_text().split())
        assert ran == sorted(Path(page).stem for page in pages)
        # The artifact: the shard's _freeze/ folder, copied into one (upload, download).
        shutil.copytree(clone / "_freeze", merged, dirs_exist_ok=True)

    publish = tmp_path / "publish"
    shutil.copytree(origin.root, publish)
    shutil.copytree(merged, publish / "_freeze", dirs_exist_ok=True)
    site = Site(publish)
    site.config = {**origin.config, "plugins": ["search", {"infotheory": {"freeze": "true"}}]}
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert not (publish / "runs.log").exists()  # freeze: true ran nothing
    for number, name in enumerate(names):
        assert f"value of {name}: {number * 7}" in build.article(name).get_text()
    assert not [line for line in build.warnings()], build.log


def test_a_missing_shard_fails_the_strict_build(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    """The merge is checked: a shard whose artifact is missing stops the strict build."""
    origin = _site(make_site, ["alpha", "beta"])
    clone = tmp_path / "shard0"
    shutil.copytree(origin.root, clone)
    assert run_pytest(clone, "--infotheory", "docs/alpha.md").returncode == 0
    publish = tmp_path / "publish"
    shutil.copytree(origin.root, publish)
    shutil.copytree(clone / "_freeze", publish / "_freeze")
    site = Site(publish)
    site.config = {**origin.config, "plugins": ["search", {"infotheory": {"freeze": "true"}}]}
    build = site.build(strict=True)
    assert build.returncode != 0
    assert any("docs/beta.md" in line for line in build.warnings()), build.log
