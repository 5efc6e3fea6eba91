"""``pycon exec="on"`` as markdown-exec runs it (``compat: markdown-exec``): the ``>>>`` and
``...`` lines run as one script and what it prints is the output, as for a ``python`` fence;
written outputs are not compared. With ``interactive="yes"`` each example is shown with what
it printed or returned, the transcript a Python prompt would show, still without comparing."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..escape import code_fence
from . import Formatter
from .python import surroundings

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext

_PROMPTS = (">>> ", "... ")


def script(code: str) -> str:
    """The examples' code; every other line blank, so each keeps its line in the file."""
    return "\n".join(line[4:] if line.startswith(_PROMPTS) else "" for line in code.split("\n"))


def displayed(code: str) -> str:
    """The examples as written, without their written output."""
    return "\n".join(line for line in code.split("\n") if line.startswith(_PROMPTS))


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    with surroundings(cell, context.cwd):
        if cell.options.interactive:
            from ..kernel.doctests import run_examples

            transcript, _ = run_examples(
                cell.code, cell.line, context.compile_at, context.namespace()
            )
            sys.stdout.write(transcript)
        else:
            exec(context.compile_at(script(cell.code), cell.line, "exec"), context.namespace())


def text_output(cell: Cell, result: CellResult) -> list[str] | None:
    if not cell.options.interactive:
        return None
    return [code_fence(result.output, "pycon")] if result.output else []


FORMATTER = Formatter(
    name="pycon_script",
    fence_names=(),
    execute=execute,
    highlight="pycon",
    displayed=displayed,
    text_output=text_output,
)
