"""``/// notebook | analysis.ipynb``: a notebook's cells in a Markdown page, on every host.

Why a block: Zensical renders only Markdown pages, so a notebook cannot be a page there; a line
in a Markdown page that stands for the notebook's converted Markdown (see :mod:`.convert`) gives
every host the same thing: its markdown cells rendered, its code cells run by the engine (or its
stored outputs shown), and one mkdocs.yml that builds on MkDocs and Zensical alike. The block
is expanded before the page is parsed, like a snippet, so its cells are the page's cells: a
message about one names the page at the block's line (``docs/post.md:12``).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .convert import NotebookError, OutputsMode, Placeholder, convert

#: ``/// notebook | PATH`` on a line of its own (PATH relative to the docs folder); a ``///``
#: line right after it, as pymdownx.blocks would close it, belongs to it.
_BLOCK = re.compile(r"^/// *notebook *\| *(?P<path>\S(?:.*\S)?) *$")
_CLOSE = re.compile(r"^/// *$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
MARKER = "/// notebook"


@dataclass(frozen=True, slots=True)
class Embedded:
    """A page with its notebook blocks expanded."""

    text: str
    #: For each line of :attr:`text`, the line (from 1) of the page it stands for.
    lines: list[int]
    #: Blocks that could not be expanded: (page line, what went wrong and what to do).
    problems: list[tuple[int, str]]


def embed_notebooks(
    text: str,
    docs_dir: Path,
    outputs: OutputsMode,
    placeholder: Placeholder,
    shown: Callable[[Path], str],
) -> Embedded | None:
    """``text`` with every notebook block replaced by the notebook's Markdown, or None when it
    has none. ``shown`` names a notebook file in messages (``docs/analysis.ipynb``)."""
    if MARKER not in text:
        return None
    rows = text.split("\n")
    out: list[str] = []
    lines: list[int] = []
    problems: list[tuple[int, str]] = []
    fence = ""
    index = 0
    while index < len(rows):
        row = rows[index]
        number = index + 1
        index += 1
        opening = _FENCE.match(row)
        if fence:
            closes = opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence)
            fence = "" if closes and not row.strip().strip(fence[0]) else fence
        elif opening:
            fence = opening[1]
        block = None if fence or opening else _BLOCK.match(row)
        if block is None:
            out.append(row)
            lines.append(number)
            continue
        if index < len(rows) and _CLOSE.match(rows[index]):
            index += 1
        try:
            markdown = _notebook(block["path"], docs_dir, outputs, placeholder, shown)
        except NotebookError as error:
            problems.append((number, str(error)))
            markdown = placeholder(_problem_box(str(error)), True)
        expanded = markdown.rstrip("\n").split("\n")
        out.extend(["", *expanded, ""])
        lines.extend([number] * (len(expanded) + 2))
    if len(out) == len(rows) and not problems and out == rows:
        return None
    return Embedded("\n".join(out), lines, problems)


def _notebook(
    path: str,
    docs_dir: Path,
    outputs: OutputsMode,
    placeholder: Placeholder,
    shown: Callable[[Path], str],
) -> str:
    root = docs_dir.resolve()
    file = (root / path).resolve()
    if not file.is_relative_to(root) or file.suffix != ".ipynb":
        raise NotebookError(
            f"notebook block: {path!r} must name a .ipynb file inside the docs folder "
            "(written relative to it, e.g. analysis.ipynb)"
        )
    try:
        source = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise NotebookError(
            f"notebook block: cannot read {shown(file)}: {error.strerror or error}"
        ) from None
    return convert(source, shown(file), outputs, placeholder).markdown


def _problem_box(message: str) -> str:
    return (
        '<div class="admonition failure infotheory-failure"><p class="admonition-title">'
        f"Notebook not shown</p><p>{html.escape(message)}</p></div>"
    )


class LockedPlaceholder:
    """A placeholder safe to call from several threads (the MkDocs plugin prepares pages from
    its early-start thread and from ``on_files``)."""

    def __init__(self, placeholder: Placeholder) -> None:
        self._placeholder = placeholder
        self._lock = threading.Lock()

    def __call__(self, html_text: str, block: bool) -> str:
        with self._lock:
            return self._placeholder(html_text, block)
