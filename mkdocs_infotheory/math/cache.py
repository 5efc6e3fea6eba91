"""Persistent map from (KaTeX version, display flag, TeX) to KaTeX's HTML.

Why: most formulas do not change between builds, and a cache hit means KaTeX (and V8) never
start at all, which keeps ``mkdocs serve`` rebuilds free of the ~0.2 s engine start-up.
The file is plain JSON, replaced atomically, and a damaged file only costs a re-render:
it never fails a build.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

# Bumped whenever the stored HTML changes for the same KaTeX version (2: search exclusion).
_FORMAT = 2

CacheKey = tuple[str, bool, str]


class MathCache:
    """TeX -> HTML memo, optionally persisted at ``path`` (``None`` keeps it in memory).

    ``warning`` is set (and the cache starts empty) when an existing file could not be read;
    the plugin should pass it on as a build warning. Entries of KaTeX versions other than the
    ones used since loading are dropped on :meth:`save`, so an upgrade does not leave stale
    HTML behind forever.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.warning: str | None = None
        self._entries: dict[CacheKey, str] = {}
        self._versions_used: set[str] = set()
        self._dirty = False
        self._lock = threading.Lock()
        if path is not None:
            self._load(path)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, display: bool, tex: str) -> str | None:
        self._versions_used.add(version)
        return self._entries.get((version, display, tex))

    def put(self, version: str, display: bool, tex: str, html: str) -> None:
        self._versions_used.add(version)
        key = (version, display, tex)
        if self._entries.get(key) != html:
            self._entries[key] = html
            self._dirty = True

    def save(self) -> None:
        """Write the file (tempfile in the same directory + ``os.replace``) if anything changed."""
        if self.path is None:
            return
        with self._lock:
            if self._versions_used:
                stale = [key for key in self._entries if key[0] not in self._versions_used]
                for key in stale:
                    del self._entries[key]
                self._dirty = self._dirty or bool(stale)
            if not self._dirty and self.path.exists():
                return
            records = [[v, d, t, h] for (v, d, t), h in self._entries.items()]
            payload = json.dumps({"format": _FORMAT, "entries": records}, ensure_ascii=False)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._dirty = False

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            self.warning = f"math cache {path} is unreadable ({exc}); starting with an empty cache"
            return
        try:
            self._entries = _parse(raw)
        except _OutdatedFormat:
            self._entries = {}  # written by an older release: stale, not damaged, so no warning
        except (ValueError, TypeError) as exc:
            self.warning = f"math cache {path} is corrupt ({exc}); starting with an empty cache"
            self._entries = {}


class _OutdatedFormat(Exception):
    pass


def _parse(raw: str) -> dict[CacheKey, str]:
    """Validate the whole file before trusting any of it."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise ValueError("not a math cache")
    if data["format"] != _FORMAT:
        if data["format"] < _FORMAT:
            raise _OutdatedFormat
        raise ValueError(f"format {data['format']} is newer than this release reads")
    records = data.get("entries")
    if not isinstance(records, list):
        raise ValueError("entries is not a list")
    entries: dict[CacheKey, str] = {}
    for record in records:
        if not (
            isinstance(record, list)
            and len(record) == 4
            and isinstance(record[0], str)
            and isinstance(record[1], bool)
            and isinstance(record[2], str)
            and isinstance(record[3], str)
        ):
            raise ValueError(f"malformed entry {record!r:.80}")
        entries[(record[0], record[1], record[2])] = record[3]
    return entries
