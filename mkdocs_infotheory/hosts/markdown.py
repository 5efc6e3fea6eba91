"""``markdown_extensions: [infotheory]``: the core as a Python-Markdown extension.

This is the adapter for every host that builds pages with Python-Markdown but runs no MkDocs
plugins: Zensical (which reads ``markdown_extensions`` from ``mkdocs.yml`` or
``zensical.toml``) and a plain ``markdown.markdown(text, extensions=["infotheory"])`` call.
It keeps the plugin's contract:

* it adds the Markdown extensions a math post needs (:mod:`~mkdocs_infotheory.hosts.defaults`;
  an extension the author configured keeps the author's settings);
* a preprocessor runs fences and inline values (after ``pymdownx.snippets``, so included
  fences run too) and names the page as ``docs/PAGE.md:LINE`` (on Zensical the page comes from
  its context extension; elsewhere from the ``filename`` setting);
* a postprocessor renders math at build time with KaTeX (:func:`_render_math` is the one call
  into :mod:`mkdocs_infotheory.math`) and puts KaTeX's stylesheet, with only the fonts the
  page uses, inline in the page (see :mod:`mkdocs_infotheory.math.inline` for why);
* every failure is collected; on Zensical they are printed when the build ends, and
  ``zensical build --strict`` exits 1 (Zensical itself ignores extension warnings).

Messages for a plain Markdown call are in ``extension.diagnostics`` (nothing is logged; the
caller decides).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import json
import os
import re
import sys
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import MkDocsException

from ..core import Diagnostic, Engine, EngineSettings
from ..math.plaintext import has_inline_math, text_of_math
from ..storage import MAX_STATE_BYTES, UnreadableFile, atomic_write_text, read_json
from .defaults import DEFAULT_EXTENSIONS, SettingError
from .defaults import EXTENSION_NAMES as NAMES
from .lines import body_start, line_map, shown_path
from .mkdocs.config import InfotheoryConfig
from .mkdocs.settings import settings_for, validated_options
from .prefetch import digest, prefetch_site, remember_pages
from .site_labels import SiteLabels

_LINE_ANCHOR = re.compile(r'<a id="(__codelineno-[\w-]+)" name="\1" href="#\1"></a>')

#: The plugin's options the extension takes too, with the plugin's names, defaults, checks
#: and meaning (validated by the plugin's own Config class; see :meth:`settings`). On
#: Zensical, one not given to the extension comes from ``plugins: - infotheory:`` in
#: mkdocs.yml, so one file configures every host.
SHARED_OPTIONS: dict[str, str] = {
    "execute": "run code at all (MKDOCS_INFOTHEORY_EXECUTE=false wins)",
    "preamble": "code run at the start of every namespace",
    "timeout": "seconds a fence may run",
    "max_output": "characters of output kept per fence and inline value",
    "workers": "pages run in parallel (default: the number of CPUs)",
    "cache": "reuse results from cache_dir (on Zensical)",
    "cache_dir": "cache folder, relative to the project folder",
    "dependencies": "files, folders or modules the results depend on (cache keys)",
    "fail_on_error": "fail the build when a fence fails, even without --strict",
    "figure_format": "svg or png",
    "freeze": "false, auto or true: reuse results committed in freeze_dir",
    "freeze_dir": "folder of frozen results, relative to the project folder",
    "macros": "TeX macros known in every formula, e.g. {'KL': 'D_{\\mathrm{KL}}'}",
}


@dataclass(frozen=True)
class _PageContext:
    """Where a page comes from, as far as the host tells us."""

    display_path: str
    source_file: Path | None = None


@dataclass(frozen=True)
class _Host:
    """Build-wide facts: the project root and docs folder (Zensical), or the current folder."""

    root: Path
    docs_dir: Path
    zensical: bool


@dataclass
class _Build:
    """What every page of one build shares: the engine, KaTeX, and the failures so far."""

    engine: Engine
    math_cache: Any
    failures: dict[str, list[Diagnostic]] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)
    labels: SiteLabels | None = None
    host: _Host | None = None
    fail_on_error: bool = False
    #: Zensical: where the build's bookkeeping lives (``cache_dir``: failures.json,
    #: pages.json), kept with ``cache: false`` too, so failures are still reported.
    state_dir: Path | None = None
    #: Build-wide messages (the settings, the math cache): printed at exit, counted by
    #: ``--strict``, never remembered for a page.
    notices: list[Diagnostic] = field(default_factory=list)
    #: Why KaTeX could not start in this process (reported once; pages keep their TeX).
    math_refused: str | None = None


_BUILDS: dict[EngineSettings, _Build] = {}
_LOCK = threading.Lock()
_RENDERER: Any = None


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
        if "exec=" not in text and "{python}" not in text:
            extension.record(page, [])
            return lines
        engine = extension.build().engine
        first_line, lines = _locate(source, text) if source is not None else (1, None)
        outcome = engine.process(
            engine.prepare(page.display_path, text, first_line, lines),
            lambda html, block: self.md.htmlStash.store(html),
        )
        extension.record(page, outcome.diagnostics)
        failed = [d for d in outcome.diagnostics if d.level == "warning"]
        if failed and extension.options().fail_on_error and not extension.host().zensical:
            # On Zensical the build fails at exit (see _finish), as the plugin's does.
            raise ExecutionFailed(failed)
        return outcome.markdown.split("\n")


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
        zensical = extension.host().zensical
        cache = extension.build().math_cache if zensical else None
        html, diagnostics = _render_math(
            text,
            page.display_path,
            extension.source or "",
            cache,
            extension.macros(),
            extension.site_labels(self.md) if zensical else None,
            _zensical_page(self.md) or "",
            extension.build() if zensical else None,
        )
        extension.record(page, diagnostics, replace=False)
        from ..math.renderer import normalise_macros

        _clean_toc(self.md, normalise_macros(extension.macros()))
        return _quiet_line_anchors(html)


def _clean_toc(md: Markdown, macros: dict[str, str]) -> None:
    """The ``toc`` extension's entries (Zensical's TOC, navigation and page title come from
    them) read math as plain text (``D_KL``), as the plugin makes MkDocs' do."""

    def clean(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            for key in ("name", "html"):
                value = token.get(key)
                if isinstance(value, str) and has_inline_math(value):
                    token[key] = text_of_math(value, escaped=True, macros=macros)
            clean(token.get("children") or [])

    tokens = getattr(md, "toc_tokens", None)
    if isinstance(tokens, list):
        clean(tokens)
    toc = getattr(md, "toc", None)
    if isinstance(toc, str) and has_inline_math(toc):
        md.toc = text_of_math(toc, escaped=True, macros=macros)  # type: ignore[attr-defined]


class ExecutionFailed(RuntimeError):
    """``fail_on_error`` on a plain Markdown call: a fence failed (the messages are also on
    ``extension.diagnostics``)."""

    def __init__(self, failures: list[Diagnostic]) -> None:
        super().__init__(f"{failures[0]} ({len(failures)} failure(s); fail_on_error is set)")
        self.failures = failures


class InfotheoryExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        schema = dict(InfotheoryConfig._schema)
        self.config = {
            "filename": ["<markdown>", "how messages name the document (outside Zensical)"],
            "cwd": ["", "working directory of the code (default: the docs folder, or '.')"],
            "math": [True, "render math at build time with KaTeX"],
            "markdown_extensions": [True, "add the Markdown extensions a math post needs"],
        }
        for name, description in SHARED_OPTIONS.items():
            self.config[name] = [copy.deepcopy(schema[name].default), description]
        #: The shared options the author gave the extension (the rest: mkdocs.yml, defaults).
        self._given: dict[str, Any] = {}
        self._options: InfotheoryConfig | None = None
        if "math" in kwargs:
            kwargs["math"] = _math_setting(kwargs["math"])
        super().__init__(**kwargs)
        self.diagnostics: list[Diagnostic] = []
        self.source: str | None = None
        #: False while the page's tree is processed (see _TreeDone).
        self.tree_done = True
        self._host: _Host | None = None
        self._build: _Build | None = None
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
        self._host = _host_of(md)
        self.md = md
        self.options()  # a wrong setting stops here, before any page is converted
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
            _add_default_extensions(self.md)

    def site_labels(self, md: Markdown) -> SiteLabels | None:
        """The build's label index of every page (built on first use; Zensical only)."""
        build = self.build()
        with _LOCK:
            if build.labels is None:
                config = getattr(_zensical_context(md), "config", None) or {}
                build.labels = SiteLabels(
                    self.host().docs_dir,
                    list(config.get("markdown_extensions") or []),
                    dict(config.get("mdx_configs") or {}),
                    bool(config.get("use_directory_urls", True)),
                    _add_default_extensions,
                    lambda name: name in NAMES,
                    self.host().root,
                )
            return build.labels

    def options(self) -> InfotheoryConfig:
        """The shared options, checked as the plugin checks them: the extension's own, else
        (on Zensical) those of ``plugins: - infotheory:`` in mkdocs.yml, else the defaults."""
        if self._options is None:
            site = _site_options(self.host())
            values = {name: site[name] for name in SHARED_OPTIONS if name in site}
            if self._given:
                values.update(self._given)
                where = "the Markdown extension's"
            else:
                where = "mkdocs.yml's plugin"
            self._options = validated_options(values, where)
        return self._options

    def macros(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.options().macros or {}).items()}

    def host(self) -> _Host:
        if self._host is None:
            self._host = _Host(Path.cwd(), Path.cwd(), zensical=False)
        return self._host

    def settings(self) -> tuple[EngineSettings, list[str]]:
        """The engine's settings, made by the plugin's own function from the same options,
        and the problems with listed ``dependencies``. Differences, all of the host: code
        runs in ``cwd`` when set; outside Zensical there is no results cache and no project
        folder on ``sys.path``."""
        host = self.host()
        try:
            site = settings_for(self.options(), host.root, host.docs_dir)
        except MkDocsException as error:
            # MKDOCS_INFOTHEORY_EXECUTE or _FREEZE not understood: fails closed, runs nothing.
            raise SettingError(str(error)) from None
        cwd = self.getConfig("cwd")
        engine = replace(
            site.engine,
            cwd=str((host.root / cwd).resolve()) if cwd else site.engine.cwd,
            cache_dir=site.engine.cache_dir if host.zensical else None,
            paths=site.engine.paths if host.zensical else (),
        )
        return engine, site.problems

    def build(self) -> _Build:
        """The build this page belongs to: one engine per distinct settings, per process
        (Zensical makes a new extension for every page)."""
        if self._build is None:
            settings, problems = self.settings()
            with _LOCK:
                build = _BUILDS.get(settings)
                if build is None:
                    host = self.host()
                    math_cache = _math_cache(settings, host)
                    build = _Build(Engine(settings), math_cache, host=host)
                    build.fail_on_error = self.options().fail_on_error
                    if host.zensical:
                        build.state_dir = host.root / self.options().cache_dir
                    where = "mkdocs.yml" if host.zensical else self.getConfig("filename")
                    build.notices = [
                        Diagnostic("warning", where, 0, problem) for problem in problems
                    ]
                    if math_cache.warning:
                        build.notices.append(Diagnostic("warning", where, 0, math_cache.warning))
                    _BUILDS[settings] = build
                    if len(_BUILDS) == 1:
                        atexit.register(_finish)
                    if host.zensical and settings.cache_dir is not None:
                        state = settings.cache_dir.parent / "pages.json"
                        prefetch_site(build.engine, host.docs_dir, host.root, state, _clean())
            self._build = build
            self.diagnostics.extend(build.notices)
        return self._build

    # -- per page ------------------------------------------------------------------------
    def page(self, md: Markdown) -> _PageContext:
        host = self.host()
        zensical_page = _zensical_page(md)
        if zensical_page is None:
            return _PageContext(self.getConfig("filename"))
        source = (host.docs_dir / zensical_page).resolve()
        return _PageContext(shown_path(source, host.root), source)

    def record(self, page: _PageContext, found: list[Diagnostic], replace: bool = True) -> None:
        """Keep the page's messages: on the extension, and for the end-of-build report."""
        self.diagnostics.extend(found)
        if not self.host().zensical:
            return
        build = self.build()
        with _LOCK:
            build.rendered.add(page.display_path)
            if replace:
                build.failures.pop(page.display_path, None)
            warnings = [d for d in found if d.level == "warning"]
            if warnings:
                build.failures.setdefault(page.display_path, []).extend(warnings)
        if _serving():
            # `zensical serve` runs until stopped: say it now, as the page is rendered.
            for diagnostic in warnings:
                print(f"WARNING -  {diagnostic}", file=sys.stderr, flush=True)


