"""Fences pulled in with ``pymdownx.snippets`` (``--8<--``) run under the plugin too.

MkDocs hands plugins the page's Markdown before any Markdown extension has run, so an included
fence is invisible to ``on_page_markdown``. When the author uses snippets, the plugin expands
them first with the extension's own preprocessor (same settings, same base paths), runs the
expanded page, and returns it expanded, so the snippets extension has nothing left to do.

Lines: a cell that came from the page keeps its own line; one that came from a snippet is
reported at the ``--8<--`` line that included it (the page is what the author edits).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import markdown

from ..lines import line_map

#: (page Markdown) -> (expanded Markdown, file line of each expanded line), or None if
#: nothing was included.
Expander = Callable[[str], "tuple[str, list[int]] | None"]

NAME = "pymdownx.snippets"


def snippet_expander(extensions: list[Any], configs: dict[str, Any]) -> Expander | None:
    """An expander for the configured snippets extension, or None when it is not used."""
    if NAME not in extensions:
        return None
    from pymdownx.snippets import SnippetExtension  # here: sites without snippets skip it

    settings = dict(configs.get(NAME, {}))
    always = bool(settings.get("auto_append"))

    def expand(text: str) -> tuple[str, list[int]] | None:
        if not always and "8<-" not in text:
            return None
        md = markdown.Markdown(extensions=[SnippetExtension(**settings)])
        lines = text.split("\n")
        expanded = md.preprocessors["snippet"].run(list(lines))
        if expanded == lines:
            return None
        return "\n".join(expanded), line_map(lines, expanded)

    return expand

