"""read_json: the one reader of files the plugin reads back, all of them untrusted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mkdocs_infotheory.storage import MAX_JSON_DEPTH, UnreadableFile, read_json


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"a": [1, "ü"]}', encoding="utf-8")
    assert read_json(path, 100) == {"a": [1, "ü"]}


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "missing.json", 100)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "symbolic link"),
        (lambda p: p.symlink_to(p), "symbolic link"),
        (lambda p: os.mkfifo(p), "not a regular file"),
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: p.write_text("1" * 101), "bytes"),
        (lambda p: p.write_bytes(b"\xff\xfe"), "not JSON"),
        (lambda p: p.write_text("{"), "not JSON"),
        (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested"),
        (lambda p: p.write_text('{"a":' * 5_000 + "1" + "}" * 5_000), "nested"),
        (lambda p: p.write_text("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)), "nested"),
    ],
    ids=[
        "dev-zero",
        "loop",
        "fifo",
        "folder",
        "too-big",
        "binary",
        "truncated",
        "deep-list",
        "deep-object",
        "just-too-deep",
    ],
)
def test_refuses_what_it_must_not_read(tmp_path: Path, make, says: str) -> None:
    path = tmp_path / "a.json"
    make(path)
    with pytest.raises(UnreadableFile, match=says):
        read_json(path, 100 if says == "bytes" else 10 << 20)


def test_depth_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert read_json(path, 1000) is not None
