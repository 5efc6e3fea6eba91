"""One formatter per fence language: its names, how it runs, how its output shows.

A language is one module in this package defining ``FORMATTER``; nothing else in the core
names a language. The parser asks :func:`language_of` which formatter an info string selects,
the kernel (in the page's process) calls :meth:`Formatter.execute`, and the renderer asks the
formatter how the source and the text output appear. Modules are found when this package is
imported, so adding a language touches only its new module.

Inline values (`` `{python} EXPR` ``) are not a fence language: they are always a Python
expression evaluated by the kernel.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..model import Cell, CellResult


class ExecutionContext(Protocol):
    """What the kernel gives a formatter to run one fence with (in the page's process)."""

    #: The working directory of the code (the docs folder, absolute).
    cwd: str
    #: The file name code is compiled with (tracebacks and syntax errors name it).
    filename: str

    def namespace(self) -> dict[str, Any]:
        """The fence's session namespace (the preamble has run in it)."""

    def compile_at(self, code: str, line: int, mode: str) -> Any:
        """Compile ``code`` so that its first line is line ``line`` of the author's file."""


def _no_text_output(cell: Cell, result: CellResult) -> list[str] | None:
    return None


def _as_written(code: str) -> str:
    return code


@dataclass(frozen=True, slots=True)
class Formatter:
    """A fence language.

    ``execute`` runs ``cell`` and records errors (and doc-test mismatches) on ``result``;
    whatever it writes to standard output or error is the fence's output. ``text_output``
    returns the Markdown blocks of the output when the language shows it its own way (None:
    the generic ``result=`` handling applies). ``shows_source``: whether the source block is
    shown at all (a doc-test transcript already contains it). ``default_source`` and
    ``default_result``: the language's own defaults where the site's would not fit (a
    ``console`` fence is a console block; a ``markdown`` fence's output is Markdown), empty
    for the site's. ``displayed``: the source as shown (a console's commands with a prompt).
    ``variants``: another language to run as under a ``compat`` setting (``pycon`` runs as
    markdown-exec runs it on a ``compat: markdown-exec`` site).
    """

    name: str
    fence_names: tuple[str, ...]
    execute: Callable[[Cell, ExecutionContext, CellResult], None]
    highlight: str = ""
    shows_source: bool = True
    text_output: Callable[[Cell, CellResult], list[str] | None] = _no_text_output
    default_source: str = ""
    default_result: str = ""
    displayed: Callable[[str], str] = _as_written
    #: (compat setting, language): the language a fence runs as on a site with that setting.
    variants: tuple[tuple[str, str], ...] = ()
    #: Executable fences inside this one run too, their results in its output (``md``).
    nests: bool = False

    @property
    def source_language(self) -> str:
        """How the displayed source block is highlighted."""
        return self.highlight or self.name


def _discover() -> dict[str, Formatter]:
    found: dict[str, Formatter] = {}
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        formatter = getattr(module, "FORMATTER", None)
        if isinstance(formatter, Formatter):
            found[formatter.name] = formatter
    return found


def _module_names() -> list[str]:
    """The modules of this package, by name (what ``pkgutil.iter_modules`` lists for a folder
    of ``.py`` files; importing pkgutil would cost a build more than the listing does)."""
    names = {
        entry[: -len(".py")]
        for folder in __path__
        for entry in os.listdir(folder)
        if entry.endswith(".py") and entry != "__init__.py" and entry[:-3].isidentifier()
    }
    return sorted(names)


#: Every formatter, by language name (the name stored in ``Cell.language``).
FORMATTERS: dict[str, Formatter] = _discover()
#: Info-string name -> language name (``py`` -> ``python``).
FENCE_NAMES: dict[str, str] = {
    alias: formatter.name
    for formatter in FORMATTERS.values()
    for alias in (formatter.name, *formatter.fence_names)
}


def language_of(fence_name: str) -> str | None:
    """The language a fence's info-string name selects, or None if it is not executable."""
    return FENCE_NAMES.get(fence_name.lower())


def formatter_for(language: str) -> Formatter:
    return FORMATTERS[language]
