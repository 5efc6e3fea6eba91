"""``markdown_extensions: [infotheory]``: the core as a Python-Markdown extension.

For every host that builds pages with Python-Markdown but runs no MkDocs plugins: a plain
``markdown.markdown(text, extensions=["infotheory"])`` call, and Zensical (a site host, see
:mod:`.site` and :mod:`mkdocs_infotheory.hosts.zensical`). It keeps the plugin's contract:

* it adds the Markdown extensions a math post needs (:mod:`~mkdocs_infotheory.hosts.defaults`;
  an extension the author configured keeps the author's settings);
* a preprocessor runs fences and inline values (after ``pymdownx.snippets``, so included
  fences run too) and names the page as ``docs/PAGE.md:LINE`` (the site host names the page;
  elsewhere the ``filename`` setting does);
* a postprocessor renders math at build time with KaTeX (:mod:`.math`);
* every failure is collected: on ``extension.diagnostics`` (nothing is logged; the caller
  decides), and on a site host for its end-of-build report.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import MkDocsException

from ...core import Diagnostic, Engine, EngineSettings
from ...pages import body_start, read_page, runs_code
from ..citations import cite_in_extension
from ..defaults import DEFAULT_EXTENSIONS, SettingError
from ..lines import line_map
from ..mkdocs.config import InfotheoryConfig
from ..mkdocs.settings import settings_for, validated_options
from ..notebook_blocks import MARKER, Embedded, expand_blocks
from . import compat
from .builds import Build, build_for
from .math import clean_toc, math_cache, quiet_line_anchors, render_math
from .options import SHARED_OPTIONS, math_setting, own_options, shared_values
from .site import PageContext, SiteHost, find_site


class _ExecutePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: InfotheoryExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        extension = self.extension
        text = "\n".join(lines)
        extension.tree_done = False  # a new document: see _TreeDone
        page = extension.page(self.md)
        source = _read(page.source_file)
        extension.source = source if source is not None else text
        blocks: list[Diagnostic] = []
        if MARKER in text:  # notebook blocks: the notebook's cells become the page's
            embedded, blocks = self.notebooks(page, text, source)
            text, lines = (embedded.text, embedded.text.split("\n")) if embedded else (text, lines)
        if not runs_code(text):
            extension.record(page, blocks)
            return lines
        engine = extension.build().engine
        first_line, lines = _locate(source, text) if source is not None else (1, None)
        outcome = engine.process(
            engine.prepare(page.display_path, text, first_line, lines),
            lambda html, block: self.md.htmlStash.store(html),
        )
        extension.record(page, blocks + outcome.diagnostics)
        failed = [d for d in outcome.diagnostics if d.level == "warning"]
        if failed and extension.options().fail_on_error and extension.site is None:
            # A site host fails the build when it ends, as the plugin does.
            raise ExecutionFailed(failed)
        return outcome.markdown.split("\n")

    def notebooks(
        self, page: PageContext, text: str, source: str | None
    ) -> tuple[Embedded | None, list[Diagnostic]]:
        root, docs_dir = self.extension.folders()
        store = self.md.htmlStash.store
        return expand_blocks(
            text,
            source,
            page.display_path,
            docs_dir,
            root,
            self.extension.options().notebook_outputs,
            lambda html, block: store(html),
        )


class _TreeDone(Treeprocessor):
    """Marks the end of tree processing. Python-Markdown's ``toc`` runs every postprocessor on
    each heading's inner HTML (to name the heading and make its id) before the one run on the
    whole page; the math step must act on the page only, or every heading with math took the
    page's KaTeX stylesheet into its id, its TOC entry and (Zensical) the page title."""

    def __init__(self, md: Markdown, extension: InfotheoryExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        self.extension.tree_done = True


class _MathPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, extension: InfotheoryExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        extension = self.extension
        if not extension.tree_done:
            # A heading's (or the TOC's) fragment: left as TeX, so the heading gets the same id
            # as on MkDocs; its TOC entry is given a plain-text reading below.
            return text
        page = extension.page(self.md)
        site = extension.site
        build = extension.build() if site is not None else None
        text, cited = cite_in_extension(
            text,
            extension.folders()[0],
            extension.options(),
            page.source_file,
            extension.source or "",
            page.display_path,
        )
        html, diagnostics = render_math(
            text,
            page.display_path,
            extension.source or "",
            build.math_cache if build is not None else None,
            extension.macros(),
            site.labels(build, self.md) if site is not None and build is not None else None,
            site.page_id(self.md) if site is not None else "",
            build,
        )
        cited_diagnostics = [Diagnostic("warning", *problem) for problem in cited]
        extension.record(page, cited_diagnostics + diagnostics, replace=False)
        from ...math.renderer import normalise_macros

        clean_toc(self.md, normalise_macros(extension.macros()))
        return quiet_line_anchors(html)


class ExecutionFailed(RuntimeError):
    """``fail_on_error`` on a plain Markdown call: a fence failed (the messages are also on
    ``extension.diagnostics``)."""

    def __init__(self, failures: list[Diagnostic]) -> None:
        super().__init__(f"{failures[0]} ({len(failures)} failure(s); fail_on_error is set)")
        self.failures = failures


class InfotheoryExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = own_options()
        #: The shared options the author gave the extension (the rest: the site, defaults).
        self._given: dict[str, Any] = {}
        self._options: InfotheoryConfig | None = None
        if "math" in kwargs:
            kwargs["math"] = math_setting(kwargs["math"])
        super().__init__(**kwargs)
        self.diagnostics: list[Diagnostic] = []
        self.source: str | None = None
        #: False while the page's tree is processed (see _TreeDone).
        self.tree_done = True
        #: The site host converting this page (Zensical), or None for a plain Markdown call.
        self.site: SiteHost | None = None
        self._build: Build | None = None
        self._defaults_pending = False

    def setConfig(self, key: str, value: Any) -> None:
        if key in SHARED_OPTIONS:
            # Kept as given: the plugin's checks judge it (Python-Markdown would turn every
            # value of an option whose default is a bool or None into a bool).
            self._given[key] = value
            self.config[key][0] = value
            self._options = None
            return
        super().setConfig(key, value)

    # -- set-up --------------------------------------------------------------------------
    def extendMarkdown(self, md: Markdown) -> None:
        self.site = find_site(md)
        self.md = md
        self._refusing(self.options)  # a wrong setting stops here, before any page is converted
        self._defaults_pending = bool(self.getConfig("markdown_extensions"))
        # reset() runs once every listed extension is registered: the defaults go in then, so
        # one the author lists after ours is never registered twice.
        md.registerExtension(self)
        # After snippets (32) and whitespace normalisation (30), before fences are stashed (25).
        md.preprocessors.register(_ExecutePreprocessor(md, self), "infotheory", 28)
        if self.getConfig("math"):
            # Last, on the final HTML: the same HTML the MkDocs plugin sees in on_page_content.
            md.postprocessors.register(_MathPostprocessor(md, self), "infotheory_math", 1)
            # After every other treeprocessor (toc is 5, unescape 0).
            md.treeprocessors.register(_TreeDone(md, self), "infotheory_tree_done", -100)

    def reset(self) -> None:
        if self._defaults_pending:
            self._defaults_pending = False
            add_default_extensions(self.md)

    def _refusing(self, step: Any) -> Any:
        """Run ``step``; a configuration error ends a site host's build (one message, a
        non-zero exit) and is raised to a plain Markdown call."""
        try:
            return step()
        except SettingError as error:
            if self.site is not None:
                self.site.refuse(error)
            raise

    def options(self) -> InfotheoryConfig:
        """The shared options, checked as the plugin checks them: the extension's own, else
        those of the site's configuration file (Zensical: ``plugins: - infotheory:`` in
        mkdocs.yml), else the defaults. An option that cannot be read is an error."""
        if self._options is None:
            site: dict[str, Any] = {}
            dotted = None
            if self.site is not None:
                values, dotted = self.site.options()
                site = shared_values(values)
            if not self._given:
                self._options = validated_options(site, "mkdocs.yml's plugin", dotted)
            else:
                if site:  # each value named where it was set
                    validated_options(site, "mkdocs.yml's plugin", dotted)
                merged = {**site, **self._given}
                self._options = validated_options(merged, "the Markdown extension's")
        return self._options

    def macros(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.options().macros or {}).items()}

    def folders(self) -> tuple[Path, Path]:
        """The project and docs folders: the site's, or the current folder."""
        if self.site is not None:
            return self.site.root, self.site.docs_dir
        return Path.cwd(), Path.cwd()

    def settings(self) -> tuple[EngineSettings, list[str]]:
        """The engine's settings, made by the plugin's own function from the same options,
        and the problems with listed ``dependencies``. Differences, all of the host: code
        runs in ``cwd`` when set; outside a site there is no results cache and no project
        folder on ``sys.path``."""
        root, docs_dir = self.folders()
        try:
            site = settings_for(self.options(), root, docs_dir)
        except MkDocsException as error:
            # MKDOCS_INFOTHEORY_EXECUTE or _FREEZE not understood: fails closed, runs nothing.
            raise SettingError(str(error)) from None
        cwd = self.getConfig("cwd")
        in_site = self.site is not None
        engine = replace(
            site.engine,
            cwd=str((root / cwd).resolve()) if cwd else site.engine.cwd,
            cache_dir=site.engine.cache_dir if in_site else None,
            paths=site.engine.paths if in_site else (),
        )
        return engine, site.problems

    def build(self) -> Build:
        """The build this page belongs to: one engine per distinct settings, per process
        (a site host makes a new extension for every page)."""
        if self._build is None:
            settings, problems = self._refusing(self.settings)
            options = self.options()

            def make() -> Build:
                cache = math_cache(settings.cache_dir)
                build = Build(Engine(settings), cache, fail_on_error=options.fail_on_error)
                where = "mkdocs.yml" if self.site is not None else self.getConfig("filename")
                build.notices = [Diagnostic("warning", where, 0, problem) for problem in problems]
                if cache.warning:
                    build.notices.append(Diagnostic("warning", where, 0, cache.warning))
                if self.site is not None:
                    self.site.start(build, options, settings)
                return build

            self._build, _created = build_for(settings, make)
            self.diagnostics.extend(self._build.notices)
        return self._build

    # -- per page ------------------------------------------------------------------------
    def page(self, md: Markdown) -> PageContext:
        page = self.site.page(md) if self.site is not None else None
        return page if page is not None else PageContext(self.getConfig("filename"))

    def record(self, page: PageContext, found: list[Diagnostic], replace: bool = True) -> None:
        """Keep the page's messages: on the extension, and for the site's report."""
        self.diagnostics.extend(found)
        if self.site is not None:
            self.site.record(self.build(), page, found, replace)


