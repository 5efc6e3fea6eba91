"""Citations for every host: which bibliography a page cites from, and the page's citations.

The plugin (:mod:`.mkdocs.citations`) and the Markdown extension (Zensical) both hold one
:class:`Citer` per build: the site's ``bibliography:`` files (relative to the project folder,
where mkdocs.yml is), a page's own (front matter ``bibliography:``, relative to the page),
and the ``csl:`` style. pybtex and citeproc-py are imported only when a site has a
bibliography; without them the option is refused with the command that installs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pages import front_matter, page_name
from .defaults import SettingError


def paths_of(value: object, where: str) -> list[str]:
    """``bibliography: refs.bib`` or a list of them, as a list; anything else is refused."""
    if value is None or value == []:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise SettingError(f"{where}: bibliography: expected a file name or a list of them")


@dataclass(slots=True)
class CitedHtml:
    html: str
    problems: list[Any] = field(default_factory=list)
    #: Problems of the bibliography files, each reported once per build.
    notices: list[str] = field(default_factory=list)


class Citer:
    def __init__(self, root: Path, bibliography: object, csl: str | None) -> None:
        self.root = root
        self.site_files = [root / name for name in paths_of(bibliography, "mkdocs.yml")]
        self._csl = root / csl if csl else None
        self._style: Any = None
        self._reported: set[str] = set()
        if self.site_files or self._csl:
            self.check()

    def check(self) -> None:
        """Raise :class:`SettingError` now if citations cannot work (libraries, style)."""
        try:
            import citeproc  # noqa: F401
            import pybtex  # noqa: F401
        except ImportError as error:
            from ..refs.bibliography import MISSING_LIBRARIES

            raise SettingError(f"plugins.infotheory.bibliography: {MISSING_LIBRARIES}") from error
        from ..refs.cite import load_style

        try:
            self._style = load_style(self._csl)
        except ValueError as error:
            raise SettingError(f"plugins.infotheory.csl: {error}") from error

    def watched(self) -> list[Path]:
        return [*self.site_files, *([self._csl] if self._csl else [])]

    def files_for(self, page_file: Path | None, meta: Mapping[str, Any] | None) -> list[Path]:
        own = paths_of((meta or {}).get("bibliography"), "front matter")
        folder = page_file.parent if page_file is not None else self.root
        return [*self.site_files, *(folder / name for name in own)]

    def cite(self, html: str, page_file: Path | None, meta: Mapping[str, Any] | None) -> CitedHtml:
        """The page with its citations linked and its references listed (unchanged when the
        page has no bibliography)."""
        try:
            files = self.files_for(page_file, meta)
        except SettingError as error:
            return CitedHtml(html, notices=self._once([str(error)]))
        if not files or "@" not in html:
            return CitedHtml(html)
        if self._style is None:
            try:
                self.check()
            except SettingError as error:
                return CitedHtml(html, notices=self._once([str(error)]))
        from ..refs.bibliography import load_library
        from ..refs.cite import cite_page

        library = load_library(files, lambda path: page_name(path, self.root))
        cited = cite_page(html, library, self._style)
        return CitedHtml(cited.html, cited.problems, self._once(library.problems))

    def _once(self, messages: list[str]) -> list[str]:
        fresh = [message for message in messages if message not in self._reported]
        self._reported.update(fresh)
        return fresh


#: Citers by project and settings, process-wide: a Markdown extension is made for every
#: page, and the pages of a build must share one (its messages are reported once).
_CITERS: dict[tuple[Path, tuple[str, ...], str | None], Citer] = {}


def citer_for(root: Path, bibliography: object, csl: str | None) -> Citer:
    """One :class:`Citer` per project and settings, per process (a Markdown extension is made
    again for every page)."""
    key = (root, tuple(paths_of(bibliography, "mkdocs.yml")), csl)
    if key not in _CITERS:
        _CITERS[key] = Citer(root, bibliography, csl)
    return _CITERS[key]


def cite_in_extension(
    html: str, root: Path, options: Any, page_file: Path | None, source: str, shown: str
) -> tuple[str, list[tuple[str, int, str]]]:
    """The Markdown extension's citation step: the page's HTML and ``(path, line, message)``
    of each problem (``shown`` names the page)."""
    meta = front_matter(source)
    if "@" not in html or not (options.bibliography or meta.get("bibliography")):
        return html, []
    try:
        citer = citer_for(root, options.bibliography, options.csl)
    except SettingError as error:
        return html, [("mkdocs.yml", 0, str(error))]
    cited = citer.cite(html, page_file, meta)
    found = [(shown, problem.line_in(source) or 1, problem.message) for problem in cited.problems]
    for notice in cited.notices:
        where, _, message = notice.partition(": ")
        path, _, line = where.rpartition(":")
        found.append((path, int(line), message) if line.isdigit() else (where, 0, message))
    return cited.html, found
