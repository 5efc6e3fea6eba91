"""``md exec="on"`` (markdown-exec's literate Markdown): the fence's text is its output,
rendered as Markdown with the page's extensions; shown beside its source it documents syntax.
Executable fences inside it run as the page's own (see ``parse._add_nested``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    sys.stdout.write(cell.code)


FORMATTER = Formatter(
    name="md", fence_names=("markdown",), execute=execute, default_result="markdown", nests=True
)
