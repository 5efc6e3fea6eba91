"""``python exec="on"``: the code runs in the page's namespace; what it prints is the output."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    exec(context.compile_at(cell.code, cell.line, "exec"), context.namespace())


FORMATTER = Formatter(name="python", fence_names=("py", "python3"), execute=execute)
