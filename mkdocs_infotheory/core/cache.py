"""Executed results on disk, reused while nothing that can change them has changed.

A key covers: the page's executable code in order (every fence and inline expression, with
its language and session), the preamble, the plugin's version, the source of
``mkdocs_infotheory.compute``, and the content of the author's listed dependencies. Options that
only change how a result is *shown* (``source``, ``result``, ``caption``) are left out on
purpose: changing them re-renders without re-running.

Pages with any failure are never stored, so every build reports their errors again (and
``--strict`` keeps failing) until the author fixes them.

Entries are read as untrusted data (:func:`..storage.read_json`) and validated whole. What the
cache deletes is limited to what it wrote: eviction deletes only entries named in the folder's
manifest (:mod:`..manifest`), and a damaged entry is deleted only when it is a regular file at
an entry's own name; anything else in an entry's place (a folder, a symbolic link) is reported
and left alone, and that page simply is not cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..manifest import Manifest
from ..storage import (
    LAST_USED_RESOLUTION_SECONDS,
    MAX_CACHE_ENTRY_BYTES,
    atomic_write_text,
    expired,
    is_debris,
    read_json,
)
from .model import Cell, CellResult

#: Bump when the stored format or the kernel's behaviour changes.
FORMAT = 2

#: An entry's file name: its key (a SHA-256 in hex) and ``.json``.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")

#: Folders never part of a fingerprint: tools' caches and version control, not content.
_UNHASHED_FOLDERS = {"__pycache__", "node_modules"}


def fingerprint_files(paths: Iterable[Path], ignored: Iterable[Path] = ()) -> str:
    """Hash the contents of files; a folder counts with every file below it.

    Every file, not only Python: a listed ``data/`` folder's CSV feeds results as much as a
    helper module does. Skipped: ``__pycache__``, hidden folders (``.git``, ``.cache``,
    ``.venv``) and the folders in ``ignored`` (the plugin's cache and the built site, which
    change on every build and would make every key new).
    """
    skip = {folder.resolve() for folder in ignored}
    digest = hashlib.sha256()
    for path in paths:
        for file in _files_below(path, skip):
            # Names relative to the listed path: moving the project or the venv keeps the cache.
            digest.update(file.relative_to(path).as_posix().encode() if file != path else b"")
            digest.update(b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def _files_below(path: Path, skip: set[Path]) -> list[Path]:
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for folder, folders, names in os.walk(path):  # does not follow symlinked folders
        folders[:] = [
            name
            for name in folders
            if name not in _UNHASHED_FOLDERS
            and not name.startswith(".")
            and (Path(folder) / name).resolve() not in skip
        ]
        found.extend(Path(folder) / name for name in names)
    return sorted(found)


def page_key(cells: Sequence[Cell], environment: str) -> str:
    """The cache key of a page: its executable code plus everything else that feeds results.

    ``environment`` is the part shared by every page (version, preamble, compute source,
    dependencies, kernel settings), fingerprinted once per build.
    """
    payload = [FORMAT, environment]
    payload.extend(
        [c.kind, c.language, c.options.session, c.code, *c.options.ran_with()] for c in cells
    )
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


class DamagedEntry(ValueError):
    """A cache entry that is not what this release writes (wrong shape, wrong types)."""


class ResultCache:
    """One JSON file per page key under ``directory``; writes are atomic.

    Nothing here can fail a build: a damaged entry (any shape: bad JSON, ``null``, a list, wrong
    field types, a folder in its place, an unreadable file) is discarded with a message in
    :attr:`problems` and the page runs again; an unwritable directory turns caching off for
    the rest of the build with one message in :attr:`write_error`.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._folder = str(directory)
        self._manifest: Manifest | None = None
        self.used: set[str] = set()
        self.problems: list[str] = []
        self.write_error: str | None = None
        #: Modification time ("last used") of the entries :meth:`has` found, by key.
        self._last_used: dict[str, float] = {}

    @property
    def manifest(self) -> Manifest:
        """The folder's manifest, read when first needed (a warm build never needs it)."""
        if self._manifest is None:
            self._manifest = Manifest(self.directory)
        return self._manifest

    def _path(self, key: str) -> Path:
        return Path(self._file(key))

    def _file(self, key: str) -> str:
        """The entry's path as text: a warm build asks for every page's entry twice, and a
        ``Path`` costs more to make than opening the file does."""
        return os.path.join(self._folder, key + ".json")

    def has_entries(self) -> bool:
        """Whether any entry is stored (a fresh checkout's or CI runner's cache has none)."""
        try:
            with os.scandir(self.directory) as entries:
                return any(entry.name.endswith(".json") for entry in entries)
        except OSError:
            return False

    def has(self, key: str) -> bool:
        """Whether an entry exists (without reading it; :meth:`get` validates).

        Something other than a file in the entry's place (a folder, a symlink loop) is
        discarded here, with a message, so the page runs and its result can be stored.
        """
        path = self._file(key)
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            status = None
        if status is not None and stat.S_ISREG(status.st_mode):
            self._last_used[key] = status.st_mtime
            return True
        try:  # what is there now, itself (a build sharing the cache may just have written it)
            status = os.lstat(path)
        except (OSError, ValueError):
            return False
        if stat.S_ISREG(status.st_mode):
            self._last_used[key] = status.st_mtime
            return True
        self.problems.append(
            f"cache entry {path} is not a regular file (a folder or a link the plugin did not "
            "write): left alone, so this page is not cached; remove it to cache the page again"
        )
        return False

    def get(self, key: str, count: int) -> list[CellResult] | None:
        path = self._file(key)
        try:
            results = _results_of(read_json(path, MAX_CACHE_ENTRY_BYTES), key, count)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # UnreadableFile, DamagedEntry: ValueError
            discarded = _discard(Path(path))
            what = "discarded" if discarded else "left alone (not a regular file)"
            self.problems.append(f"{what} unreadable cache entry {path}: {exc}")
            return None
        self.used.add(key)
        last_used = self._last_used.pop(key, None)
        if last_used is None or time.time() - last_used > LAST_USED_RESOLUTION_SECONDS:
            _mark_used(path)  # a mark made today stands: an unchanged build writes nothing
        return results

    def put(self, key: str, results: Sequence[CellResult]) -> None:
        if self.write_error is not None:
            return
        if any(result.failed or result.skipped for result in results):
            return
        data = {"key": key, "results": [result.to_json() for result in results]}
        path = self._path(key)
        manifest = self.manifest
        try:
            if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                return  # reported by has(); not ours to replace
            manifest.record(path)
            atomic_write_text(path, json.dumps(data))
            if problem := manifest.save():
                raise OSError(problem)
        except OSError as exc:
            self.write_error = (
                f"cannot write the cache in {self.directory} ({exc}); this build ran without "
                "caching: make the folder writable, or set cache_dir (or cache: false)"
            )
            return
        self.used.add(key)

    def evict_unused(self, now: float | None = None) -> int:
        """Delete entries that this build did not use and no build used for the retention
        period (:mod:`mkdocs_infotheory.storage`), and old temporary debris; returns how many."""
        now = time.time() if now is None else now
        removed = 0
        try:
            paths = list(self.directory.iterdir())
        except OSError:
            return 0
        manifest = self.manifest
        if not manifest.path.exists():  # written by a release before manifests: adopt ours
            for path in paths:
                if looks_like_entry(path):
                    manifest.files.add(path.name)
        doomed: list[str] = []
        for path in paths:
            if is_debris(path, now):
                removed += _discard(path)
            elif manifest.owns(path.name) and path.stem not in self.used:
                try:
                    last_used = path.lstat().st_mtime
                except OSError:
                    continue
                if expired(last_used, now):
                    doomed.append(path.name)
        removed += len(manifest.remove(doomed))
        manifest.forget_missing()
        manifest.save()
        return removed


