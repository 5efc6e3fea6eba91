"""MathCache: keys, persistence, atomic replacement, recovery from a damaged file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_infotheory.manifest import MANIFEST_NAME
from mkdocs_infotheory.math import MathCache

V = "0.16.22"


def test_in_memory_cache_keys_on_version_display_and_tex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cache = MathCache(None)
    assert cache.get(V, False, "x") is None
    cache.put(V, False, "x", "<inline x>")
    cache.put(V, True, "x", "<display x>")
    assert cache.get(V, False, "x") == "<inline x>"
    assert cache.get(V, True, "x") == "<display x>"
    assert cache.get("0.16.21", False, "x") is None
    assert cache.get(V, False, "x ") is None
    cache.save()
    assert list(tmp_path.iterdir()) == []


def test_saved_cache_is_loaded_by_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "math.json"
    cache = MathCache(path)
    cache.put(V, True, r"\sum_{i} p_i \log p_i — ü", "<span>ok</span>")
    cache.save()
    assert sorted(p.name for p in path.parent.iterdir()) == [MANIFEST_NAME, "math.json"]
    again = MathCache(path)
    assert again.warning is None
    assert len(again) == 1
    assert again.get(V, True, r"\sum_{i} p_i \log p_i — ü") == "<span>ok</span>"


def test_unchanged_cache_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "math.json"
    cache = MathCache(path)
    cache.put(V, False, "x", "html")
    cache.save()
    before = path.stat().st_ino
    reloaded = MathCache(path)
    assert reloaded.get(V, False, "x") == "html"
    reloaded.put(V, False, "x", "html")
    reloaded.save()
    assert path.stat().st_ino == before
    reloaded.put(V, False, "y", "other")
    reloaded.save()
    assert path.stat().st_ino != before


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "math.json"
    cache = MathCache(path)
    cache.put(V, False, "old", "old html")
    cache.save()
    original = path.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise OSError("disk full")

    cache.put(V, False, "new", "new html")
    monkeypatch.setattr(os, "replace", refuse)
    cache.save()  # a failed write is a warning for the plugin, never an exception
    assert cache.write_error is not None and "disk full" in cache.write_error
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME, "math.json"]
    cache.save()  # still dirty, so the next save writes it
    assert MathCache(path).get(V, False, "new") == "new html"


def current_format(tmp_path: Path) -> int:
    """The format number this release writes, read from a file it wrote."""
    probe = tmp_path / "probe.json"
    cache = MathCache(probe)
    cache.put(V, False, "x", "h")
    cache.save()
    return int(json.loads(probe.read_text(encoding="utf-8"))["format"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda fmt: "{not json",
        lambda fmt: "[]",
        lambda fmt: json.dumps({"entries": []}),
        lambda fmt: json.dumps({"format": fmt + 1, "entries": []}),
        lambda fmt: json.dumps({"format": fmt, "entries": {"x": "h"}}),
        lambda fmt: json.dumps({"format": fmt, "entries": [["0.16.22", "yes", "x", "h"]]}),
        lambda fmt: json.dumps({"format": fmt, "entries": [["0.16.22", True, "x"]]}),
        lambda fmt: "null",
        lambda fmt: "[1, 2]",
        lambda fmt: '"a string"',
        lambda fmt: json.dumps({"format": fmt, "entries": None}),
        lambda fmt: json.dumps({"format": str(fmt), "entries": []}),
        lambda fmt: json.dumps({"format": fmt, "entries": [None]}),
        lambda fmt: json.dumps({"format": fmt, "entries": [[V, False, "x", 5, 1.0]]}),
        lambda fmt: json.dumps({"format": fmt, "entries": [[V, False, "x", "h", "today"]]}),
        lambda fmt: json.dumps({"format": fmt, "entries": [[V, False, "x", "h", True]]}),
        lambda fmt: json.dumps({"format": fmt, "entries": [[V, False, "x", "h", float("nan")]]}),
    ],
)
def test_corrupt_file_starts_empty_with_a_warning(
    tmp_path: Path, damage: Callable[[int], str]
) -> None:
    path = tmp_path / "math.json"
    path.write_text(damage(current_format(tmp_path)), encoding="utf-8")
    cache = MathCache(path)
    assert len(cache) == 0
    assert cache.warning is not None and str(path) in cache.warning
    cache.put(V, False, "x", "html")
    cache.save()
    repaired = MathCache(path)
    assert repaired.warning is None
    assert repaired.get(V, False, "x") == "html"


def test_file_from_an_older_release_is_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "math.json"
    older = current_format(tmp_path) - 1
    path.write_text(json.dumps({"format": older, "entries": [[V, False, "x", "old"]]}))
    cache = MathCache(path)
    assert cache.warning is None
    assert cache.get(V, False, "x") is None


def test_binary_garbage_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "math.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    cache = MathCache(path)
    assert cache.warning is not None
    assert len(cache) == 0


def test_entries_of_other_katex_versions_are_dropped_on_save(tmp_path: Path) -> None:
    path = tmp_path / "math.json"
    old = MathCache(path)
    old.put("0.15.0", False, "x", "old katex")
    old.put(V, False, "y", "current katex")
    old.save()
    assert len(MathCache(path)) == 2

    upgraded = MathCache(path)
    assert upgraded.get(V, False, "y") == "current katex"
    upgraded.save()
    reloaded = MathCache(path)
    assert len(reloaded) == 1
    assert reloaded.get("0.15.0", False, "x") is None


def test_folder_in_place_of_the_file_is_a_warning_and_is_left_alone(tmp_path: Path) -> None:
    # The plugin did not make that folder: it is never deleted, only reported.
    path = tmp_path / "math.json"
    (path / "inside").mkdir(parents=True)
    cache = MathCache(path)
    assert cache.warning is not None and str(path) in cache.warning
    cache.put(V, False, "x", "html")
    cache.save()
    assert cache.write_error is not None and "left alone" in cache.write_error
    assert (path / "inside").is_dir()


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.symlink_to("/dev/zero"),
        lambda path: path.write_text("[" * 100_000 + "]" * 100_000),
        lambda path: path.write_text('{"format": 3, "entries": ' + "[" * 200 + "]" * 200 + "}"),
    ],
    ids=["symlink to /dev/zero", "deep nesting", "deep entries"],
)
def test_hostile_file_is_a_warning_not_a_crash(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    path = tmp_path / "math.json"
    damage(path)
    cache = MathCache(path)
    assert cache.warning is not None and len(cache) == 0
    cache.put(V, False, "x", "html")
    cache.save()
    assert os.path.lexists(path)


def test_unreadable_file_is_a_warning(tmp_path: Path) -> None:
    # A symlink loop cannot be read by anyone, root included (chmod 0 would not stop root).
    path = tmp_path / "math.json"
    path.symlink_to(path)
    cache = MathCache(path)
    assert cache.warning is not None and "unreadable" in cache.warning
    assert len(cache) == 0


def test_unwritable_folder_is_a_write_error_not_an_exception(tmp_path: Path) -> None:
    # A regular file where the folder should be: unwritable for root too.
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = MathCache(blocker / "math.json")
    cache.put(V, False, "x", "html")
    cache.save()
    assert cache.write_error is not None and str(blocker) in cache.write_error
    assert cache.get(V, False, "x") == "html", "the build goes on with what it rendered"


DAY = 24 * 3600


def test_formulas_unused_for_the_retention_period_are_forgotten(tmp_path: Path) -> None:
    from mkdocs_infotheory.storage import RETENTION_SECONDS

    path = tmp_path / "math.json"
    start = 1_000_000_000.0
    first = MathCache(path, now=start)
    first.put(V, False, "kept", "k")
    first.put(V, False, "dropped", "d")
    first.save()
    # Six days later a build uses only "kept": both survive (another configuration may still
    # want "dropped"), and "kept" is marked as used.
    later = MathCache(path, now=start + 6 * DAY)
    assert later.get(V, False, "kept") == "k"
    later.save()
    assert MathCache(path, now=start + 6 * DAY).get(V, False, "dropped") == "d"
    # Past the retention period since "dropped" was last used, the next save forgets it.
    much_later = MathCache(path, now=start + RETENTION_SECONDS + DAY)
    assert much_later.get(V, False, "kept") == "k"
    much_later.save()
    final = MathCache(path, now=start + RETENTION_SECONDS + DAY)
    assert final.get(V, False, "dropped") is None
    assert final.get(V, False, "kept") == "k"


def test_two_builds_sharing_the_file_keep_each_others_formulas(tmp_path: Path) -> None:
    path = tmp_path / "math.json"
    a = MathCache(path)
    b = MathCache(path)  # loaded before a saved: a second configuration building meanwhile
    a.put(V, False, "from a", "A")
    a.save()
    b.put(V, False, "from b", "B")
    b.save()
    merged = MathCache(path)
    assert merged.get(V, False, "from a") == "A"
    assert merged.get(V, False, "from b") == "B"


def test_only_debris_temporaries_are_removed(tmp_path: Path) -> None:
    from mkdocs_infotheory.storage import TEMPORARY_GRACE_SECONDS, is_debris

    young = tmp_path / ".math.json.abc.tmp"
    old = tmp_path / ".math.json.def.tmp"
    young.write_text("x")
    old.write_text("x")
    now = old.stat().st_mtime + TEMPORARY_GRACE_SECONDS + 1
    os.utime(young, (now, now))
    assert not is_debris(young, now), "a younger temporary may belong to a running build"
    assert is_debris(old, now)
    assert not is_debris(tmp_path / "math.json", now)
