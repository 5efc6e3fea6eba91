"""Whether this machine can run page code, asked once before any page would start.

Why a check at start: each page runs in a process forked from a fork server (see
:mod:`.runner`). Windows has no ``fork``; without this check a build there would get as far as
the first page and die with a traceback from deep inside the runner. Instead the adapters ask
:func:`page_processes_problem` while reading their settings and stop with one configuration
error that names what works instead. Builds that run no page code (``freeze: true``,
``execute: false``) need no page processes and go ahead on any system.

Where pages can run, :func:`process_path` says how the fork server keeps what they start to
them (Linux's ``prctl`` and ``/proc``, or process groups and signals elsewhere); it is the one
place that reads the internal switch which forces the portable way for tests.

No host imports: the MkDocs plugin, ``pytest --infotheory`` and the Markdown extension all
reach it through ``hosts/mkdocs/settings.py``.
"""

from __future__ import annotations

import os
import sys

#: Internal (tests): pretend to be this platform, e.g. ``win32`` on Linux.
PLATFORM_VARIABLE = "_MKDOCS_INFOTHEORY_PLATFORM"
#: Internal (tests): ``1`` makes the fork server use the portable process path on Linux too,
#: so the path macOS takes is tested where the test suite runs (see :func:`process_path`).
PORTABLE_VARIABLE = "_MKDOCS_INFOTHEORY_PORTABLE_PROCESSES"


def can_fork() -> bool:
    """Whether page processes can start here: a ``fork`` and not Windows (or the platform
    the internal variable names)."""
    platform = os.environ.get(PLATFORM_VARIABLE, "").strip() or sys.platform
    return platform != "win32" and hasattr(os, "fork")


def process_path(prctl_found: bool, pid: int) -> str:
    """Which way the fork server keeps each page's processes to the page: ``"linux"`` when it
    has ``prctl`` (``prctl_found``) and /proc lists a process's children (checked for process
    ``pid``), else ``"portable"`` (process groups and signals: macOS, the BSDs, or any Linux
    when :data:`PORTABLE_VARIABLE` is set). Chosen by what the system can do rather than by
    its name, so a Linux without ``/proc/PID/task/TID/children`` is not trusted to have it.
    """
    if os.environ.get(PORTABLE_VARIABLE, "").strip() not in ("", "0"):
        return "portable"
    children = f"/proc/{pid}/task/{pid}/children"
    return "linux" if prctl_found and os.path.exists(children) else "portable"


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
