"""Zensical as a site host of the Markdown extension (:class:`~..markdown.site.SiteHost`).

Zensical converts every page of a project in one process, one new ``Markdown`` per page, and
tells the extension which page through its rendering context (read in :mod:`.compat`). This
module answers the extension's questions for it: the page and project folders, the options
of mkdocs.yml (:mod:`.options`), the build's state (failures, rendered pages, the site's
labels), the early start of every page that will render (:mod:`.prefetch`) and the report
when the build ends (:mod:`.report`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown import Markdown

from ...core.progress import stderr_progress
from ...pages import page_name
from ..defaults import EXTENSION_NAMES
from ..markdown.builds import at_end
from ..markdown.site import PageContext
from . import compat, report
from .options import DOTTED, plugin_options
from .prefetch import prefetch_site
from .site_labels import SiteLabels

if TYPE_CHECKING:
    from ...core import Diagnostic, EngineSettings
    from ..markdown.builds import Build
    from ..mkdocs.config import InfotheoryConfig


@dataclass(slots=True)
class ZensicalBuild:
    """One Zensical build's state (``Build.site``); mutable: pages add to it as they render."""

    root: Path
    docs_dir: Path
    #: Where the build's bookkeeping lives (``cache_dir``: failures.json, pages.json), kept
    #: with ``cache: false`` too, so failures are still reported.
    state_dir: Path
    failures: dict[str, list[Diagnostic]] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)
    labels: SiteLabels | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class ZensicalSite:
    """The answers for the pages of one Zensical project (one per extension instance)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.root, self.docs_dir = compat.project_folders(config)

    def options(self) -> tuple[Mapping[str, Any], str]:
        return plugin_options(self.root, self.docs_dir), DOTTED

    def page(self, md: Markdown) -> PageContext | None:
        path = compat.page_path(md)
        if path is None:
            return None
        source = (self.docs_dir / path).resolve()
        return PageContext(page_name(source, self.root), source)

    def page_id(self, md: Markdown) -> str:
        return compat.page_path(md) or ""

    def start(self, build: Build, options: InfotheoryConfig, settings: EngineSettings) -> None:
        build.site = ZensicalBuild(self.root, self.docs_dir, self.root / options.cache_dir)
        build.engine.observer = stderr_progress()  # progress of long runs, as the plugin logs it
        at_end(report.finish)
        if settings.cache_dir is not None:
            state = settings.cache_dir.parent / "pages.json"
            prefetch_site(build.engine, self.docs_dir, self.root, state, compat.cleaning())

    def record(
        self, build: Build, page: PageContext, found: list[Diagnostic], replace: bool
    ) -> None:
        state: ZensicalBuild = build.site
        warnings = [d for d in found if d.level == "warning"]
        with state.lock:
            state.rendered.add(page.display_path)
            if replace:
                state.failures.pop(page.display_path, None)
            if warnings:
                state.failures.setdefault(page.display_path, []).extend(warnings)
        if compat.serving():
            # `zensical serve` runs until stopped: say it now, as the page is rendered.
            for diagnostic in warnings:
                report.say(str(diagnostic))

    def labels(self, build: Build, md: Markdown) -> SiteLabels:
        """The build's label index of every page (built on first use)."""
        from ..markdown.extension import add_default_extensions

        state: ZensicalBuild = build.site
        with state.lock:
            if state.labels is None:
                extensions, configs, directory_urls = compat.markdown_setup(self.config)
                state.labels = SiteLabels(
                    self.docs_dir,
                    extensions,
                    configs,
                    directory_urls,
                    add_default_extensions,
                    lambda name: name in EXTENSION_NAMES,
                    self.root,
                )
            return state.labels

    def refuse(self, error: Exception) -> None:
        """A configuration error: printed once, and the build ends with exit code 1."""
        report.say(str(error), level="ERROR")
        compat.exit_now(1)


def zensical_site(md: Markdown) -> ZensicalSite | None:
    """The Zensical project ``md`` renders a page of, or None outside Zensical."""
    config = compat.site_config(md)
    return ZensicalSite(config) if config is not None else None
