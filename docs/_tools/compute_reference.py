"""Render the API reference of :mod:`mkdocs_infotheory.compute` as Markdown.

Why it exists: the reference page of the docs site (``docs/reference/compute.md``) is generated
at build time by an executable fence that prints :func:`reference_markdown`, so the page can
never drift from the docstrings. It is docs tooling, not part of the package: it lives beside
the pages it serves (left out of the built site by ``exclude_docs`` in ``mkdocs.yml``, and
listed in the plugin's ``dependencies`` there, so editing it re-runs the page instead of serving
the cached one), the fence imports it from the docs folder (which is on a fence's
``sys.path``), and ``tests/unit/compute/test_compute_docs.py`` tests it.

Docstrings are NumPy-doc style raw strings: a summary line, free paragraphs whose formulas
are arithmatex math (``\\( ... \\)`` inline, ``\\[`` / ``\\]`` on their own lines for display),
then ``Parameters``, ``Returns`` and ``Raises`` sections.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

SECTIONS = ("Parameters", "Returns", "Raises", "Notes", "Examples")
_ITEM = re.compile(r"^(?P<name>[^\s:][^:]*?)(?:\s*:\s*(?P<type>.+))?$")


@dataclass
class Entry:
    """One ``name : type`` item of a section with its (joined) description."""

    name: str
    type: str
    description: str


@dataclass
class ParsedDoc:
    """A docstring split into its free text and its sections."""

    summary: str
    body: list[str] = field(default_factory=list)
    sections: dict[str, list[Entry]] = field(default_factory=dict)


def parse_docstring(doc: str) -> ParsedDoc:
    """Split a NumPy-doc docstring into summary, body lines and section entries."""
    lines = inspect.cleandoc(doc).splitlines()
    summary = lines[0].strip() if lines else ""
    parsed = ParsedDoc(summary=summary)
    current: str | None = None
    i = 1
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() in SECTIONS and set(underline.strip()) == {"-"}:
            current = line.strip()
            parsed.sections[current] = []
            i += 2
            continue
        if current is None:
            parsed.body.append(line)
        elif line.strip() and not line.startswith(" "):
            match = _ITEM.match(line.strip())
            name = match.group("name") if match else line.strip()
            kind = (match.group("type") or "") if match else ""
            parsed.sections[current].append(Entry(name.strip(), kind.strip(), ""))
        elif line.strip() and parsed.sections[current]:
            entry = parsed.sections[current][-1]
            entry.description = f"{entry.description} {line.strip()}".strip()
        i += 1
    return parsed


def signature_text(func: Callable[..., Any]) -> str:
    """``name(a, b=2)``: the call signature without annotations, as an author types it."""
    params = []
    for param in inspect.signature(func).parameters.values():
        if param.default is inspect.Parameter.empty:
            params.append(param.name)
        else:
            params.append(f"{param.name}={param.default!r}")
    return f"{func.__name__}({', '.join(params)})"


def _entry_lines(section: str, entries: Iterable[Entry]) -> list[str]:
    out = []
    for entry in entries:
        if section == "Parameters":
            kind = f" (*{entry.type}*)" if entry.type else ""
            head = f"**`{entry.name}`**{kind}"
        elif section == "Raises":
            head = f"`{entry.name}`"
        else:  # Returns: NumPy-doc puts the type where the name would be
            head = f"*{entry.name}*" if not entry.type else f"**`{entry.name}`** (*{entry.type}*)"
        out.append(f"- {head} — {entry.description}" if entry.description else f"- {head}")
    return out


def function_markdown(func: Callable[..., Any], level: int = 3) -> str:
    """Markdown for one function: heading with signature, text, math, section lists."""
    parsed = parse_docstring(inspect.getdoc(func) or "")
    hashes = "#" * level
    lines = [f"{hashes} `{signature_text(func)}` {{#{func.__name__}}}", "", parsed.summary, ""]
    body = "\n".join(parsed.body).strip("\n")
    if body:
        lines += [body, ""]
    for section, entries in parsed.sections.items():
        if entries:
            lines += [f"**{section}**", "", *_entry_lines(section, entries), ""]
    return "\n".join(lines)


#: Reading order of the reference: by the submodule that defines a function. A public
#: function from a submodule not listed here still appears, in a final "Other" group.
GROUPS = (
    ("distributions", "One distribution"),
    ("divergences", "Two distributions"),
    ("joint", "Joint distribution tables"),
    ("samples", "Samples"),
    ("logits", "Logits"),
    ("calibration", "Calibration"),
)


def grouped_names(module: ModuleType) -> list[tuple[str, list[str]]]:
    """``__all__`` grouped by defining submodule, in :data:`GROUPS` order, then source order."""
    remaining = list(module.__all__)
    groups = []
    for submodule, title in GROUPS:
        names = [n for n in remaining if getattr(module, n).__module__.endswith(f".{submodule}")]
        names.sort(key=lambda n: getattr(module, n).__code__.co_firstlineno)  # source order
        if names:
            groups.append((title, names))
            remaining = [n for n in remaining if n not in names]
    if remaining:
        groups.append(("Other", remaining))
    return groups


def summary_table(module: ModuleType) -> str:
    """A Markdown table linking every public function to its section, with its summary."""
    rows = ["| function | what it computes |", "|---|---|"]
    for _, names in grouped_names(module):
        for name in names:
            summary = parse_docstring(inspect.getdoc(getattr(module, name)) or "").summary
            rows.append(f"| [`{name}`](#{name}) | {summary.replace('|', '&#124;')} |")
    return "\n".join(rows)


def reference_markdown(module: ModuleType | None = None, level: int = 2) -> str:
    """The whole reference: a summary table, then a heading per group and per function.

    Every name of ``__all__`` appears exactly once; groups get headings of ``level`` and
    functions of ``level + 1``.
    """
    if module is None:
        import mkdocs_infotheory.compute as module
    parts = [summary_table(module), ""]
    for title, names in grouped_names(module):
        parts += [f"{'#' * level} {title}", ""]
        parts += [function_markdown(getattr(module, name), level + 1) for name in names]
    return "\n".join(parts)
