"""ResultCache: damaged entries of any shape, unwritable folders, retention, fingerprints."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mkdocs_infotheory.core.cache import ResultCache, fingerprint_files
from mkdocs_infotheory.core.model import CellError, CellResult
from mkdocs_infotheory.storage import RETENTION_SECONDS, TEMPORARY_GRACE_SECONDS

KEY = "a" * 64
DAY = 24 * 3600


def stored(cache_dir: Path) -> Path:
    cache = ResultCache(cache_dir)
    cache.put(KEY, [CellResult(output="hello\n"), CellResult(value="3")])
    path = cache_dir / f"{KEY}.json"
    assert path.is_file()
    return path


def good_entry() -> dict[str, Any]:
    return {"key": KEY, "results": [CellResult(output="x").to_json()]}


def with_result(**fields: Any) -> str:
    entry = good_entry()
    entry["results"][0].update(fields)
    return json.dumps(entry)


@pytest.mark.parametrize(
    "damage",
    [
        lambda: "{ not json",
        lambda: "null",
        lambda: "[1, 2]",
        lambda: "42",
        lambda: '"text"',
        lambda: json.dumps({"key": KEY}),
        lambda: json.dumps({"key": KEY, "results": None}),
        lambda: json.dumps({"key": KEY, "results": {"0": {}}}),
        lambda: json.dumps({"key": KEY, "results": [None]}),
        lambda: json.dumps({"key": KEY, "results": [[1, 2]]}),
        lambda: json.dumps({"key": "other", "results": [CellResult().to_json()]}),
        lambda: with_result(output=5),
        lambda: with_result(value=["list"]),
        lambda: with_result(error="boom"),
        lambda: with_result(error={"type": "E", "message": "m", "line": 1, "extra": "?"}),
        lambda: with_result(error={"type": ["E"], "message": "m", "line": 1}),
        lambda: with_result(figures=[None]),
        lambda: with_result(figures=[{"format": "svg"}]),
        lambda: with_result(figures="svg"),
        lambda: with_result(mismatches=[{"line": 1}]),
        lambda: with_result(truncated="yes"),
        lambda: with_result(seconds="fast"),
        lambda: with_result(skipped=None),
    ],
)
def test_damaged_entry_of_any_shape_is_discarded_with_a_message(
    tmp_path: Path, damage: Callable[[], str]
) -> None:
    path = tmp_path / f"{KEY}.json"
    path.write_text(damage(), encoding="utf-8")
    cache = ResultCache(tmp_path)
    assert cache.get(KEY, 1) is None
    assert len(cache.problems) == 1 and str(path) in cache.problems[0]
    assert not path.exists(), "a damaged entry must not stay (it would warn on every build)"
    cache.put(KEY, [CellResult(output="fresh")])
    (result,) = ResultCache(tmp_path).get(KEY, 1) or []
    assert result.output == "fresh"


def test_binary_garbage_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / f"{KEY}.json"
    path.write_bytes(b"\xff\xfe\x00\x81 garbage")
    cache = ResultCache(tmp_path)
    assert cache.get(KEY, 1) is None
    assert cache.problems and not path.exists()


def test_folder_in_place_of_an_entry_is_reported_and_left_alone(tmp_path: Path) -> None:
    # The plugin did not make that folder: it is never deleted; that page is not cached.
    path = tmp_path / f"{KEY}.json"
    (path / "inside").mkdir(parents=True)
    cache = ResultCache(tmp_path)
    assert not cache.has(KEY), "a folder is no entry: the page must be run"
    assert cache.get(KEY, 1) is None
    assert cache.problems
    cache.put(KEY, [CellResult(output="fresh")])
    assert cache.write_error is None, "other pages are still cached"
    assert (path / "inside").is_dir()
    cache.put("b" * 64, [CellResult(output="other page")])
    assert (tmp_path / f"{'b' * 64}.json").is_file()


def test_unreadable_entry_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / f"{KEY}.json"
    path.symlink_to(path)  # a symlink loop: unreadable even for root
    cache = ResultCache(tmp_path)
    assert cache.get(KEY, 1) is None
    assert cache.problems and path.is_symlink()


def test_symlink_to_a_device_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / f"{KEY}.json"
    path.symlink_to("/dev/zero")  # read to the end, it would exhaust the machine's memory
    cache = ResultCache(tmp_path)
    assert not cache.has(KEY)
    assert cache.get(KEY, 1) is None
    assert cache.problems and path.is_symlink()


def test_deeply_nested_entry_is_discarded(tmp_path: Path) -> None:
    path = stored(tmp_path)
    path.write_text("[" * 100_000 + "]" * 100_000)
    cache = ResultCache(tmp_path)
    assert cache.get(KEY, 2) is None
    assert cache.problems and "nested" in cache.problems[0]


def test_eviction_deletes_only_entries_the_manifest_names(tmp_path: Path) -> None:
    stored(tmp_path)
    foreign = tmp_path / f"{'c' * 64}.json"
    foreign.write_text('{"key": "' + "c" * 64 + '", "results": []}')
    notes = tmp_path / "notes.json"
    notes.write_text("{}")
    later = time.time() + RETENTION_SECONDS + DAY
    for path in (foreign, notes):
        os.utime(path, (later - RETENTION_SECONDS - 10, later - RETENTION_SECONDS - 10))
    assert ResultCache(tmp_path).evict_unused(later) == 1  # the entry it wrote, unused
    assert foreign.exists() and notes.exists()


def test_eviction_adopts_the_entries_of_a_release_without_manifests(tmp_path: Path) -> None:
    path = stored(tmp_path)
    (tmp_path / ".infotheory-manifest.json").unlink()
    notes = tmp_path / "notes.json"
    notes.write_text("{}")
    later = time.time() + RETENTION_SECONDS + DAY
    assert ResultCache(tmp_path).evict_unused(later) == 1
    assert not path.exists() and notes.exists()


def test_unwritable_folder_turns_caching_off_with_one_message(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = ResultCache(blocker / "exec")
    for index in range(3):
        cache.put(f"{index}" * 64, [CellResult(output="x")])
    assert cache.write_error is not None and "without caching" in cache.write_error
    assert cache.get("0" * 64, 1) is None
    assert cache.evict_unused() == 0


def test_failed_and_skipped_results_are_not_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(KEY, [CellResult(error=CellError("E", "m", 1))])
    cache.put("b" * 64, [CellResult(skipped="off")])
    assert list(tmp_path.iterdir()) == []


def test_a_hit_marks_the_entry_used(tmp_path: Path) -> None:
    path = stored(tmp_path)
    os.utime(path, (1_000_000, 1_000_000))
    assert ResultCache(tmp_path).get(KEY, 2) is not None
    assert path.stat().st_mtime > 1_000_000


def test_a_hit_after_has_refreshes_an_old_mark_only(tmp_path: Path) -> None:
    """A build checks an entry (``has``) before reading it: a "last used" mark younger than
    a day is left as it is (an unchanged build writes nothing); an older one is refreshed."""
    path = stored(tmp_path)
    recent = time.time() - 3600
    os.utime(path, (recent, recent))
    cache = ResultCache(tmp_path)
    assert cache.has(KEY) and cache.get(KEY, 2) is not None
    assert path.stat().st_mtime == pytest.approx(recent)
    os.utime(path, (1_000_000, 1_000_000))
    cache = ResultCache(tmp_path)
    assert cache.has(KEY) and cache.get(KEY, 2) is not None
    assert path.stat().st_mtime > time.time() - 60


def test_eviction_keeps_recent_entries_of_other_builds(tmp_path: Path) -> None:
    # Two configurations share the folder: each build uses only its own entries; neither may
    # delete the other's on every build.
    mine = stored(tmp_path)
    ResultCache(tmp_path).put("b" * 64, [CellResult(output="theirs")])
    theirs = tmp_path / f"{'b' * 64}.json"
    os.utime(theirs, (mine.stat().st_mtime, mine.stat().st_mtime))
    now = mine.stat().st_mtime + 6 * DAY
    cache = ResultCache(tmp_path)
    assert cache.get(KEY, 2) is not None
    assert cache.evict_unused(now) == 0
    assert theirs.exists()
    # Unused for longer than the retention period: gone; the entry this build used stays.
    later = theirs.stat().st_mtime + RETENTION_SECONDS + 1
    os.utime(mine, (later, later))
    assert cache.evict_unused(later) == 1
    assert not theirs.exists() and mine.exists()


def test_eviction_leaves_other_builds_temporaries_alone(tmp_path: Path) -> None:
    stored(tmp_path)
    running = tmp_path / f".{KEY}.json.x1y2.tmp"
    running.write_text("being written by a concurrent build")
    crashed = tmp_path / f".{KEY}.json.z3w4.tmp"
    crashed.write_text("left by a build that died mid-write")
    old = running.stat().st_mtime - TEMPORARY_GRACE_SECONDS - 1
    os.utime(crashed, (old, old))
    cache = ResultCache(tmp_path)
    cache.evict_unused(running.stat().st_mtime)
    assert running.exists(), "a young temporary may belong to a build still running"
    assert not crashed.exists()


def test_temporary_names_are_unique(tmp_path: Path) -> None:
    # Concurrent builds writing the same key must not share a temporary file.
    from mkdocs_infotheory.storage import atomic_write_text

    seen: set[str] = set()
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.add(os.path.basename(src))
        real_replace(src, dst)

    os.replace = spy  # type: ignore[assignment]
    try:
        for _ in range(5):
            atomic_write_text(tmp_path / "entry.json", "{}")
    finally:
        os.replace = real_replace
    assert len(seen) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_fingerprint_covers_every_file_in_a_listed_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "nested").mkdir(parents=True)
    (data / "values.csv").write_text("a,b\n1,2\n")
    (data / "nested" / "more.json").write_text("{}")
    before = fingerprint_files([data])
    (data / "values.csv").write_text("a,b\n1,3\n")
    after_csv = fingerprint_files([data])
    assert after_csv != before, "editing a CSV in a listed folder must change results"
    (data / "nested" / "more.json").write_text('{"x": 1}')
    assert fingerprint_files([data]) != after_csv
    (data / "new.txt").write_text("added")
    assert fingerprint_files([data]) != after_csv


def test_fingerprint_skips_caches_and_version_control(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("__pycache__", ".git", ".cache/infotheory", "site"):
        (project / folder).mkdir(parents=True)
    (project / "helpers.py").write_text("X = 1\n")
    before = fingerprint_files([project], ignored=[project / "site"])
    (project / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"\0")
    (project / ".git" / "index").write_bytes(b"changed")
    (project / ".cache" / "infotheory" / "math.json").write_text("{}")
    (project / "site" / "index.html").write_text("<html>")
    assert fingerprint_files([project], ignored=[project / "site"]) == before


def test_read_bytes_reads_whole_files_and_fails_like_open(tmp_path: Path) -> None:
    from mkdocs_infotheory.storage import read_bytes

    small, large = tmp_path / "small", tmp_path / "large"
    small.write_bytes(b"\xef\xbb\xbfone\r\ntwo")
    large.write_bytes(bytes(range(256)) * 1000)  # several reads' worth
    assert read_bytes(small) == small.read_bytes()
    assert read_bytes(str(large)) == large.read_bytes()
    (tmp_path / "empty").write_bytes(b"")
    assert read_bytes(tmp_path / "empty") == b""
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "missing")
    with pytest.raises(IsADirectoryError):
        read_bytes(tmp_path)