def makeExtension(**kwargs: Any) -> InfotheoryExtension:
    return InfotheoryExtension(**kwargs)


def add_default_extensions(md: Markdown) -> None:
    """Register the defaults the author did not list; one they listed keeps their settings.

    Called from :meth:`InfotheoryExtension.reset`, when every extension the host was given is
    registered.
    """
    for name, settings in DEFAULT_EXTENSIONS.items():
        if compat.present(md, name):
            continue
        try:
            md.registerExtensions([name], {name: dict(settings)})
        except ValueError:  # e.g. a pymdownx block of that name is already registered
            continue


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return read_page(path)
    except (OSError, ValueError):
        return None


def _locate(source: str, text: str) -> tuple[int, list[int] | None]:
    """Where ``text`` (the page as the host handed it over) sits in the author's file: the
    file line it starts at, and a line map when it is not the file's text verbatim.

    Zensical removes YAML front matter before Markdown sees the page; ``pymdownx.snippets``
    (which runs before us) may have included other files.
    """
    stripped = text.lstrip("\n")
    body = stripped.rstrip("\n")
    if body:
        position = source.find(body)
        if position >= 0:
            return source.count("\n", 0, position) + 1 - (len(text) - len(stripped)), None
    start = body_start(source)
    own = source.split("\n")[start - 1 :]
    return start, line_map(own, text.split("\n"))
