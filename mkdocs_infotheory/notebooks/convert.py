"""A Jupyter notebook as the Markdown page every host already builds.

Why convert rather than render a notebook ourselves: as Markdown, a notebook gets everything a
page gets, with no second implementation: its code cells become executable fences (the same
engine runs them, with its cache, timeouts, isolation, freeze and ``pytest --infotheory``), its
markdown cells go through the site's own Markdown extensions (math, references, macros).

Messages name ``docs/NAME.ipynb:cell N, line L``: the engine counts lines of the converted
Markdown, and :class:`Notebook` maps them back (:meth:`Notebook.where`, :meth:`relocate`).
No host imports here; the hosts decide when a notebook is a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..core.escape import code_fence
from ..core.model import Diagnostic
from .cells import markdown_cell
from .sanitize import sanitize_output, text_block

#: ``rerun``: code cells run at build time, stored outputs are ignored; ``stored``: the outputs
#: saved in the notebook are shown (sanitised) and nothing runs.
OutputsMode = Literal["rerun", "stored"]
OUTPUTS_MODES: tuple[OutputsMode, ...] = ("rerun", "stored")
SUFFIX = ".ipynb"
INSTALL = "pip install 'mkdocs-infotheory[notebooks]'"

#: (html, is_block) -> text standing for that HTML in the Markdown (core.render's Placeholder).
Placeholder = Callable[[str, bool], str]

#: Stored outputs' types, best first (what Jupyter shows when an output has several).
_PREFERRED = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain")
#: Cell tags (Jupyter Book's and nbconvert's) that hide part of a cell.
_HIDE_SOURCE = frozenset({"remove-input", "hide-input", "remove_input", "hide_input"})
_HIDE_OUTPUT = frozenset({"remove-output", "hide-output", "remove_output", "hide_output"})
_HIDE_CELL = frozenset({"remove-cell", "remove_cell", "hide-cell"})
#: ``%matplotlib inline``: what the build does anyway (figures are captured), so it is dropped.
#: A cell magic's line (``%%latex``) and the cell's body after it.
_CELL_MAGIC = re.compile(r"%%(?P<name>\w+)[^\n]*\n(?P<body>.*)", re.DOTALL)
_MATPLOTLIB_MAGIC = re.compile(r"^[ \t]*%matplotlib\b.*$", re.MULTILINE)


class NotebookError(Exception):
    """The notebook cannot be read; the message names the file and what to do."""


class ReaderMissing(NotebookError):
    """nbformat is not installed: no notebook of the site can be read."""


@dataclass(frozen=True, slots=True)
class Notebook:
    """A notebook converted to Markdown, and where each line of that Markdown came from."""

    #: How messages name the notebook, e.g. ``docs/analysis.ipynb``.
    name: str
    markdown: str
    #: For each line of :attr:`markdown`: (cell number from 1, line in the cell from 1; 0 for
    #: a line the conversion wrote, e.g. a fence).
    lines: tuple[tuple[int, int], ...]

    def where(self, line: int) -> str:
        """``cell N, line L`` for line ``line`` (from 1) of the Markdown."""
        if not self.lines:
            return "cell 1"
        cell, within = self.lines[min(max(line, 1), len(self.lines)) - 1]
        return f"cell {cell}, line {within}" if within else f"cell {cell}"

    def relocate(self, text: str, escaped: bool = False) -> str:
        """``text`` (a message, a traceback, a rendered error box) with every
        ``NAME:LINE`` and ``"NAME", line LINE`` in the Markdown's lines given as cell and
        line. ``escaped``: ``text`` is HTML (its quotes are ``&quot;``)."""
        quote = "&quot;" if escaped else '"'
        name = re.escape(self.name)
        pattern = re.compile(rf"{name}(?::(\d+)|{quote}, line (\d+))")

        def replace(match: re.Match[str]) -> str:
            if match[1]:
                return f"{self.name}:{self.where(int(match[1]))}"
            return f"{self.name}{quote}, {self.where(int(match[2]))}"

        return pattern.sub(replace, text) if self.name in text else text

    def locate(self, diagnostic: Diagnostic) -> Diagnostic:
        """The diagnostic as the author reads it: ``docs/NAME.ipynb:cell N, line L: ...``."""
        return NotebookDiagnostic(
            diagnostic.level,
            diagnostic.path,
            diagnostic.line,
            self.relocate(diagnostic.message),
            self.relocate(diagnostic.detail),
            self.where(diagnostic.line),
        )


@dataclass(frozen=True, slots=True)
class NotebookDiagnostic(Diagnostic):
    """A :class:`Diagnostic` in a notebook: ``line`` is the converted page's (for ordering),
    ``where`` what the author looks for (``cell 3, line 2``)."""

    where: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.where}: {self.message}"


def read_notebook(text: str, name: str) -> Any:
    """The notebook in ``text`` (JSON), read with nbformat as version 4."""
    try:
        import nbformat
    except ImportError:
        raise ReaderMissing(
            f"{name} is a Jupyter notebook, and reading notebooks needs nbformat: {INSTALL} "
            f"(or move {name} out of the docs folder)"
        ) from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises JSON, validation and version errors alike
        raise NotebookError(
            f"{name} is not a notebook nbformat can read ({type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else 'no details'}); it is copied "
            "to the site as a file. Open and save it in Jupyter to repair it."
        ) from None


def convert(text: str, name: str, outputs: OutputsMode, placeholder: Placeholder) -> Notebook:
    """The notebook in ``text`` as Markdown. ``placeholder`` stands for the HTML of stored
    outputs (``outputs="stored"``), which must not go through Markdown."""
    notebook = read_notebook(text, name)
    language = _language(notebook.get("metadata", {}))
    writer = _Writer()
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        kind = cell.get("cell_type")
        source = _text(cell.get("source", ""))
        if kind == "markdown":
            attachments = cell.get("attachments") or {}
            text, lines = markdown_cell(source, attachments, placeholder)
            writer.add(number, text, lines)
        elif kind == "code":
            _code_cell(writer, number, cell, source, language, outputs, placeholder)
        elif kind == "raw":
            _raw_cell(writer, number, cell, source)
    return Notebook(name, writer.markdown(), tuple(writer.lines))


def _code_cell(
    writer: _Writer,
    number: int,
    cell: Mapping[str, Any],
    source: str,
    language: str,
    outputs: OutputsMode,
    placeholder: Placeholder,
) -> None:
    source = source.rstrip()
    if not source:
        return
    tags = set(cell.get("metadata", {}).get("tags", []) or [])
    hide_cell = bool(tags & _HIDE_CELL)
    show_source = not (hide_cell or tags & _HIDE_SOURCE)
    show_output = not (hide_cell or tags & _HIDE_OUTPUT)
    magic = _CELL_MAGIC.match(source)
    if magic and language == "python" and _magic_cell(writer, number, magic, outputs, placeholder):
        return
    if outputs == "rerun" and language == "python":
        code = _MATPLOTLIB_MAGIC.sub(lambda m: "# " + m.group(0).lstrip(), source)
        options = [] if show_source else ['source="none"']
        options += [] if show_output else ['result="none"']
        fence = code_fence(code, "python", " ".join(['exec="on"', *options]))
        writer.add(number, fence, _fenced(code))
        return
    if show_source:
        writer.add(number, code_fence(source, language), _fenced(source))
    if outputs == "stored" and show_output:
        for output in cell.get("outputs", []) or []:
            shown = _stored_output(output)
            if shown:
                writer.add(number, placeholder(shown, True), [0])


def _magic_cell(
    writer: _Writer,
    number: int,
    magic: re.Match[str],
    outputs: OutputsMode,
    placeholder: Placeholder,
) -> bool:
    """The cell magics that say what the cell is rather than how to run Python: ``%%latex``
    and ``%%markdown`` cells are shown as what they render to, ``%%html`` as the author's
    HTML, ``%%bash``/``%%sh`` run as a bash fence. False for any other magic."""
    name, body = magic["name"], magic["body"]
    if name in ("latex", "markdown"):
        if name == "latex" and "$" not in body and "\\begin{" not in body:
            body = f"$${body}$$"
        text, lines = markdown_cell(body, {}, placeholder)
        writer.add(number, text, [line + 1 for line in lines])
    elif name == "html":
        writer.add(number, body, list(range(2, body.count("\n") + 3)))
    elif name in ("bash", "sh") and outputs == "rerun":
        fence = code_fence(body, "bash", 'exec="on"')
        writer.add(number, fence, [line and line + 1 for line in _fenced(body)])
    else:
        return False
    return True


def _stored_output(output: Mapping[str, Any]) -> str | None:
    """Safe HTML for one stored output (see :mod:`.sanitize`), None for nothing to show."""
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text", ""))
        name = "infotheory-stderr" if output.get("name") == "stderr" else "infotheory-output"
        return text_block(text, name) if text else None
    if kind == "error":
        lines = output.get("traceback") or [f"{output.get('ename')}: {output.get('evalue')}"]
        return text_block("\n".join(map(str, lines)), "infotheory-error-output")
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {}) or {}
        for mime in _PREFERRED:
            if mime in data:
                shown = sanitize_output(mime, _text(data[mime]))
                if shown:
                    return shown
    return None


def _raw_cell(writer: _Writer, number: int, cell: Mapping[str, Any], source: str) -> None:
    """Raw cells are for a converter: HTML and Markdown ones are the author's page content;
    the rest (LaTeX, reST...) belong to other formats and are left out."""
    metadata = cell.get("metadata", {})
    mime = str(metadata.get("format") or metadata.get("raw_mimetype") or "").lower()
    if mime in ("text/html", "html", "text/markdown", "markdown", "md"):
        writer.add(number, source, list(range(1, source.count("\n") + 2)))


def _language(metadata: Mapping[str, Any]) -> str:
    """The notebook's language (its kernel's), lower case; ``python`` when it does not say."""
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    return str(info.get("name") or kernel.get("language") or "python").lower()


def _text(value: object) -> str:
    """A notebook string field (a string, or a list of lines in older files)."""
    text = "".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _fenced(code: str) -> list[int]:
    """The cell lines of ``code`` in a fence: the fence lines are the conversion's (0)."""
    return [0, *range(1, code.rstrip("\n").count("\n") + 2), 0]


class _Writer:
    """Builds the Markdown and its line map, cell by cell, each a block of its own."""

    def __init__(self) -> None:
        self._blocks: list[str] = []
        self.lines: list[tuple[int, int]] = []

    def add(self, cell: int, text: str, lines: list[int]) -> None:
        """Append ``text`` from cell ``cell``; ``lines``: the cell line of each of its lines
        (0: a line the conversion wrote). Blank lines around it are dropped."""
        rows = text.split("\n")
        start = 0
        while start < len(rows) and not rows[start].strip():
            start += 1
        stop = len(rows)
        while stop > start and not rows[stop - 1].strip():
            stop -= 1
        if start == stop:
            return
        if self._blocks:
            self.lines.append((cell, 0))  # the blank line between blocks
        for index in range(start, stop):
            self.lines.append((cell, lines[index] if index < len(lines) else 0))
        self._blocks.append("\n".join(rows[start:stop]))

    def markdown(self) -> str:
        return "\n\n".join(self._blocks) + "\n" if self._blocks else ""