def _math_setting(value: Any) -> bool:
    """The extension's ``math`` setting: ``katex`` (or true) renders math at build time,
    ``none`` (or false) leaves it alone. The plugin's spelling is accepted, so one value can
    serve both; ``mathjax`` is the plugin's only (it adds MathJax's script to every page)."""
    spelled = str(value).strip().lower()
    if spelled in ("katex", "true", "yes", "on", "1"):
        return True
    if spelled in ("none", "false", "no", "off", "0"):
        return False
    hint = (
        "math: mathjax needs the MkDocs plugin (plugins: [infotheory]); "
        if spelled == "mathjax"
        else ""
    )
    raise ValueError(
        f"infotheory: the Markdown extension's math setting is katex or none, not {value!r}; "
        f"{hint}use katex (build-time math) or none (leave formulas alone)"
    )


def makeExtension(**kwargs: Any) -> InfotheoryExtension:
    return InfotheoryExtension(**kwargs)


# -- host facts ----------------------------------------------------------------------------
def _zensical_context(md: Markdown) -> Any:
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor" and hasattr(processor, "page"):
            return processor
    return None


def _zensical_page(md: Markdown) -> str | None:
    context = _zensical_context(md)
    path = getattr(getattr(context, "page", None), "path", None)
    return str(path) if path else None


