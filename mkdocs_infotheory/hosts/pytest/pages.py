"""The site behind ``pytest --infotheory``: mkdocs.yml read as MkDocs reads it, pages run by
the same engine and settings as the build, results turned into problems to report.

No pytest imports here: this is the part of the pytest host that knows MkDocs and the core;
:mod:`.plugin` only turns it into collectors, items and reports.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...core import Engine, PreparedPage
from ...core.engine import EXECUTION_OFF
from ...core.model import Diagnostic
from ...core.progress import Progress
from ...notebooks import SUFFIX, Notebook, NotebookError, convert
from ...pages import first_line, may_run, page_name, read_page
from ..mkdocs.config import InfotheoryConfig
from ..mkdocs.settings import SiteSettings, settings_for
from ..mkdocs.snippets import Expander, prepare_page, snippet_expander
from ..notebook_blocks import block_expander

#: Files collected as pages (what MkDocs treats as Markdown documentation pages).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


class SiteError(Exception):
    """mkdocs.yml (or the environment) cannot be used; the message says why."""


@dataclass(slots=True)
class PageRun:
    """What running one page produced, for its test item."""

    filename: str
    #: What the build would warn about, in line order (each fails the test).
    problems: list[Diagnostic] = field(default_factory=list)
    #: Why nothing ran (execution off and nothing cached or frozen), else "".
    skipped: str = ""


@contextmanager
def _mkdocs_messages() -> Iterator[list[str]]:
    """Collect what MkDocs logs while loading mkdocs.yml, to quote it in an error."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _plugin_options(config: object) -> InfotheoryConfig | None:
    from ..mkdocs.plugin import InfotheoryPlugin

    for plugin in getattr(config, "plugins", {}).values():
        if isinstance(plugin, InfotheoryPlugin):
            return plugin.config
    return None


def _default_options() -> InfotheoryConfig:
    options = InfotheoryConfig()
    options.load_dict({})
    errors, _ = options.validate()
    assert not errors, errors
    return options


class PageSite:
    """One site: its settings, an engine shared by every page of the session, the pages
    MkDocs would leave out (``exclude_docs``)."""

    def __init__(self, config_file: Path | None, project_dir: Path) -> None:
        from mkdocs.exceptions import MkDocsException

        self.config_file = config_file
        self._excluded: set[Path] = set()
        self._expand: Expander | None = None
        options: InfotheoryConfig | None = None
        # Without mkdocs.yml: MkDocs' default docs folder if there is one, else the project.
        docs_dir = project_dir / "docs" if (project_dir / "docs").is_dir() else project_dir
        if config_file is not None:
            from mkdocs.config import load_config
            from mkdocs.structure.files import get_files

            with _mkdocs_messages() as messages:
                try:
                    config = load_config(config_file=str(config_file))
                except (MkDocsException, OSError) as exc:
                    details = "; ".join(messages) or str(exc)
                    raise SiteError(f"{config_file}: {details}") from exc
            project_dir = config_file.resolve().parent
            docs_dir = Path(config.docs_dir)
            options = _plugin_options(config)
            self._expand = snippet_expander(config.markdown_extensions, config.mdx_configs)
            self._excluded = {
                Path(file.abs_src_path).resolve()
                for file in get_files(config)
                if file.abs_src_path and file.inclusion.is_excluded()
            }
        try:
            self.settings: SiteSettings = settings_for(
                options or _default_options(), project_dir, docs_dir
            )
        except MkDocsException as exc:
            raise SiteError(exc.format_message()) from exc
        self.engine = Engine(self.settings.engine)
        #: Only for the summary's slowest pages: pytest shows its own progress, page by page.
        self.progress = Progress(lambda line: None)
        self.engine.observer = self.progress
        self._prepared: dict[Path, PreparedPage] = {}
        #: Notebook pages, converted (their code cells run unless notebook_outputs: stored).
        self._outputs = (options or _default_options()).notebook_outputs
        self._notebooks: dict[Path, Notebook] = {}
        self._block_problems: dict[Path, list[Diagnostic]] = {}

    @property
    def docs_dir(self) -> Path:
        return self.settings.docs_dir

    def problems(self) -> list[str]:
        """Messages about the configuration itself (unresolvable ``dependencies``)."""
        return list(self.settings.problems)

    # -- pages ----------------------------------------------------------------------------
    def _prepare(self, path: Path) -> PreparedPage:
        from mkdocs.utils.meta import get_data

        path = path.resolve()
        if path in self._prepared:
            return self._prepared[path]
        # As MkDocs reads a page: UTF-8 (a BOM is dropped), front matter split off.
        source = read_page(path)
        name = page_name(path, self.settings.project_dir, path.as_posix())
        if path.suffix == SUFFIX:  # as the plugin makes it a page (hosts/mkdocs/notebooks.py)
            notebook = convert(source, name, self._outputs, lambda html, block: "")
            self._notebooks[path] = notebook
            source = notebook.markdown
        markdown, _ = get_data(source)
        start = first_line(source, markdown)
        # As the plugin does: notebook blocks and fences included with pymdownx.snippets run too.
        problems: list[Diagnostic] = []
        expand = block_expander(
            name,
            start,
            self.docs_dir,
            self.settings.project_dir,
            self._outputs,
            lambda html, block: "",
            problems.append,
            self._expand,
        )
        page = prepare_page(self.engine, expand, name, markdown, start, self._expand)
        self._block_problems[path] = problems
        self._prepared[path] = page
        return page

    def is_page(self, path: Path) -> bool:
        """Whether ``path`` is a Markdown page the build would run code in."""
        suffix = path.suffix.lower()
        if suffix not in (*MARKDOWN_SUFFIXES, SUFFIX) or path.resolve() in self._excluded:
            return False
        try:
            text = read_page(path)
        except UnicodeDecodeError:
            return True  # the build would fail on it too; the item says why
        except OSError:
            return False
        if suffix == SUFFIX:
            try:
                return self._prepare(path).has_work
            except NotebookError:
                return True  # the item says why
        if not may_run(text):
            return False
        return self._prepare(path).has_work

    def prefetch(self, path: Path) -> None:
        """Start running a page in the background (pages run in parallel, as in a build)."""
        with contextlib.suppress(OSError, UnicodeDecodeError, NotebookError):  # run() reports it
            self.engine.prefetch(self._prepare(path))

    def run(self, path: Path) -> PageRun:
        """Run (or reuse the results of) one page and list what the build would warn about."""
        try:
            page = self._prepare(path)
        except (OSError, UnicodeDecodeError) as exc:
            name = page_name(path, self.settings.project_dir, path.as_posix())
            return PageRun(name, [Diagnostic("warning", name, 1, f"cannot read the page: {exc}")])
        except NotebookError as exc:
            name = page_name(path, self.settings.project_dir, path.as_posix())
            return PageRun(name, [Diagnostic("warning", name, 1, str(exc))])
        outcome = self.engine.process(page, lambda html, block: "")
        run = PageRun(page.filename)
        if outcome.results and all(r.skipped == EXECUTION_OFF for r in outcome.results):
            run.skipped = EXECUTION_OFF
        run.problems = self._block_problems.get(path.resolve(), [])[:]
        run.problems += [d for d in outcome.diagnostics if d.level == "warning"]
        notebook = self._notebooks.get(path.resolve())
        if notebook is not None:
            run.problems = [notebook.locate(problem) for problem in run.problems]
        return run

    def close(self) -> None:
        self.engine.close()
        self.progress.close()
