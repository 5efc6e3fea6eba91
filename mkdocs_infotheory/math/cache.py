"""Persistent map from (KaTeX version, display flag, TeX) to KaTeX's HTML.

Why: most formulas do not change between builds, and a cache hit means KaTeX (and V8) never
start at all, which keeps ``mkdocs serve`` rebuilds free of the ~0.2 s engine start-up.
The file is plain JSON, replaced atomically, and a damaged file only costs a re-render:
it never fails a build. Formulas no build has used for a while are forgotten, by the same
retention policy as the execution cache (:mod:`mkdocs_infotheory.storage`). The file is read
as untrusted data (:func:`..storage.read_json`: size-capped, regular files only, any depth
survived) and named in its folder's manifest (:mod:`..manifest`) before it is first written;
something other than a file in its place is reported and left alone, never deleted.
"""

from __future__ import annotations

import json
import math
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..manifest import Manifest
from ..storage import (
    LAST_USED_RESOLUTION_SECONDS,
    MAX_MATH_CACHE_BYTES,
    UnreadableFile,
    atomic_write_text,
    expired,
    read_json,
)

# Bumped whenever the stored HTML changes for the same KaTeX version (2: search exclusion;
# 3: each entry records when a build last used it).
_FORMAT = 3

CacheKey = tuple[str, bool, str]


@dataclass(slots=True)
class _Entry:
    """One formula's HTML, and when a build last used it (entries unused for long are
    dropped on save)."""

    html: str
    last_used: float


class MathCache:
    """TeX -> HTML memo, optionally persisted at ``path`` (``None`` keeps it in memory).

    ``warning`` is set (and the cache starts empty) when an existing file could not be read;
    ``write_error`` is set when the file could not be written (the build goes on uncached).
    The plugin passes both on as build warnings. On :meth:`save`, entries of KaTeX versions
    other than the ones used since loading are dropped (an upgrade leaves no stale HTML), and
    so are entries no build has used for the retention period; entries another build saved
    meanwhile (another configuration sharing the file) are kept.
    """

    def __init__(self, path: Path | None, now: float | None = None):
        self.path = path
        self.warning: str | None = None
        self.write_error: str | None = None
        self._now = time.time() if now is None else now
        self._entries: dict[CacheKey, _Entry] = {}
        self._versions_used: set[str] = set()
        self._dirty = False
        self._lock = threading.Lock()
        if path is not None:
            self._entries, self.warning = _load(path)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, display: bool, tex: str) -> str | None:
        self._versions_used.add(version)
        entry = self._entries.get((version, display, tex))
        if entry is None:
            return None
        if self._now - entry.last_used > LAST_USED_RESOLUTION_SECONDS:
            entry.last_used = self._now
            self._dirty = True
        return entry.html

    def put(self, version: str, display: bool, tex: str, html: str) -> None:
        self._versions_used.add(version)
        key = (version, display, tex)
        entry = self._entries.get(key)
        if entry is None or entry.html != html:
            self._entries[key] = _Entry(html, self._now)
            self._dirty = True

    def save(self) -> None:
        """Write the file atomically if anything changed; never raises for an I/O problem."""
        if self.path is None:
            return
        with self._lock:
            self._forget_stale()
            if not self._dirty and self.path.is_file():
                return
            # Keep what another build (another configuration) saved since we loaded.
            on_disk, _ = _load(self.path)
            for key, entry in on_disk.items():
                current = not self._versions_used or key[0] in self._versions_used
                if current and key not in self._entries and not expired(entry.last_used, self._now):
                    self._entries[key] = entry
            records = [[v, d, t, e.html, e.last_used] for (v, d, t), e in self._entries.items()]
            payload = json.dumps({"format": _FORMAT, "entries": records}, ensure_ascii=False)
            try:
                if os.path.lexists(self.path) and not stat.S_ISREG(os.lstat(self.path).st_mode):
                    raise OSError("something other than a file is in its place; left alone")
                manifest = Manifest(self.path.parent)
                if not manifest.owns(self.path.name):
                    manifest.record(self.path)
                    if problem := manifest.save():
                        raise OSError(problem)
                atomic_write_text(self.path, payload)
            except OSError as exc:
                self.write_error = (
                    f"cannot write the math cache {self.path} ({exc}); formulas will be "
                    "rendered again next build: make the folder writable, or set cache_dir "
                    "(or cache: false)"
                )
                return
            self._dirty = False

    def _forget_stale(self) -> None:
        stale = [
            key
            for key, entry in self._entries.items()
            if (self._versions_used and key[0] not in self._versions_used)
            or expired(entry.last_used, self._now)
        ]
        for key in stale:
            del self._entries[key]
        self._dirty = self._dirty or bool(stale)


def _load(path: Path) -> tuple[dict[CacheKey, _Entry], str | None]:
    """The entries in ``path`` and a warning if it exists but could not be used."""
    try:
        data = read_json(path, MAX_MATH_CACHE_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        # No file (a file where the folder should be is an unwritable cache: reported once,
        # when saving fails).
        return {}, None
    except UnreadableFile as exc:
        return {}, f"math cache {path} is unreadable ({exc}); starting with an empty cache"
    except OSError as exc:
        return {}, f"math cache {path} is unreadable ({exc}); starting with an empty cache"
    try:
        return _parse(data), None
    except _OutdatedFormat:
        return {}, None  # written by an older release: stale, not damaged, so no warning
    except (ValueError, TypeError) as exc:
        return {}, f"math cache {path} is corrupt ({exc}); starting with an empty cache"


class _OutdatedFormat(Exception):
    pass


def _parse(data: Any) -> dict[CacheKey, _Entry]:
    """Validate the whole file before trusting any of it."""
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise ValueError("not a math cache")
    if data["format"] != _FORMAT:
        if data["format"] < _FORMAT:
            raise _OutdatedFormat
        raise ValueError(f"format {data['format']} is newer than this release reads")
    records = data.get("entries")
    if not isinstance(records, list):
        raise ValueError("entries is not a list")
    entries: dict[CacheKey, _Entry] = {}
    for record in records:
        if not (
            isinstance(record, list)
            and len(record) == 5
            and isinstance(record[0], str)
            and isinstance(record[1], bool)
            and isinstance(record[2], str)
            and isinstance(record[3], str)
            and isinstance(record[4], (int, float))
            and not isinstance(record[4], bool)
            and math.isfinite(record[4])
        ):
            raise ValueError(f"malformed entry {record!r:.80}")
        entries[(record[0], record[1], record[2])] = _Entry(record[3], float(record[4]))
    return entries
