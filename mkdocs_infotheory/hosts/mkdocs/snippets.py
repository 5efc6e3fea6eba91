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
from mkdocs.plugins import get_plugin_logger

from ...core import Engine, PreparedPage
from ..lines import line_map

log = get_plugin_logger("infotheory")

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


def prepare_page(
    engine: Engine, expand: Expander | None, name: str, page_text: str, first_line: int
) -> PreparedPage:
    """The page's engine record, with its snippets expanded first when the author uses them
    (the MkDocs plugin and ``pytest --infotheory`` prepare pages alike)."""
    expanded = None
    if expand is not None:
        try:
            expanded = expand(page_text)
        except Exception as error:  # the snippets extension reports it in its own words
            log.debug("%s: snippets not expanded ahead: %s", name, error)
    if expanded is None:
        return engine.prepare(name, page_text, first_line)
    text, lines = expanded
    return engine.prepare(name, text, first_line, lines, source=page_text)
