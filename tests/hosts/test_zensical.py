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
    entries = list((tmp_path / ".cache" / "infotheory" / "exec").glob("*.json"))
    assert len(entries) == 1
    mkdocs = HostSite(tmp_path, "mkdocs")
    build = mkdocs.build(strict=True)
    assert build.returncode == 0, build.log
    assert "0 fences run, 1 from cache" in build.log