def looks_like_entry(path: Path) -> bool:
    """Whether ``path`` is an entry some release of the plugin wrote: a regular file named
    after a key that starts as entries do (read no further: a cache holds thousands)."""
    if not _ENTRY_NAME.fullmatch(path.name):
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as stream:
            head = stream.read(80)
    except OSError:
        return False
    return head.startswith(b'{"key": "' + path.stem.encode())


def _results_of(data: Any, key: str, count: int) -> list[CellResult]:
    """Validate a whole entry before trusting any of it."""
    if not isinstance(data, dict):
        raise DamagedEntry(f"expected an object, found {type(data).__name__}")
    if data.get("key") != key:
        raise DamagedEntry("the entry does not match its key")
    items = data.get("results")
    if not isinstance(items, list) or len(items) != count:
        raise DamagedEntry(f"expected a list of {count} results")
    results: list[CellResult] = []
    for item in items:
        _check_result(item)
        try:
            results.append(CellResult.from_json(item))
        except (TypeError, KeyError, AttributeError) as exc:
            raise DamagedEntry(f"malformed result: {exc}") from None
    return results


_RESULT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "output": str,
    "value": (str, type(None)),
    "error": (dict, type(None)),
    "figures": list,
    "truncated": bool,
    "mismatches": list,
    "skipped": str,
    "seconds": (int, float),
}


def _check_result(item: Any) -> None:
    if not isinstance(item, dict):
        raise DamagedEntry(f"a result is {type(item).__name__}, not an object")
    for name, expected in _RESULT_FIELDS.items():
        if name in item and not isinstance(item[name], expected):
            raise DamagedEntry(f"field {name!r} has type {type(item[name]).__name__}")
    objects = [*item.get("figures", []), *item.get("mismatches", [])]
    if item.get("error") is not None:
        objects.append(item["error"])
    for entry in objects:
        if not isinstance(entry, dict) or not all(
            isinstance(value, (str, int)) for value in entry.values()
        ):
            raise DamagedEntry("a figure, mismatch or error has fields of the wrong type")


def _mark_used(path: str) -> None:
    """Refresh the entry's modification time: it is the "last used" the retention reads."""
    # A read-only cache cannot be marked: the entry may be evicted sooner, nothing worse.
    with contextlib.suppress(OSError):
        os.utime(path)


def _discard(path: Path) -> int:
    """Remove a damaged entry or temporary debris: only a regular file at a name the cache
    gives its files (never a folder, never a link); 1 if removed."""
    if not (_ENTRY_NAME.fullmatch(path.name) or is_debris(path, float("inf"))):
        return 0
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return 0
        path.unlink()
    except OSError:
        return 0
    return 1
