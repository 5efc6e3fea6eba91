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


def run_bash(code: str, cwd: str, line: int) -> tuple[str, CellError | None]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    completed = subprocess.run(
        ["bash", "-c", code],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        check=False,
    )
    error = None
    if completed.returncode != 0:
        error = CellError(
            type="ShellError",
            message=f"bash exited with status {completed.returncode}",
            line=line,
            hint="the output above shows what the script printed before it failed",
        )
    return completed.stdout, error
