"""Resolve the author's ``dependencies`` option: files, folders or importable modules.

Their contents are part of every cache key, and ``mkdocs serve`` watches them, so editing a
helper module re-runs the pages and reloads the browser.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path


def resolve_dependencies(items: Iterable[str], base: Path) -> tuple[list[Path], list[str]]:
    """Return the paths behind ``items`` and a message for each item that resolves to nothing.

    A path relative to ``base`` (the folder of mkdocs.yml) wins; otherwise the item is looked up
    as a module name without importing it.
    """
    paths: list[Path] = []
    problems: list[str] = []
    for item in items:
        candidate = (base / item).resolve()
        if candidate.exists():
            paths.append(candidate)
            continue
        try:
            spec = importlib.util.find_spec(item)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            paths.extend(Path(p) for p in spec.submodule_search_locations)
        elif spec is not None and spec.origin and Path(spec.origin).exists():
            paths.append(Path(spec.origin))
        else:
            problems.append(
                f"dependency {item!r} is neither a file under {base} nor an importable module"
            )
    return paths, problems
