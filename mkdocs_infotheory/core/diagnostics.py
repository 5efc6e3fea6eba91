"""What to tell the author about a processed page: one :class:`.Diagnostic` per problem, at
the line in the author's file, in line order."""

from __future__ import annotations

from collections.abc import Sequence

from .displayed import display_problems
from .model import CellResult, Diagnostic
from .prepared import PreparedPage
from .results import EXECUTION_OFF


def page_diagnostics(
    page: PreparedPage, results: Sequence[CellResult], max_output: int, freezing: bool
) -> list[Diagnostic]:
    """The warnings and notes for ``page`` given its ``results`` (``freezing``: the build has
    a frozen-results store, whose "not frozen" notes become one warning per page)."""
    filename, parsed = page.filename, page.parsed
    found: list[Diagnostic] = [
        Diagnostic("warning", filename, p.line, f"invalid fence: {p.message}")
        for p in parsed.problems
    ]
    found.extend(
        Diagnostic("warning", filename, p.line, f"invalid fence: {p.message}")
        for p in parsed.plain
        if p.message
    )
    for cell, result in zip(parsed.cells, results, strict=True):
        if result.error is not None:
            error = result.error
            detail = error.traceback.rstrip()
            detail += f"\nHint: {error.hint}" if detail and error.hint else ""
            found.append(Diagnostic("warning", filename, error.line, error.summary(), detail))
        for mismatch in result.mismatches:
            found.append(
                Diagnostic(
                    "warning",
                    filename,
                    mismatch.line,
                    f"doctest output differs for `{mismatch.source}`: expected "
                    f"{mismatch.expected.strip()!r}, got {mismatch.got.strip()!r}",
                    f"Expected:\n{_indented(mismatch.expected)}\nGot:\n{_indented(mismatch.got)}",
                )
            )
        if result.truncated:
            what = "inline value" if cell.kind == "inline" else "output"
            found.append(
                Diagnostic(
                    "warning",
                    filename,
                    cell.line,
                    f"{what} truncated to max_output={max_output} characters",
                )
            )
        found.extend(display_problems(cell, result, filename))
        if result.skipped == EXECUTION_OFF and cell.index == 0:
            found.append(Diagnostic("info", filename, cell.line, EXECUTION_OFF))
        if result.skipped and freezing:
            from .freeze import NOT_FROZEN  # notes only frozen results write

            if result.skipped.startswith(NOT_FROZEN) and not any(
                d.message.startswith(NOT_FROZEN) for d in found
            ):
                found.append(Diagnostic("warning", filename, cell.line, result.skipped))
    found.sort(key=lambda d: d.line)
    return found


def _indented(text: str) -> str:
    """Doc-test output set off by four spaces (``<nothing>`` when empty), as doctest does."""
    lines = text.rstrip("\n").split("\n") if text.strip() else ["<nothing>"]
    return "\n".join(f"    {line}" for line in lines)
