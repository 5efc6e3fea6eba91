"""Notebook blocks (``/// notebook | analysis.ipynb``) for the hosts that render Markdown pages:
the block expanded (see :mod:`mkdocs_infotheory.notebooks.embed`), and a block that names no
readable notebook reported at its line in the author's file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import pages
from ..core.model import Diagnostic
from ..notebooks.convert import OutputsMode, Placeholder
from ..notebooks.embed import MARKER, Embedded, embed_notebooks

__all__ = ["MARKER", "Embedded", "block_expander", "expand_blocks"]


def expand_blocks(
    text: str,
    source: str | None,
    page_name: str,
    docs_dir: Path,
    root: Path,
    outputs: OutputsMode,
    placeholder: Placeholder,
) -> tuple[Embedded | None, list[Diagnostic]]:
    """``text`` (a page as the host handed it over; ``source`` the file it was read from) with
    its notebook blocks expanded, or None without any, and what to warn about."""
    embedded = embed_notebooks(
        text, docs_dir, outputs, placeholder, lambda p: pages.page_name(p, root)
    )
    if embedded is None or not embedded.problems:
        return embedded, []
    start = _first_line(source, text)
    return embedded, [
        Diagnostic("warning", page_name, start + line - 1, message)
        for line, message in embedded.problems
    ]


def _first_line(source: str | None, text: str) -> int:
    """The file line where ``text`` starts in ``source`` (hosts drop the front matter)."""
    if not source:
        return 1
    body = text.lstrip("\n")
    position = source.find(body[:500]) if body else -1
    if position < 0:
        return pages.body_start(source)
    return source.count("\n", 0, position) + 1 - (len(text) - len(body))


#: (page Markdown) -> (expanded Markdown, page line of each expanded line), or None.
Expander = Callable[[str], "tuple[str, list[int]] | None"]


def block_expander(
    page_name: str,
    start_line: int,
    docs_dir: Path,
    root: Path,
    outputs: OutputsMode,
    placeholder: Placeholder,
    report: Callable[[Diagnostic], None],
    then: Expander | None = None,
) -> Expander:
    """An expander (as :mod:`.mkdocs.snippets` takes) that expands a page's notebook blocks,
    then hands the result to ``then`` (the snippets expander, if any); ``report`` is told
    about blocks that name no readable notebook (``start_line``: the page's first line)."""

    def expand(text: str) -> tuple[str, list[int]] | None:
        embedded = embed_notebooks(
            text, docs_dir, outputs, placeholder, lambda p: pages.page_name(p, root)
        )
        if embedded is None:
            return then(text) if then is not None else None
        for line, message in embedded.problems:
            report(Diagnostic("warning", page_name, start_line + line - 1, message))
        inner = then(embedded.text) if then is not None else None
        if inner is None:
            return embedded.text, embedded.lines
        expanded, lines = inner
        return expanded, [embedded.lines[line - 1] for line in lines]

    return expand
