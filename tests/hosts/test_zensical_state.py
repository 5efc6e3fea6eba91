"""The Zensical adapter's state files fail closed: a damaged ``failures.json`` never turns a
failing page into a passing ``--strict`` build (issue 17), and no state file crashes a build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mkdocs_infotheory.hosts.zensical.state import (
    MAX_STATE_BYTES,
    StateUnreadable,
    failures_record,
    pages_record,
    read_state_json,
)
from tests.hosts._hosts import HostSite

BROKEN = '# Broken\n\n```python exec="on"\nraise ValueError("still broken")\n```\n'


def test_an_absent_state_file_is_nothing_known(tmp_path: Path) -> None:
    assert read_state_json(tmp_path / "failures.json") is None


def test_a_state_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pages.json"
    path.write_text('{"docs/index.md": "abc"}', encoding="utf-8")
    assert pages_record(read_state_json(path)) == {"docs/index.md": "abc"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "damaged"),
        ("[" * 100_000 + "]" * 100_000, "damaged"),
        (b"\xff\xfe".decode("latin-1"), "damaged"),
    ],
)
def test_a_damaged_state_file_is_unreadable_not_empty(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "failures.json"
    path.write_text(content, encoding="latin-1")
    with pytest.raises(StateUnreadable, match=reason):
        read_state_json(path)


def test_a_state_file_that_is_not_a_regular_file_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "failures.json"
    os.symlink("/dev/zero", link)
    with pytest.raises(StateUnreadable, match="not a regular file"):
        read_state_json(link)
    folder = tmp_path / "pages.json"
    folder.mkdir()
    with pytest.raises(StateUnreadable, match="not a regular file"):
        read_state_json(folder)


def test_an_oversized_state_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pages.json"
    with open(path, "wb") as file:
        file.truncate(MAX_STATE_BYTES + 1)
    with pytest.raises(StateUnreadable, match="larger than"):
        read_state_json(path)


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"docs/a.md": "text"},
        {"docs/a.md": {"digest": "x"}},
        {"docs/a.md": {"digest": "x", "messages": [1]}},
        {"docs/a.md": {"digest": None, "messages": []}},
    ],
)
def test_a_failures_record_of_the_wrong_shape_is_damaged(value: object) -> None:
    with pytest.raises(StateUnreadable, match=r"failures\.json is damaged"):
        failures_record(value)


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage",
    ["{not json", json.dumps({"docs/broken.md": "not an entry"}), "[" * 50_000],
)
def test_a_damaged_failures_record_does_not_pass_strict(tmp_path: Path, damage: str) -> None:
    site = HostSite(tmp_path, "zensical")
    site.write("index.md", "# Home\n\nText.\n")
    site.write("broken.md", BROKEN)
    first = site.build(strict=True)
    assert first.returncode == 1, first.log[-3000:]
    store = tmp_path / ".cache" / "infotheory" / "failures.json"
    store.write_text(damage, encoding="utf-8")
    # Only the home page changes: Zensical serves broken.md from its cache, unseen by us.
    site.write("index.md", "# Home\n\nOther text.\n")
    second = site.build(strict=True)
    assert second.returncode == 1, second.log[-3000:]
    assert "failures.json" in second.log and "--clean" in second.log, second.log[-3000:]
    assert "Traceback" not in second.log
    # Still unknown on the next build: the damaged record is not replaced by a partial one.
    site.write("index.md", "# Home\n\nThird text.\n")
    third = site.build(strict=True)
    assert third.returncode == 1, third.log[-3000:]
    # A clean build sees every page again: the failure is known once more, and reported.
    clean = site.build("--clean", strict=True)
    assert clean.returncode == 1, clean.log[-3000:]
    assert "docs/broken.md:4: ValueError: still broken" in clean.log
    assert "failures.json" not in clean.log
    site.write("broken.md", "# Fixed\n")
    fixed = site.build(strict=True)
    assert fixed.returncode == 0, fixed.log[-3000:]


@pytest.mark.slow
def test_a_damaged_pages_record_runs_every_page_again(tmp_path: Path) -> None:
    site = HostSite(tmp_path, "zensical")
    site.write("index.md", '# Home\n\n```python exec="on"\nprint(6 * 7)\n```\n')
    assert site.build(strict=True).returncode == 0
    (tmp_path / ".cache" / "infotheory" / "pages.json").write_text("[[[", encoding="utf-8")
    again = site.build("--clean", strict=True)
    assert again.returncode == 0, again.log[-3000:]
    assert "42" in again.article().get_text()
