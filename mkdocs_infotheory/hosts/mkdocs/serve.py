"""``mkdocs serve``: what to watch, and the guard against a rebuild loop.

A fence that writes a file into the docs folder (or a listed dependency) makes ``mkdocs serve``
rebuild, the rebuild runs the fence again, which writes again: forever. The guard compares the
watched folders with how the last build left them: when nothing changed but what the last
build's own fences wrote, the rebuild reuses the last build's results instead of running the
pages again, and says which files caused it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ...core import Engine
from ...core.model import CellResult
from ...pages import page_name
from .logs import plugin_logger

if TYPE_CHECKING:  # only `mkdocs serve` needs them: a `mkdocs build` does not import them
    from mkdocs.livereload import LiveReloadServer

    from ...core.writes import Snapshot

log = plugin_logger()


def watch(server: LiveReloadServer, paths: Iterable[Path], if_present: Iterable[Path]) -> None:
    """Rebuild when one of ``paths``, or of ``if_present`` that exists, changes.

    A change in compute or a listed dependency changes the cache keys of the pages that run
    code, so the rebuild re-runs exactly those; watching makes the rebuild happen.
    """
    for path in set(paths):
        server.watch(str(path))
    for path in if_present:  # bibliographies and a style outside docs/
        if path.exists():
            server.watch(str(path))


class ServeGuard:
    """What the watched folders looked like when the last build ended, when this build
    started, and the last build's results (see :mod:`mkdocs_infotheory.core.writes`)."""

    def __init__(self) -> None:
        self.serving = False
        self._watched: list[Path] = []
        self._after_last_build: Snapshot | None = None
        self._build_started_ns = 0
        self._last_build_started_ns = 0
        self._last_results: dict[str, list[CellResult]] = {}

    def echo_of_last_build(
        self, watched: list[Path], project_dir: Path
    ) -> dict[str, list[CellResult]] | None:
        """Under `mkdocs serve`: the last build's results when nothing it watches (``watched``:
        docs folder, `watch:` entries, mkdocs.yml, the dependencies) changed since it ended,
        i.e. this rebuild was caused only by files its own fences wrote (they would write
        again and rebuild forever); None otherwise."""
        if not self.serving:
            return None
        self._watched = watched
        from ...core.writes import Snapshot

        previous = self._after_last_build
        self._build_started_ns = time.time_ns()
        if previous is None or Snapshot.take(self._watched) != previous:
            return None
        written = previous.written_since(self._last_build_started_ns)
        if written:
            names = ", ".join(page_name(p, project_dir, str(p)) for p in written)
            log.warning(
                "%s changed while the last build ran (written by a fence?), which made "
                "`mkdocs serve` rebuild; the pages were not run again, so it does not loop. "
                "Write such files outside the docs folder and the listed dependencies.",
                names,
            )
        return self._last_results

    def remember(self, engine: Engine) -> None:
        """The build ended: how the watched folders look now, and its results."""
        if self.serving:
            from ...core.writes import Snapshot

            self._after_last_build = Snapshot.take(self._watched)
            self._last_build_started_ns = self._build_started_ns
            self._last_results = engine.memory
