"""Imported by the fork server: run the parent's main script there once, not in every child.

It lives outside ``core`` on purpose: importing ``core`` imports the runner, which the main
script may import too; from here the main script can import all of ``core`` freely.

CPython (3.10-3.12) means to do this when ``"__main__"`` is preloaded, but looks the script up
under a key the parent never sends, so every child re-runs the main script instead. For the
``mkdocs`` console script that is an import of all of MkDocs, about 60 ms per page. The runner
passes the path in :data:`MAIN_PATH_VARIABLE`; children then find ``__main__`` already set up
and skip it. Any failure here only means children fall back to CPython's own behaviour.
"""

from __future__ import annotations

import contextlib
import os
import sys
from multiprocessing import process, spawn

MAIN_PATH_VARIABLE = "MKDOCS_INFOTHEORY_FORKSERVER_MAIN"

_path = os.environ.pop(MAIN_PATH_VARIABLE, "")
if _path and getattr(sys.modules.get("__main__"), "__file__", None) != _path:
    current = process.current_process()
    current._inheriting = True  # type: ignore[attr-defined]  # as CPython's preload does
    try:
        with contextlib.suppress(Exception):
            spawn.import_main_path(_path)
    finally:
        del current._inheriting  # type: ignore[attr-defined]
