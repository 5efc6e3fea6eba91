"""Executed results on disk, reused while nothing that can change them has changed.

A key covers: the page's executable code in order (every fence and inline expression, with
its language and session), the preamble, the plugin's version, the source of
``mkdocs_infotheory.compute``, and the content of the author's listed dependencies. Options that
only change how a result is *shown* (``source``, ``result``, ``caption``) are left out on
purpose: changing them re-renders without re-running.

Pages with any failure are never stored, so every build reports their errors again (and
``--strict`` keeps failing) until the author fixes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .model import Cell, CellResult

#: Bump when the stored format or the kernel's behaviour changes.
FORMAT = 1


def fingerprint_files(paths: Iterable[Path]) -> str:
    """Hash the contents of files (directories: every ``.py`` file below, in order)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            # Names relative to the listed path: moving the project or the venv keeps the cache.
            digest.update(file.relative_to(path).as_posix().encode() if file != path else b"")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"<missing>")
    return digest.hexdigest()


def page_key(cells: Sequence[Cell], environment: str) -> str:
    """The cache key of a page: its executable code plus everything else that feeds results.

    ``environment`` is the part shared by every page (version, preamble, compute source,
    dependencies, kernel settings), fingerprinted once per build.
    """
    payload = [FORMAT, environment]
    payload.extend([c.kind, c.language, c.options.session, c.code] for c in cells)
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


class ResultCache:
    """One JSON file per page key under ``directory``; writes are atomic."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.used: set[str] = set()
        self.problems: list[str] = []

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists (without reading it; :meth:`get` validates)."""
        return self._path(key).exists()

    def get(self, key: str, count: int) -> list[CellResult] | None:
        path = self._path(key)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != key or len(data["results"]) != count:
                raise ValueError("the entry does not match its key")
            results = [CellResult.from_json(item) for item in data["results"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"discarded unreadable cache entry {path}: {exc}")
            path.unlink(missing_ok=True)
            return None
        self.used.add(key)
        return results

    def put(self, key: str, results: Sequence[CellResult]) -> None:
        if any(result.failed or result.skipped for result in results):
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        data = {"key": key, "results": [result.to_json() for result in results]}
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(temporary, self._path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.used.add(key)

    def evict_unused(self) -> int:
        """Delete entries no page of this build asked for; returns how many."""
        removed = 0
        if not self.directory.is_dir():
            return 0
        for path in self.directory.iterdir():
            stale_temp = path.suffix == ".tmp"
            if stale_temp or (path.suffix == ".json" and path.stem not in self.used):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
