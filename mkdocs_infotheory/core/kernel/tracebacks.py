"""Turn an exception raised by author code into a :class:`CellError` about the author's file.

Cells are compiled with the Markdown file as their filename and padded so that line numbers
are the file's own; what is left is to drop the frames of this kernel, which mean nothing to
an author, and to find the line of the failing statement.
"""

from __future__ import annotations

import builtins
import difflib
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from ..model import CellError

_INTERNAL = str(Path(__file__).resolve().parent.parent)


def _is_internal(filename: str) -> bool:
    return filename.startswith(_INTERNAL)


def _prune(te: traceback.TracebackException) -> None:
    te.stack = traceback.StackSummary.from_list(
        [frame for frame in te.stack if not _is_internal(frame.filename)]
    )
    for linked in (te.__cause__, te.__context__):
        if linked is not None:
            _prune(linked)


def _hint(exc: BaseException) -> str:
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == "matplotlib":
        return "figures need matplotlib: pip install 'mkdocs-infotheory[plot]'"
    if isinstance(exc, SystemExit):
        return "a fence cannot end the build; raise an exception or remove the exit"
    if isinstance(exc, MemoryError):
        return "the fence ran out of memory; compute on smaller arrays"
    return ""


def _did_you_mean(exc: BaseException, te: traceback.TracebackException) -> str:
    """Python's "Did you mean: 'x'?" for a mistyped name or attribute, or "".

    The interpreter prints it, but ``str(exc)`` lacks it, and before Python 3.12 so does the
    traceback module; there the closest name is looked up the same way (frame namespace or
    the object's attributes).
    """
    if not isinstance(exc, (NameError, AttributeError)):
        return ""
    shown = "".join(te.format_exception_only()).strip()
    if ". Did you mean: " in shown:
        return "Did you mean: " + shown.rsplit(". Did you mean: ", 1)[1]
    name = getattr(exc, "name", None)
    if not isinstance(name, str) or not name:
        return ""
    candidates: Iterable[str]
    if isinstance(exc, AttributeError):
        candidates = dir(getattr(exc, "obj", None)) if hasattr(exc, "obj") else ()
    else:
        tb = exc.__traceback__
        if tb is None:
            return ""
        while tb.tb_next is not None:
            tb = tb.tb_next
        frame = tb.tb_frame
        candidates = [*frame.f_locals, *frame.f_globals, *dir(builtins)]
    public = [c for c in set(candidates) if name.startswith("_") or not c.startswith("_")]
    match = difflib.get_close_matches(name, public, n=1, cutoff=0.75)
    return f"Did you mean: {match[0]!r}?" if match else ""


def safe_text(value: object, describe: Callable[[object], str] = str) -> str | None:
    """``str(value)`` (or ``repr``), or None when the author's ``__str__`` itself fails."""
    try:
        return describe(value)
    except BaseException:
        return None


def _unshowable(exc: BaseException) -> str:
    try:
        str(exc)
    except BaseException as inner:
        reason = safe_text(inner) or ""
        return f"{type(inner).__name__}: {reason}" if reason else type(inner).__name__
    return "unknown reason"


def cell_error(exc: BaseException, filename: str, fallback_line: int) -> CellError:
    """Describe ``exc`` for the author: type, message, file line, pruned traceback.

    Never raises: an exception whose ``__str__`` (or anything else) fails is still reported by
    its type at its line."""
    try:
        return _cell_error(exc, filename, fallback_line)
    except BaseException:
        return CellError(
            type=type(exc).__name__,
            message="",
            line=fallback_line,
            hint="its details could not be shown",
        )


def _cell_error(exc: BaseException, filename: str, fallback_line: int) -> CellError:
    te = traceback.TracebackException.from_exception(exc)
    _prune(te)
    line = fallback_line
    if isinstance(exc, SyntaxError) and exc.filename == filename and exc.lineno:
        line = exc.lineno
    else:
        for frame in te.stack:
            if frame.filename == filename and frame.lineno:
                line = frame.lineno
    hint = _hint(exc)
    if isinstance(exc, SystemExit):
        message = f"sys.exit({safe_text(exc.code, repr) or '...'}) was called"
    elif isinstance(exc, SyntaxError):
        message = str(exc.msg)
    else:
        shown = safe_text(exc)
        message = shown if shown is not None else ""
        if shown is None:
            hint = f"its message could not be shown: {_unshowable(exc)}"
        else:
            suggestion = safe_text(None, lambda _: _did_you_mean(exc, te))
            if suggestion:
                message = f"{message}. {suggestion}"
    return CellError(
        type=type(exc).__name__,
        message=str(message),
        line=line,
        traceback="".join(te.format()).rstrip("\n"),
        hint=hint,
    )
