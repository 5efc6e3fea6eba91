"""A long build says where it is: progress lines at INFO while pages run, never one line per
page, and a summary naming the slowest pages (the ones worth freezing)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.build.test_pytest_plugin import run_pytest
from tests.hosts._hosts import HostSite
from tests.sites import Site, served

pytestmark = pytest.mark.slow

SECONDS = "_MKDOCS_INFOTHEORY_PROGRESS_SECONDS"
PROGRESS = re.compile(
    r"running pages: (\d+) of (\d+) done, (\d+) in progress, (\d+) s so far; "
    r"longest: (\S+) \((\d+) s\)"
)


def _site(make_site: Callable[..., Site]) -> Site:
    site = make_site(plugin={"workers": 2, "timeout": 60})
    for number in range(20):
        site.write(
            f"quick-{number:02}.md", f'# Q{number}\n\n```python exec="on"\nprint({number})\n```\n'
        )
    for name, seconds in zip("abc", (3.0, 1.0, 0.6), strict=True):
        site.write(
            f"slow-{name}.md",
            f'# Slow {name}\n\n```python exec="on"\nimport time\ntime.sleep({seconds})\n'
            f'print("slept")\n```\n',
        )
    return site


def test_progress_lines_are_few_and_say_what_runs(make_site: Callable[..., Site]) -> None:
    site = _site(make_site)
    started = time.monotonic()
    build = site.build(env={SECONDS: "0.5"})
    elapsed = time.monotonic() - started
    assert build.returncode == 0, build.log
    lines = [line for line in build.info() if "running pages:" in line]
    assert lines, build.log
    # At most one line per interval, and far fewer than one per page.
    assert len(lines) <= elapsed / 0.5 + 1, lines
    assert len(lines) < 23, lines
    for line in lines:
        match = PROGRESS.search(line)
        assert match, line
        done, total = int(match[1]), int(match[2])
        assert total == 23 and 0 <= done < total, line
        assert match[5].startswith("docs/") and match[5].endswith(".md"), line
    # By the last line the page that has run longest is the one that sleeps longest.
    assert PROGRESS.search(lines[-1])[5] == "docs/slow-a.md", lines
    summary = next(line for line in build.info() if "pages with code" in line)
    assert "slowest pages (worth freezing): docs/slow-a.md" in summary, summary
    named = re.findall(r"(docs/\S+\.md) \d+\.\d s", summary.split("slowest pages", 1)[1])
    # Slowest first; on a loaded machine a quick page that waited for a worker may follow.
    assert named[0] == "docs/slow-a.md" and 1 <= len(named) <= 3, summary


def test_a_quick_build_prints_no_progress(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", '# Quick\n\n```python exec="on"\nprint(1)\n```\n')
    build = site.build()
    assert build.returncode == 0, build.log
    assert not [line for line in build.log.splitlines() if "running pages:" in line], build.log
    assert "slowest" not in build.log


def test_zensical_reports_progress_through_the_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = HostSite(tmp_path / "z", "zensical")
    for number in range(6):
        site.write(
            f"quick-{number}.md", f'# Q{number}\n\n```python exec="on"\nprint({number})\n```\n'
        )
    site.write(
        "slow.md", '# Slow\n\n```python exec="on"\nimport time\ntime.sleep(2.5)\nprint(1)\n```\n'
    )
    monkeypatch.setenv(SECONDS, "0.5")  # the build inherits it
    started = time.monotonic()
    build = site.build()
    elapsed = time.monotonic() - started
    assert build.returncode == 0, build.log
    lines = [line for line in build.log.splitlines() if "running pages:" in line]
    assert lines, build.log
    assert len(lines) <= elapsed / 0.5 + 1, lines
    match = PROGRESS.search(lines[-1])
    assert match and match[2] == "7" and match[5] == "docs/slow.md", lines


def test_pytest_summary_names_the_slowest_pages(make_site: Callable[..., Site]) -> None:
    site = _site(make_site)
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider", env={SECONDS: "0.5"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = next(line for line in result.stdout.splitlines() if "pages with code" in line)
    assert "slowest pages (worth freezing): docs/slow-a.md" in summary, summary
    assert "running pages:" not in result.stdout  # pytest shows its own progress


def test_serve_reports_progress_of_a_rebuild_that_runs_pages_again(
    make_site: Callable[..., Site],
) -> None:
    site = make_site()
    site.write("index.md", '# Home\n\n```python exec="on"\nprint("home")\n```\n')
    slow = '# Slow\n\n```python exec="on"\nimport time\ntime.sleep(2.5)\nprint({n})\n```\n'
    site.write("slow.md", slow.format(n=1))
    site.save_config()
    with served(site.root, env={SECONDS: "0.5"}) as (_url, log):
        first = log().count("running pages:")
        assert first >= 1, log()
        site.write("slow.md", slow.format(n=2))  # the rebuild runs this page again
        deadline = time.monotonic() + 120
        while log().count("pages with code") < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        text = log()
    assert text.count("pages with code") >= 2, text
    rebuild = text.split("pages with code", 1)[1]
    lines = [line for line in rebuild.splitlines() if "running pages:" in line]
    assert lines, text
    assert all("of 1 done" in line and "longest: docs/slow.md" in line for line in lines), lines
