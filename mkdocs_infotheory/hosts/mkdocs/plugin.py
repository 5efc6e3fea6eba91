"""``plugins: [infotheory]``: wires the core into MkDocs' build events.

Data flows one way: ``on_files`` starts every page's code running in parallel,
``on_page_markdown`` splices the results into the page's Markdown, ``on_page_content`` renders
math and puts raw-HTML fragments in place, ``on_post_build`` reports and tidies the cache.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE, get_data

from ...core import Diagnostic, Engine, PreparedPage
from ...core.model import CellResult
from ...core.progress import Progress
from ...storage import read_bytes
from ..defaults import EXTENSION_NAMES, compute_source
from ..notebook_blocks import MARKER
from .citations import CitationStage
from .config import InfotheoryConfig
from .extensions import add_default_extensions
from .fragments import Fragments
from .headings import clean_math_titles
from .logs import plugin_logger
from .notebooks import NotebookPages
from .references import ReferenceStage
from .settings import (  # noqa: F401  (the execute switch's names stay importable here)
    EXECUTE_VARIABLE,
    display_path,
    execute_from_environment,
    first_line,
    site_settings,
)
from .site_files import SCRIPT, SITE_FILES, STYLESHEET, add_files, link_scripts, link_stylesheets
from .snippets import Expander, prepare_page, snippet_expander

if TYPE_CHECKING:  # only `mkdocs serve` needs it: importing it costs a `mkdocs build` ~20 ms
    from mkdocs.livereload import LiveReloadServer

    from ...core.writes import Snapshot  # `mkdocs serve` only
    from .math import MathStage  # imported by on_config unless math: none (~10 ms of CPU)

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
        self.notebooks = NotebookPages()
        self.citations = CitationStage(Path.cwd(), [], None)
        self._content_pages: list[Page] = []
        #: KaTeX-typeset content of pages whose search reading is in place, until search ran.
        self._typeset: dict[str, str] = {}
        self._dirty = False
        self._fragments: dict[str, Fragments] = {}
        self._paths: dict[str, str] = {}
        self._real_folders: dict[str, str] = {}  # display_path's memo of resolved folders
        self._prepared: dict[str, PreparedPage] = {}
        #: Pages rendered in ``on_files`` (their results were known): fragments and outcome.
        #: Pages rendered in ``on_files`` (their results were known): the text they were
        #: rendered from, their fragments, Markdown and messages.
        self._rendered: dict[str, tuple[str, Fragments, str, list[Diagnostic]]] = {}
        self._expand: Expander | None = None
        self._dependencies: list[Path] = []
        self._project_dir = Path.cwd()
        # `mkdocs serve` only: what the watched folders looked like when the last build ended,
        # when this build started, and the last build's results (see core.writes).
        self._serving = False
        self._watched: list[Path] = []
        self._after_last_build: Snapshot | None = None
        self._build_started_ns = 0
        self._last_build_started_ns = 0
        self._last_results: dict[str, list[CellResult]] = {}

    # -- configuration ------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        options = self.config
        self._project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        if _drop_extension(config):
            log.info(
                "mkdocs.yml: the infotheory plugin does what markdown_extensions: [infotheory] "
                "does, so the extension is left out (each fence runs once)"
            )
        if options.markdown_extensions:
            add_default_extensions(config.markdown_extensions, config.mdx_configs)
        if not options.google_fonts and _theme_name(config) == "material":
            # Material asks Google for Roboto on every page view; system fonts need no network.
            config.theme["font"] = False
            if config.repo_url and "github.com" in config.repo_url:
                log.info(
                    "mkdocs.yml: repo_url makes Material's repository widget call api.github.com "
                    "on every page view; leave repo_url out for pages that stay private"
                )
        self._expand = snippet_expander(config.markdown_extensions, config.mdx_configs)
        if self._expand is not None:  # pages the plugin expanded are not expanded again
            config.markdown_extensions.append(self._expand.once)  # type: ignore[arg-type]
        site = site_settings(options, config)
        self.notebooks.configure(site.docs_dir, self._project_dir, options.notebook_outputs)
        self._dependencies = site.dependencies
        for problem in site.problems:
            log.warning("mkdocs.yml: plugins.infotheory.dependencies: %s", problem)
        freeze_dir = site.engine.freeze_dir
        if (
            site.engine.freeze != "false"
            and freeze_dir
            and freeze_dir.is_relative_to(site.docs_dir)
        ):
            log.warning(
                "mkdocs.yml: plugins.infotheory.freeze_dir %s is inside docs_dir: its files "
                "would be published and every write would rebuild `mkdocs serve`; put it "
                "beside mkdocs.yml (the default _freeze)",
                options.freeze_dir,
            )
        cache_root = self._project_dir / options.cache_dir
        watched = [site.docs_dir, *map(Path, config.watch)]
        if config.config_file_path:
            watched.append(Path(config.config_file_path))
        self.engine = Engine(
            site.engine, reuse=self._echo_of_last_build(watched), remember=self._serving
        )
        self.engine.observer = self._progress = Progress(log.info)
        self._fragments = {}
        self._paths = {}
        self._real_folders = {}
        self._prepared = {}
        self._rendered = {}
        math_cache = cache_root / "math.json" if options.cache else None
        for name, definition in options.macros.items():
            if not isinstance(name, str) or not isinstance(definition, (str, int, float)):
                raise PluginError(
                    f"mkdocs.yml: plugins.infotheory.macros: {name!r} must map a macro name to "
                    f'its TeX definition as a string, e.g. KL: "D_{{\\mathrm{{KL}}}}"'
                )
        macros = {name: str(definition) for name, definition in options.macros.items()}
        self._macros = macros
        self.math = None
        if options.math != "none":
            from .math import MathStage

            self.math = MathStage(options.math, math_cache, options.mathjax_url, macros)
            self.math.start(site.docs_dir)  # in the background, while MkDocs reads the files
            self.math.configure(config)
        self.references = ReferenceStage(math=options.math != "none")
        self.citations = CitationStage(self._project_dir, options.bibliography, options.csl)
        self._content_pages = []
        link_stylesheets(config, [STYLESHEET])
        link_scripts(config, [SCRIPT])
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Every plugin's configuration is valid now: on a build without cached results (a
        fresh checkout or CI runner), start running pages while MkDocs lists its files."""
        if self.engine is not None and not self.engine.has_cached_results:
            threading.Thread(target=self._run_early, args=(config,), daemon=True).start()

    def _run_early(self, config: MkDocsConfig) -> None:
        """Start running pages while MkDocs is still starting up (a thread from
        ``on_pre_build``, on a build without cached results, e.g. a fresh CI runner).

        Why: from ``on_pre_build`` to ``on_files`` MkDocs works on one CPU and the others idle;
        the fork server imports numpy there and the first pages run, instead of after
        ``on_files``, when MkDocs already waits for them. The pages are found as MkDocs finds
        them (its own ``get_files``: the same exclusions and drafts; its messages are not
        repeated) and prepared as ``on_files`` prepares them, so ``on_files`` finds each one
        running (the engine runs a page once). A site without code starts nothing.
        """
        engine = self.engine
        assert engine is not None
        files_log = logging.getLogger("mkdocs.structure.files")
        quiet = _OtherThreadsOnly(threading.current_thread())
        files_log.addFilter(quiet)
        try:
            from mkdocs.structure.files import get_files

            files = get_files(config)
        except Exception:  # MkDocs meets (and reports) the same problem itself
            return
        finally:
            files_log.removeFilter(quiet)
        for file in files.documentation_pages():
            try:
                source = _read_page(file)
                markdown = _without_front_matter(source)
                if not _may_run(markdown):
                    continue
                engine.start_early()
                engine.prefetch(self._prepare_file(file, source, markdown))
            except Exception:  # on_files prepares the page again and reports what is wrong
                continue

    # -- per page -------------------------------------------------------------------------
    def _page_path(self, file: File) -> str:
        """How messages name the page, e.g. ``docs/index.md`` (computed once per page)."""
        if file.src_uri not in self._paths:
            self._paths[file.src_uri] = display_path(
                file.abs_src_path, self._project_dir, file.src_uri, self._real_folders
            )
        return self._paths[file.src_uri]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Start executing every page now, so pages run in parallel with the build; render
        now the pages whose results are already known (see :meth:`_render_known`)."""
        assert self.engine is not None
        math = self.math
        if math is not None:
            math.add_files(files, config)
        add_files(files, config, SITE_FILES)
        files = self.notebooks.add(files, config, self.config.notebook_outputs, self._page_path)
        for file in files.documentation_pages():
            try:
                source = _read_page(file)
            except (OSError, ValueError):
                continue  # MkDocs reports unreadable pages itself
            if not self._dirty:
                _keep_reading(file, source)
            markdown = _without_front_matter(source)
            if math is not None:
                math.prefetch(markdown)
            if not _may_run(markdown):
                continue
            page = self._prepare_file(file, source, markdown)
            self._prepared[file.src_uri] = page
            self.engine.prefetch(page)
        self._rendered = {}
        if _pages_reach_us_unchanged(config, self):
            self._render_known()
        return files

    def _render_known(self) -> None:
        """Render every prepared page that waits for no run (cached, frozen or reused
        results), one page after the other, ahead of MkDocs.

        Why: on a warm build this is all the plugin does for a page (read its results, splice
        them in), and doing it for every page in one loop, while its code and data are still
        in the processor's caches, costs a fifth less than doing it page by page between
        MkDocs' own work. Pages still running are left to ``on_page_markdown``, after all runs
        were started, so none waits for another. The outcome is used only if the page reaches
        ``on_page_markdown`` with the same text (see ``_pages_reach_us_unchanged``).
        """
        assert self.engine is not None
        for src_uri, page in list(self._prepared.items()):
            if self.engine.waits_for_run(page):
                continue
            fragments = Fragments()
            outcome = self.engine.process(page, fragments.placeholder)
            # Kept: what on_page_markdown needs, not the parsed page nor its results (fewer
            # live objects for the garbage collector to walk while MkDocs builds).
            del self._prepared[src_uri]
            rendered = (page.source, fragments, outcome.markdown, outcome.diagnostics)
            self._rendered[src_uri] = rendered

    def _prepare(self, page: Page, markdown: str) -> PreparedPage:
        """The page's record from ``on_files``, or a new one when its text changed since
        (another plugin edited it, or ``mkdocs serve`` rebuilt without ``on_files``)."""
        assert self.engine is not None
        prepared = self._prepared.pop(page.file.src_uri, None)
        if prepared is not None and prepared.source == markdown:
            return prepared
        if prepared is not None:
            self.engine.discard(prepared)
            log.debug("%s changed after on_files; running it again", prepared.filename)
        line = first_line(page.file.content_string, markdown)
        return self._prepare_text(self._page_path(page.file), markdown, line)

    def _prepare_file(self, file: File, source: str, markdown: str) -> PreparedPage:
        """The record of a page read from disk (``on_files`` and the early start alike)."""
        return self._prepare_text(self._page_path(file), markdown, first_line(source, markdown))

    def _prepare_text(self, page_path: str, markdown: str, start_line: int) -> PreparedPage:
        assert self.engine is not None
        expand = self.notebooks.expander(page_path, start_line, self._expand)
        return prepare_page(self.engine, expand, page_path, markdown, start_line, self._expand)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.engine is not None
        src_uri = page.file.src_uri
        rendered = self._rendered.pop(src_uri, None)
        if rendered is not None and rendered[0] == markdown:
            _, fragments, result, diagnostics = rendered
        else:
            fragments = Fragments()
            outcome = self.engine.process(self._prepare(page, markdown), fragments.placeholder)
            result, diagnostics = outcome.markdown, outcome.diagnostics
        self._fragments[src_uri] = fragments
        if self._expand is not None:
            self._expand.rendered(self._page_path(page.file))
        _log(self.notebooks.locate(src_uri, diagnostics))
        if self.math is not None and result != markdown:
            self.math.prefetch(result)  # formulas in generated output
        return result

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put raw fragments in place and number the page; math waits for ``on_env``."""
        fragments = self._fragments.pop(page.file.src_uri, None)
        if fragments:
            html = fragments.insert(html)
        html = self.notebooks.finish(page.file.src_uri, self._page_path(page.file), html)
        self._content_pages.append(page)
        html = self.citations.cite(page, html, self._page_path(page.file))
        return self.references.number(page, html, self._page_path(page.file))

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
                path = self._page_path(page.file)
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
        # A change in compute or a listed dependency changes the cache keys of the pages that
        # run code, so the rebuild re-runs exactly those; watching makes the rebuild happen.
        for path in {compute_source(), *self._dependencies}:
            server.watch(str(path))
        for path in self.citations.watched():  # bibliographies and a style outside docs/
            if path.exists():
                server.watch(str(path))
        return server

    def _echo_of_last_build(self, watched: list[Path]) -> dict[str, list[CellResult]] | None:
        """Under `mkdocs serve`: the last build's results when nothing it watches (``watched``:
        docs folder, `watch:` entries, mkdocs.yml; plus the dependencies) changed since it
        ended, i.e. this rebuild was caused only by files its own fences wrote (they would
        write again and rebuild forever); None otherwise."""
        if not self._serving:
            return None
        self._watched = [*watched, *self._dependencies]
        from ...core.writes import Snapshot

        previous = self._after_last_build
        self._build_started_ns = time.time_ns()
        if previous is None or Snapshot.take(self._watched) != previous:
            return None
        written = previous.written_since(self._last_build_started_ns)
        if written:
            names = ", ".join(display_path(p, self._project_dir, p) for p in written)
            log.warning(
                "%s changed while the last build ran (written by a fence?), which made "
                "`mkdocs serve` rebuild; the pages were not run again, so it does not loop. "
                "Write such files outside the docs folder and the listed dependencies.",
                names,
            )
        return self._last_results

    def _remember_build(self, engine: Engine) -> None:
        if self._serving:
            from ...core.writes import Snapshot

            self._after_last_build = Snapshot.take(self._watched)
            self._last_build_started_ns = self._build_started_ns
            self._last_results = engine.memory

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        engine = self.engine
        if engine is None:
            return
        engine.close()
        self._progress.close()
        self._remember_build(engine)
        if self.math is not None:
            self.math.finish()
        cache = engine.cache
        if cache is not None:
            for problem in cache.problems:
                log.warning(problem)
            if not self._dirty:
                cache.evict_unused()
        # One warning for an unwritable cache folder, however many caches live in it.
        write_errors = [
            error
            for error in (
                cache.write_error if cache else None,
                self.math.cache.write_error if self.math and self.math.cache else None,
            )
            if error
        ]
        if write_errors:
            log.warning(write_errors[0])
        self._finish_freeze(engine)
        if engine.stats.pages:
            log.info(engine.stats.summary() + self._progress.summary_suffix())
        if self.config.fail_on_error and engine.stats.failures:
            raise PluginError(
                f"{engine.stats.failures} fence(s) failed and fail_on_error is set; "
                "see the warnings above"
            )

    def _finish_freeze(self, engine: Engine) -> None:
        """Report unreadable frozen files; under ``auto``, a full build also deletes the
        frozen files of pages that were removed or no longer run code."""
        store = engine.freeze
        if store is None:
            return
        for problem in store.problems:
            log.warning(problem)
        if engine.settings.freeze == "auto" and not self._dirty:
            for name in store.prune(store.used):
                log.info(
                    "freeze: deleted %s/%s (its page has no code any more)",
                    store.directory.name,
                    name,
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


def _drop_extension(config: MkDocsConfig) -> bool:
    """Remove our own Markdown extension from the config: the plugin runs the same code."""
    kept = [item for item in config.markdown_extensions if not _is_our_extension(item)]
    if len(kept) == len(config.markdown_extensions):
        return False
    config.markdown_extensions[:] = kept
    for name in EXTENSION_NAMES:
        config.mdx_configs.pop(name, None)
    return True


def _pages_reach_us_unchanged(config: MkDocsConfig, plugin: InfotheoryPlugin) -> bool:
    """Whether ``on_page_markdown`` will see each page's text as ``on_files`` read it: no
    plugin replaces how pages are read, and none edits a page's Markdown before this one.
    (Where one does, a page rendered early could be rendered again, and counted twice.)"""
    events = getattr(config.plugins, "events", None)  # MkDocs and ProperDocs 1.6 have it
    if not isinstance(events, dict) or events.get("page_read_source"):
        return False
    handlers = events.get("page_markdown", [])
    return bool(handlers) and getattr(handlers[0], "__self__", None) is plugin


def _may_run(markdown: str) -> bool:
    """Whether a page may hold code to run (fences, inline values, or snippets with them)."""
    return "exec=" in markdown or "{python}" in markdown or "8<-" in markdown or MARKER in markdown


class _OtherThreadsOnly(logging.Filter):
    """Drops the records one thread logs (the early start's second reading of the files)."""

    def __init__(self, thread: threading.Thread) -> None:
        super().__init__()
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread() is not self.thread


def _is_our_extension(item: object) -> bool:
    if isinstance(item, str):
        return item in EXTENSION_NAMES
    return type(item).__module__.startswith("mkdocs_infotheory.hosts.markdown")


def _read_page(file: File) -> str:
    """``file.content_string`` (UTF-8 with an optional byte-order mark, universal newlines),
    read with four system calls instead of nine: on a warm build, reading every page was a
    third of ``on_files``. Should the text differ from MkDocs' own reading, ``_prepare``
    sees it and prepares the page again."""
    if file.abs_src_path is None:
        return file.content_string
    text = read_bytes(file.abs_src_path).decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _keep_reading(file: File, source: str) -> None:
    """Give MkDocs this reading of the page, so it does not read the file a second time to
    build the page (about 40 µs a page on a warm build, a tenth of the plugin's cost).

    ``_content`` is where MkDocs (1.6) keeps the text of a file it did not read from disk
    (``File.generated``); ``content_string`` returns it. If a later MkDocs keeps it elsewhere,
    this has no effect and MkDocs reads the file as before. Not under ``--dirty``: a file with
    ``_content`` counts as modified, and that build must skip unmodified pages.
    """
    if getattr(file, "_content", False) is None:
        file._content = source


def _without_front_matter(source: str) -> str:
    """The page's Markdown as MkDocs will hand it to ``on_page_markdown``, without parsing the
    YAML: MkDocs does that again when it reads the page. Where the guess is wrong (front
    matter that is not a mapping), ``_prepare`` sees the text differ and prepares it again."""
    match = YAML_RE.match(source)
    if match is None:
        return get_data(source)[0]  # no YAML: MultiMarkdown-style meta, cheap
    return source[match.end() :].lstrip("\n")


def _read_source(page: Page) -> str:
    return page.file.content_string


def _theme_name(config: MkDocsConfig) -> str | None:
    return getattr(config.theme, "name", None)


def _log(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        if diagnostic.level == "warning":
            log.warning(str(diagnostic))
        else:
            log.info(str(diagnostic))
