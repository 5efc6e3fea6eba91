"""TeX rewriting for numbered equations: what KaTeX cannot do itself, done before it runs.

KaTeX has no ``\\label``, ``\\eqref`` or ``\\ref`` (they are parse errors) and numbers
``equation``/``align`` environments with a CSS counter that knows nothing of our numbering.
So, before a formula is rendered (by KaTeX at build time, or by MathJax in the browser):

* ``\\label{NAME}`` in display math becomes ``\\tag{n}`` on its row (or is dropped where the
  author wrote ``\\tag{...}`` on that row, whose text then becomes the label's number);
* numbered environments become their starred form, so only labelled rows carry numbers;
* ``\\eqref{NAME}`` becomes ``\\href{URL}{\\text{(n)}}``, ``\\ref{NAME}``
  ``\\href{URL}{\\text{n}}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
REFERENCE = re.compile(r"\\(eqref|ref)\s*\{([^{}]*)\}")
_TAG = re.compile(r"\\tag\*?\s*\{")
_ROW_BREAK = re.compile(r"\\\\")
_NUMBERED_ENVIRONMENT = re.compile(
    r"\\(begin|end)\s*\{(equation|align|alignat|gather|multline|flalign|eqnarray)\}"
)
#: Label names: letters, digits and ``- _ : .`` (``eq-kl``, ``eq:kl``, ``kl``).
NAME = re.compile(r"[A-Za-z0-9_:.-]+")
#: Shown in place of a reference that cannot be resolved, as LaTeX does.
UNRESOLVED = r"\textcolor{#b3261e}{\text{??}}"


@dataclass(slots=True)
class NumberedTex:
    """A display formula with its labels turned into tags."""

    tex: str
    #: Label -> the number text it shows (``"3"``, or the author's ``\\tag`` text).
    labels: dict[str, str] = field(default_factory=dict)
    #: Label names that are not valid (reported by the caller).
    invalid: list[str] = field(default_factory=list)


def labels_in(tex: str) -> list[str]:
    return [match.group(1).strip() for match in LABEL.finditer(tex)]


def needs_numbering(tex: str) -> bool:
    return bool(LABEL.search(tex) or _NUMBERED_ENVIRONMENT.search(tex))


def number_display(tex: str, next_number: Callable[[], str]) -> NumberedTex:
    """Replace each row's ``\\label`` with ``\\tag{n}`` (``next_number()`` gives n).

    Rows are the pieces between ``\\\\`` (a ``\\\\`` inside ``cases`` splits a row too, which
    only matters when a label and a tag sit in different pieces of one row).
    """
    result = NumberedTex(tex)
    tex = _NUMBERED_ENVIRONMENT.sub(lambda m: f"\\{m.group(1)}{{{m.group(2)}*}}", tex)
    rows: list[str] = []
    pieces = _ROW_BREAK.split(tex)
    for row in pieces:
        names = labels_in(row)
        if not names:
            rows.append(row)
            continue
        tag = _tag_text(row)
        number = tag if tag is not None else next_number()
        first = True

        def replace(
            match: re.Match[str], number: str = number, has_tag: bool = tag is not None
        ) -> str:
            nonlocal first
            keep = first and not has_tag
            first = False
            return f"\\tag{{{number}}}" if keep else ""

        for name in names:
            if not NAME.fullmatch(name):
                result.invalid.append(name)
            else:
                result.labels.setdefault(name, number)
        rows.append(LABEL.sub(replace, row))
    result.tex = "\\\\".join(rows)
    return result


def strip_labels(tex: str) -> str:
    """Inline math cannot be numbered: its labels are removed (and reported by the caller)."""
    return LABEL.sub("", tex)


def link_references(
    tex: str, link: Callable[[str, str], tuple[str, str, str] | None]
) -> tuple[str, list[tuple[str, str]]]:
    """Replace ``\\eqref``/``\\ref`` using ``link(command, name) -> (url, number, where)`` or
    ``None``; ``where`` is TeX added to the link after the number (``\\text{ in }\\textit{Page}``
    names another page; \\textit rather than text macros inside \\text, which MathJax lacks).

    Returns the new TeX and the ``(command, name)`` pairs that could not be resolved (each is
    shown as a red "??" in place).
    """
    unresolved: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        command, name = match.group(1), match.group(2).strip()
        target = link(command, name)
        if target is None:
            unresolved.append((command, name))
            return UNRESOLVED
        url, number, where = target
        text = f"({number})" if command == "eqref" else number
        return f"\\href{{{url}}}{{\\text{{{text}}}{where}}}"

    return REFERENCE.sub(replace, tex), unresolved


_TEX_SPECIALS = str.maketrans({c: " " for c in "\\{}$&#^_%~"})


def text_for_tex(text: str) -> str:
    """``text`` safe inside ``\\text{...}``: TeX's special characters become spaces."""
    return " ".join(text.translate(_TEX_SPECIALS).split())


def _tag_text(row: str) -> str | None:
    """The text of the row's ``\\tag{...}`` (braces balanced), if it has one."""
    match = _TAG.search(row)
    if match is None:
        return None
    depth = 1
    position = match.end()
    while position < len(row) and depth:
        if row[position] == "{":
            depth += 1
        elif row[position] == "}":
            depth -= 1
        position += 1
    return row[match.end() : position - 1].strip() if depth == 0 else None
