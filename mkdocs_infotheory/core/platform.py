"""Whether this machine can run page code, asked once before any page would start.

Why a check at start: each page runs in a process forked from a fork server (see
:mod:`.runner`). Windows has no ``fork``; without this check a build there would get as far as
the first page and die with a traceback from deep inside the runner. Instead the adapters ask
:func:`page_processes_problem` while reading their settings and stop with one configuration
error that names what works instead. Builds that run no page code (``freeze: true``,
``execute: false``) need no page processes and go ahead on any system.

No host imports: the MkDocs plugin, ``pytest --infotheory`` and the Markdown extension all
reach it through ``hosts/mkdocs/settings.py``.
"""

from __future__ import annotations

import os
import sys

#: Internal (tests): pretend to be this platform, e.g. ``win32`` on Linux.
PLATFORM_VARIABLE = "_MKDOCS_INFOTHEORY_PLATFORM"


def can_fork() -> bool:
    """Whether page processes can start here: a ``fork`` and not Windows (or the platform
    the internal variable names)."""
    platform = os.environ.get(PLATFORM_VARIABLE, "").strip() or sys.platform
    return platform != "win32" and hasattr(os, "fork")


def page_processes_problem(execute: bool, freeze: str) -> str | None:
    """Why this build cannot run its pages' code here, with what to do instead; None when it
    can (or will run no code at all)."""
    if not execute or freeze == "true" or can_fork():
        return None
    return (
        "infotheory: running page code needs fork(), which Windows does not have, so this "
        "build cannot execute its pages here. Build in WSL (Windows Subsystem for Linux), "
        "where everything works; or publish results frozen elsewhere with `freeze: true` "
        "(or MKDOCS_INFOTHEORY_FREEZE=true); or build without running code with "
        "`execute: false` (or MKDOCS_INFOTHEORY_EXECUTE=false)"
    )
