"""``pycon exec="on"``: doc-tests. The ``>>>`` examples run, the transcript with their real
output is shown instead of the source, and written outputs that differ are reported.

A fence with no written output at all (only ``>>>`` and ``...`` lines, as markdown-exec's
pages write them) has nothing to compare: it is a transcript to show, not a doc-test."""

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

    transcript, mismatches = run_examples(
        cell.code, cell.line, context.compile_at, context.namespace()
    )
    result.mismatches = mismatches if writes_outputs(cell.code) else []
    sys.stdout.write(transcript)


def writes_outputs(code: str) -> bool:
    """Whether any line besides the examples' own says what they should print."""
    return any(
        line.strip() and not line.lstrip().startswith((">>>", "...")) for line in code.split("\n")
    )


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
    variants=(("markdown-exec", "pycon_script"),),
)