def _host_of(md: Markdown) -> _Host:
    context = _zensical_context(md)
    config = getattr(context, "config", None)
    if not isinstance(config, dict):
        return _Host(Path.cwd(), Path.cwd(), zensical=False)
    root = Path(config.get("root_dir") or ".").resolve()
    docs = Path(config.get("docs_dir") or "docs")
    return _Host(root, (root / docs).resolve(), zensical=True)


def _add_default_extensions(md: Markdown) -> None:
    """Register the defaults the author did not list; one they listed keeps their settings.

    Called from :meth:`InfotheoryExtension.reset`, when every extension the host was given is
    registered. An extension counts as present when every processor it would add is already
    there (not every extension records itself in ``md.registeredExtensions``).
    """
    for name, settings in DEFAULT_EXTENSIONS.items():
        if _present(md, name):
            continue
        try:
            md.registerExtensions([name], {name: dict(settings)})
        except ValueError:  # e.g. a pymdownx block of that name is already registered
            continue


def _registries(md: Markdown) -> dict[str, Any]:
    return {
        "pre": md.preprocessors,
        "block": md.parser.blockprocessors,
        "inline": md.inlinePatterns,
        "tree": md.treeprocessors,
        "post": md.postprocessors,
    }


def _names(md: Markdown) -> set[tuple[str, str]]:
    return {(kind, name) for kind, registry in _registries(md).items() for name in registry._data}


