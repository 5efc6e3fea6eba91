"""Citations in MkDocs: each page's citations are linked when its content is rendered.

Citations are page-local (the list of references is the page's own), so they need no
site-wide pass: ``on_page_content`` runs :class:`~mkdocs_infotheory.hosts.citations.Citer`
on the page before it is numbered, and its problems are logged as ``docs/PAGE.md:LINE``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from ..citations import Citer
from ..defaults import SettingError
from .logs import plugin_logger

log = plugin_logger()


class CitationStage:
    def __init__(self, project_dir: Path, bibliography: object, csl: str | None) -> None:
        try:
            self.citer = Citer(project_dir, bibliography, csl)
        except SettingError as error:
            raise PluginError(f"mkdocs.yml: {error}") from error
        self.problems = 0

    def watched(self) -> list[Path]:
        """The site's bibliography files and style, for ``mkdocs serve`` to watch."""
        return self.citer.watched()

    def cite(self, page: Page, html: str, path: str) -> str:
        if "@" not in html or (not self.citer.site_files and "bibliography" not in page.meta):
            return html
        source = Path(page.file.abs_src_path) if page.file.abs_src_path else None
        cited = self.citer.cite(html, source, page.meta)
        for notice in cited.notices:
            self.problems += 1
            log.warning(notice)
        if cited.problems:
            text = page.file.content_string
            for problem in cited.problems:
                self.problems += 1
                line = problem.line_in(text)
                log.warning("%s: %s", f"{path}:{line}" if line else path, problem.message)
        return cited.html
