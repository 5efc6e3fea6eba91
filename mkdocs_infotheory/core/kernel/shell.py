"""Run a ``bash exec="on"`` fence.

The script runs in the docs directory with the build's Python first on ``PATH``, so a snippet
calling ``python`` uses the same interpreter and packages as the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..model import CellError


def run_bash(code: str, cwd: str, line: int) -> CellError | None:
    """Run ``code`` with bash; it writes to the cell's own standard output and error (the
    kernel captures them), so the script's output reaches the page in order."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    completed = subprocess.run(
        ["bash", "-c", code], cwd=cwd, env=env, stdin=subprocess.DEVNULL, check=False
    )
    if completed.returncode == 0:
        return None
    return CellError(
        type="ShellError",
        message=f"bash exited with status {completed.returncode}",
        line=line,
        hint="the output above shows what the script printed before it failed",
    )
