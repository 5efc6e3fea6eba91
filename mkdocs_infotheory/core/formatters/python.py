"""``python exec="on"``: the code runs in the page's namespace; what it prints is the output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


@contextmanager
def surroundings(cell: Cell, cwd: str) -> Iterator[None]:
    """markdown-exec's ``workdir`` (relative to the docs folder) and ``width`` (``COLUMNS``)
    for the time the fence runs; the page's process runs one fence at a time, so changing
    them is local to it."""
    options = cell.options
    if not options.workdir and not options.width:
        yield
        return
    folder, columns = os.getcwd(), os.environ.get("COLUMNS")
    try:
        if options.workdir:
            os.chdir(os.path.join(cwd, options.workdir))
        if options.width:
            os.environ["COLUMNS"] = str(options.width)
        yield
    finally:
        os.chdir(folder)
        if options.width:
            if columns is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = columns


def execute(cell: Cell, context: ExecutionContext, result: CellResult) -> None:
    with surroundings(cell, context.cwd):
        exec(context.compile_at(cell.code, cell.line, "exec"), context.namespace())


FORMATTER = Formatter(name="python", fence_names=("py", "python3"), execute=execute)
