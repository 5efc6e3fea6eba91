"""Tell a rebuild the author caused from one the build's own fences caused.

A fence that writes a file into the docs folder (a CSV, a figure) makes a watching server
(``mkdocs serve``) rebuild; the rebuild runs the fence again, which writes again, and the
server never settles (failures are never cached, so a failing fence loops even with the cache
on). Hosts that watch files take a :class:`Snapshot` of what they watch when a build ends. If
nothing changed between that moment and the start of the next build, every change that
triggered it was made *during* the previous build, by its fences: the engine then reuses the
previous build's results (``Engine(reuse=...)``) instead of running the pages again, and the
host warns once, naming the files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


def _stat_tree(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for root in paths:
        if root.is_file():
            candidates: Iterable[tuple[str, list[str], list[str]]] = [
                (str(root.parent), [], [root.name])
            ]
        else:
            candidates = os.walk(root)
        for folder, _dirs, names in candidates:
            for name in names:
                path = os.path.join(folder, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue
                found[path] = (status.st_mtime_ns, status.st_size)
    return found


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Modification times and sizes of every file under some folders, at one moment."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def take(cls, paths: Iterable[Path]) -> Snapshot:
        return cls(_stat_tree(paths))

    def written_since(self, started_ns: int) -> list[str]:
        """Files last modified at or after ``started_ns`` (``time.time_ns()``)."""
        return sorted(path for path, (mtime, _size) in self.files.items() if mtime >= started_ns)
