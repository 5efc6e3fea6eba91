"""``bash exec="on"``: a shell script run in the docs folder; a non-zero status is an error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    from ..kernel.shell import run_bash

    result.error = run_bash(cell.code, context.cwd, cell.line)


FORMATTER = Formatter(name="bash", fence_names=("sh", "shell"), execute=execute)
