"""Fences pulled in with ``pymdownx.snippets`` (``--8<--``) run under the plugin too.

MkDocs hands plugins the page's Markdown before any Markdown extension has run, so an included
fence is invisible to ``on_page_markdown``. When the author uses snippets, the plugin expands
them first with the extension's own preprocessor (same settings, same base paths), runs the
expanded page, and returns it expanded, so the snippets extension has nothing left to do.

Lines: a cell that came from the page keeps its own line; one that came from a snippet is
reported at the ``--8<--`` line that included it (the page is what the author edits).

Once is all: MkDocs would run the snippets preprocessor again on the Markdown the plugin
returns, and there it would read files named by what the page's code printed (a fence printing
``--8<-- ".env"`` would publish the secret, in the page and the search index), turn an escaped
``;--8<--`` the first pass had shown as text into an inclusion, and append ``auto_append``
files a second time. :class:`ExpandedOnce` keeps a page the plugin expanded from that second
pass; a page whose expansion failed still gets it, so the extension reports the failure in
its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ...core import Engine, PreparedPage
from ..lines import line_map
from .logs import plugin_logger

log = plugin_logger()

NAME = "pymdownx.snippets"

#: Just before and just after the snippets preprocessor (priority 32), with nothing between.
_HOLD_PRIORITY = 32.5
_RELEASE_PRIORITY = 31.5


class ExpandedOnce(Extension):
    """Holds the page the plugin just rendered back from the snippets preprocessor.

    MkDocs converts a page right after its ``on_page_markdown``, so the plugin marks the page
    there (:meth:`hold_next`) and the next conversion takes the mark. A preprocessor before
    snippets sets the page's lines aside and one after it puts them back: only public
    Python-Markdown registries, whatever order the extensions were listed in.
    """

    def __init__(self) -> None:
        super().__init__()
        self._hold = False

    def hold_next(self, hold: bool) -> None:
        self._hold = hold

    def take(self) -> bool:
        hold, self._hold = self._hold, False
        return hold

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        held = _Held(md, self)
        md.preprocessors.register(held, "infotheory_snippets_hold", _HOLD_PRIORITY)
        md.preprocessors.register(
            _Release(md, held), "infotheory_snippets_release", _RELEASE_PRIORITY
        )


class _Held(Preprocessor):
    def __init__(self, md: markdown.Markdown, once: ExpandedOnce) -> None:
        super().__init__(md)
        self.once = once
        self.lines: list[str] | None = None

    def run(self, lines: list[str]) -> list[str]:
        self.lines = lines if self.once.take() else None
        return [] if self.lines is not None else lines


class _Release(Preprocessor):
    def __init__(self, md: markdown.Markdown, held: _Held) -> None:
        super().__init__(md)
        self.held = held

    def run(self, lines: list[str]) -> list[str]:
        held, self.held.lines = self.held.lines, None
        return lines if held is None else held


class Expander:
    """Expands a page's snippets as the configured extension would (same settings, same base
    paths): (page Markdown) -> (expanded Markdown, file line of each expanded line), or None
    if nothing was included. ``once`` is the Markdown extension that keeps MkDocs from
    expanding the pages it expanded a second time."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.always = bool(settings.get("auto_append"))
        self.once = ExpandedOnce()
        #: Pages (as messages name them) whose expansion raised: MkDocs' own pass reports it.
        self.failed: set[str] = set()

    def __call__(self, text: str) -> tuple[str, list[int]] | None:
        if not self.always and "8<-" not in text:
            return None
        from pymdownx.snippets import SnippetExtension  # here: sites without snippets skip it

        md = markdown.Markdown(extensions=[SnippetExtension(**self.settings)])
        lines = text.split("\n")
        expanded = md.preprocessors["snippet"].run(list(lines))
        if expanded == lines:
            return None
        return "\n".join(expanded), line_map(lines, expanded)

    def rendered(self, name: str) -> None:
        """The page ``name`` is about to be converted: hold it from the second pass, unless
        its expansion failed."""
        self.once.hold_next(name not in self.failed)


def snippet_expander(extensions: list[Any], configs: dict[str, Any]) -> Expander | None:
    """An expander for the configured snippets extension, or None when it is not used."""
    if NAME not in extensions:
        return None
    return Expander(dict(configs.get(NAME, {})))


def prepare_page(
    engine: Engine,
    expand: Callable[[str], tuple[str, list[int]] | None] | None,
    name: str,
    page_text: str,
    first_line: int,
    snippets: Expander | None = None,
) -> PreparedPage:
    """The page's engine record, with the page expanded first when the author includes text
    (``expand``: notebook blocks, then ``snippets``; the MkDocs plugin and
    ``pytest --infotheory`` prepare pages alike). A page whose snippets could not be expanded
    ahead is left to MkDocs' own snippets pass, which reports the problem in its words."""
    expanded = None
    if expand is not None:
        try:
            expanded = expand(page_text)
        except Exception as error:  # the snippets extension reports it in its own words
            if snippets is not None:
                snippets.failed.add(name)
            log.debug("%s: snippets not expanded ahead: %s", name, error)
        else:
            if snippets is not None:
                snippets.failed.discard(name)
    if expanded is None:
        return engine.prepare(name, page_text, first_line)
    text, lines = expanded
    return engine.prepare(name, text, first_line, lines, source=page_text)
