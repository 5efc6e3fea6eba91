"""``plugins: [infotheory]``: wires the core into MkDocs' build events.

Data flows one way: ``on_files`` starts every page's code running in parallel,
``on_page_markdown`` splices the results into the page's Markdown, ``on_page_content`` renders
math and puts raw-HTML fragments in place, ``on_post_build`` reports and tidies the cache.
Only the hooks live here, each handing its work to the module beside it: :mod:`.configure`
(the site's configuration), :mod:`.early` (pages start running while MkDocs starts up),
:mod:`.pages` (reading, naming, preparing pages), :mod:`.serve` (``mkdocs serve``),
:mod:`.report` (messages and the end of a build).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ...core import Engine
from ...core.progress import Progress
from ...pages import may_run
from ..defaults import compute_source
from .citations import CitationStage
from .config import InfotheoryConfig
from .configure import adjust_config, check_site_options, checked_macros
from .early import start_early
from .fragments import Fragments
from .headings import clean_math_titles
from .logs import plugin_logger
from .pages import PluginPages, keep_reading, markdown_of, read_file
from .references import ReferenceStage
from .report import log_diagnostics, report_build
from .serve import ServeGuard, watch
from .settings import (  # noqa: F401  (the execute switch's names stay importable here)
    EXECUTE_VARIABLE,
    execute_from_environment,
    site_settings,
)
from .site_files import SCRIPT, SITE_FILES, STYLESHEET, add_files, link_scripts, link_stylesheets
from .snippets import snippet_expander

if TYPE_CHECKING:  # only `mkdocs serve` needs it: a `mkdocs build` does not import it
    from mkdocs.livereload import LiveReloadServer

    from .math import MathStage  # imported by on_config unless math: none

log = plugin_logger()


class InfotheoryPlugin(BasePlugin[InfotheoryConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._progress = Progress(log.info)
        #: None with ``math: none``: formulas are left as they are.
        self.math: MathStage | None = None
        self._macros: dict[str, str] = {}  # plugins.infotheory.macros, as written
        self.references = ReferenceStage()
        self.pages = PluginPages()
        self.notebooks = self.pages.notebooks
        self.citations = CitationStage(Path.cwd(), [], None)
        self._content_pages: list[Page] = []
        #: KaTeX-typeset content of pages whose search reading is in place, until search ran.
        self._typeset: dict[str, str] = {}
        self._dirty = False
        self._fragments: dict[str, Fragments] = {}
        self._dependencies: list[Path] = []
        self._serve = ServeGuard()

    # -- configuration ------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty
        self._serve.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        options = self.config
        project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        adjust_config(options, config)
        expand = snippet_expander(config.markdown_extensions, config.mdx_configs)
        if expand is not None:  # pages the plugin expanded are not expanded again
            config.markdown_extensions.append(expand.once)  # type: ignore[arg-type]
        site = site_settings(options, config)
        self.notebooks.configure(site.docs_dir, project_dir, options.notebook_outputs)
        self._dependencies = site.dependencies
        check_site_options(options, site)
        watched = [site.docs_dir, *map(Path, config.watch)]
        if config.config_file_path:
            watched.append(Path(config.config_file_path))
        reuse = self._serve.echo_of_last_build([*watched, *site.dependencies], project_dir)
        self.engine = Engine(site.engine, reuse=reuse, remember=self._serve.serving)
        self.engine.observer = self._progress = Progress(log.info)
        self.pages.start(self.engine, project_dir, expand)
        self._fragments = {}
        self._macros = checked_macros(options)
        self.math = None
        if options.math != "none":
            from .math import MathStage

            math_cache = project_dir / options.cache_dir / "math.json" if options.cache else None
            self.math = MathStage(options.math, math_cache, options.mathjax_url, self._macros)
            self.math.start(site.docs_dir)  # in the background, while MkDocs reads the files
            self.math.configure(config)
        self.references = ReferenceStage(math=options.math != "none")
        self.citations = CitationStage(project_dir, options.bibliography, options.csl)
        self._content_pages = []
        link_stylesheets(config, [STYLESHEET])
        link_scripts(config, [SCRIPT])
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Every plugin's configuration is valid now: on a build without cached results (a
        fresh checkout or CI runner), start running pages while MkDocs lists its files."""
        if self.engine is not None and not self.engine.has_cached_results:
            start_early(self.pages, config)

    # -- per page -------------------------------------------------------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Start executing every page now, so pages run in parallel with the build."""
        assert self.engine is not None
        math = self.math
        if math is not None:
            math.add_files(files, config)
        add_files(files, config, SITE_FILES)
        files = self.notebooks.add(files, config, self.config.notebook_outputs, self.pages.path)
        for file in files.documentation_pages():
            try:
                source = read_file(file)
            except (OSError, ValueError):
                continue  # MkDocs reports unreadable pages itself
            if not self._dirty:
                keep_reading(file, source)
            markdown = markdown_of(source)
            if math is not None:
                math.prefetch(markdown)
            if not may_run(markdown):
                continue
            page = self.pages.prepare_file(file, source, markdown)
            self.pages.remember(file, page)
            self.engine.prefetch(page)
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.engine is not None
        src_uri = page.file.src_uri
        fragments = Fragments()
        outcome = self.engine.process(self.pages.prepare(page, markdown), fragments.placeholder)
        result, diagnostics = outcome.markdown, outcome.diagnostics
        self._fragments[src_uri] = fragments
        if self.pages.expand is not None:
            self.pages.expand.rendered(self.pages.path(page.file))
        log_diagnostics(self.notebooks.locate(src_uri, diagnostics))
        if self.math is not None and result != markdown:
            self.math.prefetch(result)  # formulas in generated output
        return result

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put raw fragments in place and number the page; math waits for ``on_env``."""
        fragments = self._fragments.pop(page.file.src_uri, None)
        if fragments:
            html = fragments.insert(html)
        path = self.pages.path(page.file)
        html = self.notebooks.finish(page.file.src_uri, path, html)
        self._content_pages.append(page)
        html = self.citations.cite(page, html, path)
        return self.references.number(page, html, path)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page's labels are known now: resolve references, then render math. A page
        typeset with KaTeX shows its formulas' readings until search has indexed it (see
        :meth:`on_page_context`)."""
        math = self.math
        self._typeset = {}
        for page in self._content_pages:
            if page.content is None:
                continue
            html, originals = self.references.resolve(page, page.content)
            if math is not None:
                path = self.pages.path(page.file)
                source = partial(_read_source, page)  # read again only to locate a bad formula
                html, readable = math.render(html, path, source, originals)
                if readable is not None:
                    self._typeset[page.file.src_uri] = html
                    html = readable
            page.content = html
            clean_math_titles(page, self._macros)
        self._content_pages = []
        return env

    @event_priority(-100)  # after every search plugin (they index page.content at priority 0)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Put the typeset page in place for the template, now that search has indexed the
        readable one: formulas as their plain-text readings ("3/4", not KaTeX's glyph text
        "43"), and a fraction of the markup for the search plugin's HTML parser to read."""
        typeset = self._typeset.pop(page.file.src_uri, None)
        if typeset is not None:
            page.content = typeset
        return context

    # -- build end ------------------------------------------------------------------------
    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        watch(server, [compute_source(), *self._dependencies], self.citations.watched())
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        engine = self.engine
        if engine is None:
            return
        engine.close()
        self._progress.close()
        self._serve.remember(engine)
        if self.math is not None:
            self.math.finish()
        report_build(
            engine,
            self._progress,
            self.math,
            dirty=self._dirty,
            fail_on_error=self.config.fail_on_error,
        )

    def on_build_error(self, *, error: Exception) -> None:
        if self.engine is not None:
            self.engine.close()
            self._progress.close()
        if self.math is not None:
            self.math.cancel()

    def on_shutdown(self) -> None:
        # Ctrl-C on `mkdocs serve`: pages still running are killed, not waited for.
        if self.engine is not None:
            self.engine.close()


def _read_source(page: Page) -> str:
    return page.file.content_string
