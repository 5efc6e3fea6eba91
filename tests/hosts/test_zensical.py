"""What is particular to Zensical 0.0.73: its page cache, and --strict across rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hosts._hosts import HostSite

pytestmark = pytest.mark.slow

BROKEN = '# Broken\n\n```python exec="on"\nraise ValueError("still broken")\n```\n'


def test_failures_of_pages_zensical_serves_from_its_cache_still_fail_strict(
    tmp_path: Path,
) -> None:
    site = HostSite(tmp_path, "zensical")
    site.write("index.md", "# Home\n\nText.\n")
    site.write("broken.md", BROKEN)
    first = site.build(strict=True)
    assert first.returncode == 1
    assert "docs/broken.md:4: ValueError: still broken" in first.log
    # Only the home page changes: Zensical renders it again and takes broken.md from its cache.
    site.write("index.md", "# Home\n\nOther text.\n")
    second = site.build(strict=True)
    assert second.returncode == 1, second.log
    assert "docs/broken.md:4: ValueError: still broken" in second.log
    # Fixed: the remembered failure goes away with the page's new content.
    site.write("broken.md", "# Fixed\n")
    third = site.build(strict=True)
    assert third.returncode == 0, third.log
    assert "broken.md" not in third.log


def test_results_are_shared_with_mkdocs_through_the_same_cache(tmp_path: Path) -> None:
    site = HostSite(tmp_path, "zensical")
    site.write("index.md", '# Once\n\n```python exec="on"\nprint(2 ** 20)\n```\n')
    assert site.build(strict=True).returncode == 0
    entries = list((tmp_path / ".cache" / "infotheory" / "exec").glob("[!.]*.json"))
    assert len(entries) == 1
    mkdocs = HostSite(tmp_path, "mkdocs")
    build = mkdocs.build(strict=True)
    assert build.returncode == 0, build.log
    assert "0 fences run, 1 from cache" in build.log


TIMED = """\
---
title: Page {n}
---
# Page {n}

```python exec="on"
import time
start = time.time()
time.sleep(1.0)
with open("../runs.log", "a") as log:
    print({n}, start, time.time(), file=log)
print("page {n} ran")
```
"""


def _runs(root: Path) -> list[tuple[int, float, float]]:
    path = root / "runs.log"
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text().splitlines()]
    return [(int(n), float(a), float(b)) for n, a, b in rows]


def test_pages_run_in_parallel_and_each_fence_runs_once(tmp_path: Path) -> None:
    site = HostSite(tmp_path, "zensical")
    for n in range(4):
        site.write(f"page{n}.md", TIMED.format(n=n))
    site.write("index.md", "# Home\n")
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    runs = _runs(tmp_path)
    assert sorted(n for n, _, _ in runs) == [0, 1, 2, 3], "every page ran exactly once"
    overlapping = any(
        a[1] < b[2] and b[1] < a[2] for i, a in enumerate(runs) for b in runs[i + 1 :]
    )
    assert overlapping, f"pages ran one after another: {runs}"
    for n in range(4):
        assert f"page {n} ran" in (tmp_path / "site" / f"page{n}" / "index.html").read_text()
    # Nothing changed: Zensical serves every page from its cache, and nothing runs again.
    again = site.build(strict=True)
    assert again.returncode == 0 and len(_runs(tmp_path)) == 4
    # One page changed: only that page runs.
    site.write("page2.md", TIMED.format(n=2).replace("ran", "ran again"))
    changed = site.build(strict=True)
    assert changed.returncode == 0, changed.log
    assert sorted(n for n, _, _ in _runs(tmp_path)) == [0, 1, 2, 2, 3]
    assert "page 2 ran again" in (tmp_path / "site" / "page2" / "index.html").read_text()
