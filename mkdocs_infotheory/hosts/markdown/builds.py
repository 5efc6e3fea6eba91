"""One build per distinct settings in a process: its engine, its math cache, its messages.

A site host (Zensical) makes a new ``Markdown`` and a new extension for every page, in one
process; what the pages of a build share must outlive each extension. This module owns that
state: :data:`_BUILDS` (shared by every extension of the process, because the host gives them
nothing else in common) and the one ``atexit`` hook that ends every build: it closes the
engines, saves the math caches, then hands the builds to each host's end-of-build report.

Process-wide state, on purpose, because the host gives the extensions nothing else in common:
the builds (``_BUILDS``), the end-of-build reports (``_ENDINGS``) and :data:`LOCK`. Each
:class:`Build` owns its engine (closed once, at exit) and math cache; nothing else is kept.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...core import Diagnostic, Engine, EngineSettings


@dataclass(slots=True)
class Build:
    """What every page of one build shares (mutable: pages add to it as they render)."""

    engine: Engine
    math_cache: Any
    fail_on_error: bool = False
    #: Build-wide messages (the settings, the math cache): reported once, counted by
    #: ``--strict``, never remembered for a page.
    notices: list[Diagnostic] = field(default_factory=list)
    #: Why KaTeX could not start in this process (reported once; pages keep their TeX).
    math_refused: str | None = None
    #: The site host's state for this build (Zensical: failures, rendered pages, labels).
    site: Any = None


_BUILDS: dict[EngineSettings, Build] = {}
_ENDINGS: list[Callable[[list[Build]], None]] = []
#: Guards the registries of this module and what pages of one build share.
LOCK = threading.RLock()


def build_for(settings: EngineSettings, make: Callable[[], Build]) -> tuple[Build, bool]:
    """The build for ``settings`` (made by ``make`` on first use; True when it was)."""
    with LOCK:
        build = _BUILDS.get(settings)
        if build is not None:
            return build, False
        build = make()
        _BUILDS[settings] = build
        if len(_BUILDS) == 1:
            atexit.register(_end_builds)
        return build, True


def at_end(report: Callable[[list[Build]], None]) -> None:
    """Call ``report`` with every build when the process ends (once per ``report``)."""
    with LOCK:
        if report not in _ENDINGS:
            _ENDINGS.append(report)


def _end_builds() -> None:
    builds = list(_BUILDS.values())
    for build in builds:
        build.engine.close()
        if build.math_cache is not None:
            build.math_cache.save()
    for report in list(_ENDINGS):
        report(builds)
