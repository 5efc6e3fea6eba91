"""What the extension asks of a host that builds a whole site with it (Zensical).

A plain ``markdown.markdown(...)`` call converts one document: messages name it by the
``filename`` setting and stay on ``extension.diagnostics``. A site host converts every page of
a project in one process; it knows where each page comes from, may carry options in its own
configuration file, keeps results and failures across builds and reports them when the build
ends. :class:`SiteHost` is that conversation; :func:`find_site` asks each known site host
whether this ``Markdown`` instance is one of its pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from markdown import Markdown

if TYPE_CHECKING:
    from ...core import Diagnostic, EngineSettings
    from ..mkdocs.config import InfotheoryConfig
    from .builds import Build


@dataclass(frozen=True, slots=True)
class PageContext:
    """Where a page comes from, as far as the host tells us."""

    display_path: str
    source_file: Path | None = None


class SiteHost(Protocol):
    """A host that converts the pages of one project with the extension."""

    #: The project folder (page names in messages are relative to it) and the docs folder.
    root: Path
    docs_dir: Path

    def options(self) -> tuple[Mapping[str, Any], str]:
        """The infotheory options of the host's own configuration file, and how to name an
        option of it in a message (e.g. ``mkdocs.yml: plugins.infotheory``). Raises
        :class:`~mkdocs_infotheory.hosts.defaults.SettingError` when it cannot read them."""
        ...

    def page(self, md: Markdown) -> PageContext | None:
        """The page ``md`` is converting (None: the host does not say)."""
        ...

    def page_id(self, md: Markdown) -> str:
        """The page's docs-relative path, the key of the site's cross-page references."""
        ...

    def start(self, build: Build, options: InfotheoryConfig, settings: EngineSettings) -> None:
        """Set up the build's host state (``build.site``); called once per build."""
        ...

    def record(
        self, build: Build, page: PageContext, found: list[Diagnostic], replace: bool
    ) -> None:
        """Keep the page's messages for the end-of-build report."""
        ...

    def labels(self, build: Build, md: Markdown) -> Any:
        """The site's label index (cross-page references), or None."""
        ...

    def refuse(self, error: Exception) -> None:
        """A configuration error: report it once and end the build (or return to raise)."""
        ...


def find_site(md: Markdown) -> SiteHost | None:
    """The site host converting ``md``, if any (only Zensical today)."""
    from ..zensical.site import zensical_site

    return zensical_site(md)
