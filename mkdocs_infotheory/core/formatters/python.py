"""``python exec="on"``: the code runs in the page's namespace; what it prints is the output,
and the value of its last expression is displayed, as in Jupyter (not when the fence ends
with ``;``, not when the value is None)."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import Formatter

if TYPE_CHECKING:
    from ..model import Cell, CellResult
    from . import ExecutionContext


def _last_expression(tree: ast.Module, padded: str) -> tuple[ast.Module, ast.Expr] | None:
    """The fence (``tree``, parsed from ``padded``) split into its statements and its last
    expression statement, when it ends with one not followed by ``;``."""
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    last = tree.body[-1]
    rows = padded.split("\n")
    end_row = (last.end_lineno or 1) - 1
    rest = rows[end_row].encode("utf-8")[last.end_col_offset or 0 :].decode("utf-8", "replace")
    if rest.lstrip().startswith(";"):
        return None
    return ast.Module(body=tree.body[:-1], type_ignores=[]), last


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
    # Parsed once, with the author's line numbers (padded as ExecutionContext.compile_at pads
    # it) and file name; then compiled, as a whole or as statements and last expression,
    # before any of it runs: a syntax error is reported here, with nothing run.
    padded = "\n" * (cell.line - 1) + cell.code
    filename = context.filename
    tree = compile(padded, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    split = _last_expression(tree, padded)
    if split is None:
        whole = compile(tree, filename, "exec", dont_inherit=True)
    else:
        body = compile(split[0], filename, "exec", dont_inherit=True)
        last = compile(ast.Expression(body=split[1].value), filename, "eval", dont_inherit=True)
    namespace = context.namespace()
    with surroundings(cell, context.cwd):
        if split is None:
            exec(whole, namespace)
            return
        exec(body, namespace)
        value: Any = eval(last, namespace)
    from ..kernel.display import show_last

    show_last(value)


FORMATTER = Formatter(name="python", fence_names=("py", "python3"), execute=execute)
