"""``console exec="on"``: a shell session. The ``$ `` (or ``% ``) lines run as one script;
the block shows them with their prompt and the output under them, as a terminal would."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext

PROMPTS = ("$ ", "% ")


def commands(code: str) -> str:
    """The commands of a session; other lines (output written under them) are blank, so a
    command keeps its line in the author's file."""
    return "\n".join(line[2:] if line[:2] in PROMPTS else "" for line in code.split("\n"))


def displayed(code: str) -> str:
    """The commands as shown: each behind the prompt the author wrote, written output dropped
    (the real output replaces it)."""
    return "\n".join(line for line in code.split("\n") if line[:2] in PROMPTS)


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    from ..kernel.shell import run_shell

    result.error = run_shell(commands(cell.code), context.cwd, cell.line, cell.options)


FORMATTER = Formatter(
    name="terminal",
    fence_names=("console",),
    highlight="console",
    execute=execute,
    default_source="console",
    displayed=displayed,
)
