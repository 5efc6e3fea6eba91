"""``pycon exec="on"``: doc-tests. The ``>>>`` examples run, the transcript with their real
output is shown instead of the source, and written outputs that differ are reported."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..escape import code_fence
from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    from ..kernel.doctests import run_examples

    transcript, result.mismatches = run_examples(
        cell.code, cell.line, context.compile_at, context.namespace()
    )
    sys.stdout.write(transcript)


def text_output(cell: Cell, result: CellResult) -> list[str]:
    if cell.options.source == "none" or not result.output:
        return []
    return [code_fence(result.output, "pycon")]


FORMATTER = Formatter(
    name="pycon",
    fence_names=(),
    execute=execute,
    shows_source=False,
    text_output=text_output,
)
