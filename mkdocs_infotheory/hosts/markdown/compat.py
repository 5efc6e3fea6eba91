"""Everything private of Python-Markdown that the extension relies on, in one place.

Python-Markdown's registries (:class:`markdown.util.Registry`) say whether a *name* is
registered (``name in registry``) but do not list the names; the extension needs the list to
tell whether an extension the author configured is already in place (see :func:`present`).
:data:`TESTED` is the Python-Markdown release series this was checked against;
``tests/hosts/test_compat.py`` fails when another one is installed, as a reminder to check
this module again.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown

#: Python-Markdown release series (major.minor) this module was checked against.
TESTED: tuple[str, ...] = ("3.11",)


def registries(md: Markdown) -> dict[str, Any]:
    """The five processor registries of ``md``, by kind (all public attributes)."""
    return {
        "pre": md.preprocessors,
        "block": md.parser.blockprocessors,
        "inline": md.inlinePatterns,
        "tree": md.treeprocessors,
        "post": md.postprocessors,
    }


def processor_names(md: Markdown) -> set[tuple[str, str]]:
    """Every ``(kind, name)`` registered in ``md``: read from ``Registry._data`` (private)."""
    return {(kind, name) for kind, registry in registries(md).items() for name in registry._data}


#: What each extension registers, by name, process-wide: it depends on the installed
#: extension only.
_ADDED: dict[str, frozenset[tuple[str, str]]] = {}


def present(md: Markdown, name: str) -> bool:
    """Whether the processors extension ``name`` adds are all registered in ``md`` already.

    Not every extension records itself in ``md.registeredExtensions``, so an extension counts
    as present when everything it would register is there.
    """
    if name not in _ADDED:
        bare = processor_names(Markdown())
        _ADDED[name] = frozenset(processor_names(Markdown(extensions=[name])) - bare)
    added = _ADDED[name]
    return bool(added) and added <= processor_names(md)