_PROCESSORS: dict[str, frozenset[tuple[str, str]]] = {}


def _present(md: Markdown, name: str) -> bool:
    """Whether the processors extension ``name`` adds are all registered in ``md`` already."""
    if name not in _PROCESSORS:
        bare = _names(Markdown())
        _PROCESSORS[name] = frozenset(_names(Markdown(extensions=[name])) - bare)
    added = _PROCESSORS[name]
    return bool(added) and added <= _names(md)


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
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


def _quiet_line_anchors(html: str) -> str:
    """Keep pymdownx.highlight's empty per-line anchors (``anchor_linenums``) out of the tab
    order and the accessibility tree: Material's script handles them on MkDocs, but other
    themes (Zensical's) leave empty links a keyboard reaches (axe: link-name)."""
    return _LINE_ANCHOR.sub(
        lambda m: m.group(0).replace("></a>", ' aria-hidden="true" tabindex="-1"></a>'), html
    )


# -- math ----------------------------------------------------------------------------------
_RENDERERS: dict[tuple[tuple[str, str], ...], Any] = {}


def _renderer(macros: dict[str, str]) -> Any:
    """One KaTeX renderer per set of site macros, shared by every page of the process."""
    key = tuple(sorted(macros.items()))
    with _LOCK:
        if key not in _RENDERERS:
            from ..math import KatexRenderer

            _RENDERERS[key] = KatexRenderer(macros=macros)
        return _RENDERERS[key]


