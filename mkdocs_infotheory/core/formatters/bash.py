"""``bash exec="on"``: a shell script run in the docs folder; a status other than
``returncode`` (0 unless the fence says) is an error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    from ..kernel.shell import run_shell

    result.error = run_shell(cell.code, context.cwd, cell.line, cell.options)


FORMATTER = Formatter(name="bash", fence_names=("sh", "shell"), execute=execute)
