"""Run a ``bash exec="on"`` (or ``console``) fence.

The script runs in the docs directory with the build's Python first on ``PATH``, so a snippet
calling ``python`` uses the same interpreter and packages as the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import CellError

if TYPE_CHECKING:
    from ..model import FenceOptions


def run_shell(code: str, cwd: str, line: int, options: FenceOptions) -> CellError | None:
    """Run ``code`` with bash; it writes to the cell's own standard output and error (the
    kernel captures them), so the script's output reaches the page in order.

    ``options.returncode`` is the status the author expects (markdown-exec's meaning: a
    fence showing a failing command says so); ``workdir`` and ``width`` are markdown-exec's
    working folder (relative to the docs folder) and ``COLUMNS``.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if options.width:
        env["COLUMNS"] = str(options.width)
    folder = Path(cwd, options.workdir) if options.workdir else Path(cwd)
    if not folder.is_dir():
        return CellError(
            type="WorkdirError",
            message=f"workdir={options.workdir!r} is not a folder (read from {cwd})",
            line=line,
            hint="workdir is relative to the docs folder",
        )
    completed = subprocess.run(
        ["bash", "-c", code], cwd=folder, env=env, stdin=subprocess.DEVNULL, check=False
    )
    if completed.returncode == options.returncode:
        return None
    expected = f" (expected {options.returncode})" if options.returncode else ""
    return CellError(
        type="ShellError",
        message=f"bash exited with status {completed.returncode}{expected}",
        line=line,
        hint=(
            "the output above shows what the script printed before it failed; "
            'if that status is the point of the example, write returncode="'
            f'{completed.returncode}" on the fence'
        ),
    )