def _math_cache(settings: EngineSettings, host: _Host) -> Any:
    from ..math import MathCache

    # Next to the results cache, as the plugin keeps it.
    path = settings.cache_dir.parent / "math.json" if settings.cache_dir else None
    return MathCache(path)


def _render_math(
    html: str,
    display_path: str,
    source: str,
    cache: Any,
    macros: dict[str, str],
    labels: SiteLabels | None = None,
    page_id: str = "",
    build: _Build | None = None,
) -> tuple[str, list[Diagnostic]]:
    """The page's math step, the same as the plugin's: number equations, figures and tables
    and resolve references to them (against the site-wide ``labels`` on Zensical, else within
    the page), then render every formula with KaTeX, through :func:`refs.typeset_page`, and
    put the page's inline KaTeX stylesheet first.

    When KaTeX cannot start in this process (:class:`MathEngineError`, e.g. under
    ``ulimit -v``) the formulas stay TeX and the reason is reported once per build, as a
    warning that ``--strict`` counts; the plugin stops the build with the same message.
    """
    from ..math import MathEngineError
    from ..math.inline import page_stylesheet
    from ..refs import typeset_page

    numbered = labels.process(html, page_id) if labels else None
    refused = build.math_refused if build is not None else None
    found: list[Diagnostic] = []
    try:
        page = typeset_page(
            html, source, None if refused else _renderer(macros), cache, display_path, numbered
        )
    except MathEngineError as error:
        page = typeset_page(html, source, None, None, display_path, numbered)
        if build is not None:
            build.math_refused = str(error)
        found.append(Diagnostic("warning", display_path, 1, _engine_message(error)))
    found[:0] = [
        Diagnostic("warning", display_path, message.line or 1, message.message)
        for message in page.messages
    ]
    return page_stylesheet(page.html) + _page_css(page.html) + page.html, found


#: The plugin's own small stylesheet (output blocks, figure and table numbers, the red "??" of
#: an unknown reference). The plugin links it from every page; a Markdown extension cannot add
#: files to a site, so the pages that use it carry it.
_PAGE_CSS_FILE = Path(__file__).parent / "mkdocs" / "assets" / "infotheory.css"


def _page_css(html: str) -> str:
    if "infotheory-" not in html:  # none of the classes it styles
        return ""
    return f'<style class="infotheory-page">{_page_css_text()}</style>'


@functools.cache
def _page_css_text() -> str:
    """The stylesheet, read once per process (Zensical converts every page in one)."""
    return _PAGE_CSS_FILE.read_text(encoding="utf-8")


def _engine_message(error: Exception) -> str:
    """The plugin's message for a KaTeX that cannot start, with the extension's way out."""
    return (
        f"{error} With the Markdown extension, `math: none` leaves formulas as TeX "
        "(`math: mathjax` is the MkDocs plugin's)."
    )


_SITE_OPTIONS: dict[tuple[Path, int, int], dict[str, Any]] = {}


def _site_options(host: _Host) -> dict[str, Any]:
    """On Zensical, the settings of ``plugins: - infotheory:`` in the project's mkdocs.yml
    (Zensical drops plugin settings), so one mkdocs.yml configures every host. Read once per
    version of the file: Zensical makes a new extension for every page."""
    config_file = host.root / "mkdocs.yml"
    if not host.zensical:
        return {}
    try:
        stat = config_file.stat()
    except OSError:
        return {}
    key = (config_file, stat.st_mtime_ns, stat.st_size)
    if key not in _SITE_OPTIONS:
        _SITE_OPTIONS[key] = _read_plugin_block(config_file)
    return dict(_SITE_OPTIONS[key])


def _read_plugin_block(config_file: Path) -> dict[str, Any]:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return {}
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and isinstance(item.get("infotheory"), dict):
            return dict(item["infotheory"])
    return {}


# -- end of build ----------------------------------------------------------------------------
def _serving() -> bool:
    return "serve" in sys.argv[1:2]


def _clean() -> bool:
    """``zensical build --clean``: Zensical renders every page again."""
    return any(arg in ("--clean", "-c") for arg in sys.argv[1:])


def _strict() -> bool:
    return any(arg in ("--strict", "-s") for arg in sys.argv[1:])


def _finish() -> None:
    """At interpreter exit: finish background work, report every failure, and make
    ``zensical build --strict`` fail when there was one (Zensical ignores our warnings)."""
    failures: dict[str, list[str]] = {}
    notices: list[str] = []
    failed_fences = False
    zensical = False
    for build in list(_BUILDS.values()):
        build.engine.close()
        if build.math_cache is not None:
            build.math_cache.save()
        if build.state_dir is None:
            continue
        zensical = True
        notices.extend(f"infotheory: {d.message}" for d in build.notices)
        if build.engine.freeze is not None:  # unreadable frozen files, as the plugin says
            notices.extend(f"infotheory: {problem}" for problem in build.engine.freeze.problems)
        failed_fences |= build.fail_on_error and build.engine.stats.failures > 0
        failures.update(_remember_failures(build.state_dir, build))
        if build.host is not None:
            state = build.state_dir / "pages.json"
            remember_pages(state, build.host.root, build.host.docs_dir, build.rendered)
    if not zensical:
        return
    for notice in notices:
        print(f"WARNING -  {notice}", file=sys.stderr)
    for _path, messages in sorted(failures.items()):
        for message in messages:
            print(f"WARNING -  {message}", file=sys.stderr)
    if failures:
        count = sum(len(m) for m in failures.values())
        print(f"infotheory: {count} problem(s) in {len(failures)} page(s)", file=sys.stderr)
    sys.stderr.flush()
    sys.stdout.flush()
    if failed_fences:
        print("infotheory: fence(s) failed and fail_on_error is set", file=sys.stderr)
    if ((failures or notices) and _strict()) or failed_fences:
        sys.stderr.flush()
        os._exit(1)


def _remember_failures(directory: Path, build: _Build) -> dict[str, list[str]]:
    """This build's failures, plus those of pages Zensical served from its page cache.

    Zensical does not render an unchanged page again, so our extension never sees it; its
    failures from the build that did render it are kept (with the digest of the file they
    came from) in ``failures.json`` and reported again while the file is unchanged.
    """
    store = directory / "failures.json"
    try:
        known: dict[str, dict[str, Any]] = read_json(store, MAX_STATE_BYTES)
        if not isinstance(known, dict):
            raise UnreadableFile("not a map of pages")
    except (OSError, ValueError):
        known = {}
    root = build.host.root if build.host is not None else directory.parent.parent
    current: dict[str, dict[str, Any]] = {}
    for path, entry in known.items():
        if path in build.rendered or not isinstance(entry, dict):
            continue
        if entry.get("digest") == digest(root / path):
            current[path] = entry
    for path, diagnostics in build.failures.items():
        current[path] = {"digest": digest(root / path), "messages": [str(d) for d in diagnostics]}
    with contextlib.suppress(OSError):  # bookkeeping only: a read-only folder loses nothing
        atomic_write_text(store, json.dumps(current, indent=1, sort_keys=True))
    return {path: list(entry.get("messages", [])) for path, entry in current.items()}
