"""``pytest --infotheory [PATHS]``: every Markdown page with executable cells is a test.

Registered through the ``pytest11`` entry point, so installing the package is the whole
set-up; without ``--infotheory`` every hook here returns at once and pytest never reads a
Markdown file (this module imports nothing but pytest until the flag is given).

One item per page, not per fence: a page's cells run in document order in one process and
share namespaces, so a fence alone means nothing (it needs every cell above it) and selecting
one with ``-k`` would run the whole page anyway. The page is also what the build runs, caches
and freezes. A failing page lists every failing cell with its ``docs/PAGE.md:LINE``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ...core.escape import safe_lines

if TYPE_CHECKING:
    from ...core.model import Diagnostic
    from .pages import PageSite

_SITE: pytest.StashKey[PageSite] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("infotheory", "executable Markdown pages (mkdocs-infotheory)")
    group.addoption(
        "--infotheory",
        action="store_true",
        default=False,
        help="run the executable cells of Markdown pages as tests, as `mkdocs build` would "
        "(without PATHS: the docs_dir of mkdocs.yml in the rootdir)",
    )
    group.addoption(
        "--infotheory-config",
        metavar="FILE",
        default=None,
        help="the mkdocs.yml whose plugin options apply (default: mkdocs.yml in the rootdir)",
    )


def _config_file(config: pytest.Config) -> Path | None:
    given = config.getoption("infotheory_config")
    if given:
        path = Path(given)
        if not path.is_absolute():
            path = config.invocation_params.dir / path
        if not path.is_file():
            raise pytest.UsageError(f"--infotheory-config: no such file: {given}")
        return path
    for folder in (config.rootpath, config.invocation_params.dir):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return None


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("infotheory"):
        return
    from .pages import PageSite, SiteError

    try:
        site = PageSite(_config_file(config), config.rootpath)
    except SiteError as exc:
        raise pytest.UsageError(f"--infotheory: {exc}") from exc
    config.stash[_SITE] = site
    config.add_cleanup(site.close)
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        # No PATHS given: the pages of the site, not the project's testpaths.
        if site.config_file is None:
            raise pytest.UsageError(
                f"--infotheory: no mkdocs.yml in {config.rootpath}; name the pages "
                "(pytest --infotheory docs) or the config (--infotheory-config FILE)"
            )
        config.args = [str(site.docs_dir)]


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    site = config.stash.get(_SITE, None)
    if site is None:
        return None
    engine = site.settings.engine
    source = site.config_file or "no mkdocs.yml: default options"
    lines = [f"infotheory: options from {source}; freeze: {engine.freeze}"]
    lines.extend(f"infotheory: mkdocs.yml: {problem}" for problem in site.problems())
    return lines


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    site = parent.config.stash.get(_SITE, None)
    if site is None or not site.is_page(file_path):
        return None
    return MarkdownPage.from_parent(parent, path=file_path)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start every selected page now, so pages run in parallel as they do in a build.

    Not on a pytest-xdist worker (``-n N``): every worker collects every page and is then
    handed some of them, so starting all would run each page once per worker. There the
    workers are the parallelism, and a page runs when its item does. Nor under
    ``--collect-only``, which lists the pages (e.g. to split them into CI shards) and runs none.
    """
    site = session.config.stash.get(_SITE, None)
    if site is None or hasattr(session.config, "workerinput") or session.config.option.collectonly:
        return
    for item in session.items:
        if isinstance(item, PageItem):
            site.prefetch(item.path)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    site = config.stash.get(_SITE, None)
    if site is None or not site.engine.stats.pages or config.get_verbosity() < 0:
        return
    summary = site.engine.stats.summary() + site.progress.summary_suffix()
    terminalreporter.write_line(f"infotheory: {summary}")


class MarkdownPage(pytest.File):
    """A Markdown page with executable cells: one item, the whole page."""

    def collect(self) -> Iterator[pytest.Item]:
        yield PageItem.from_parent(self, name="cells")


class PageFailed(Exception):
    """Raised by a page whose build would warn; carries what to report."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class _Crash:
    """What pytest's one-line summaries (``-ra``, ``--tb=line``) show of a failure; the
    message already starts with ``docs/PAGE.md:LINE``."""

    path: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return self.message


class PageFailure:
    """The report of a failed page: each problem as ``docs/PAGE.md:LINE: message``, then its
    detail (the traceback in the author's lines, or expected vs got), indented."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        self.reprcrash = _Crash(first.path, first.line, f"{first}{more}")

    def toterminal(self, tw: Any) -> None:
        for number, problem in enumerate(self.problems):
            if number:
                tw.line()
            tw.line(str(problem), red=True, bold=True)
            for line in safe_lines(problem.detail).splitlines():
                tw.line(f"    {line}")

    def __str__(self) -> str:
        blocks = []
        for problem in self.problems:
            detail = "".join(f"\n    {line}" for line in safe_lines(problem.detail).splitlines())
            blocks.append(f"{problem}{detail}")
        return "\n\n".join(blocks)


class PageItem(pytest.Item):
    """Runs one page with the build's engine; fails with everything the build would warn
    about (errors, doc-test mismatches, invalid fences, truncated output, not frozen)."""

    def runtest(self) -> None:
        site = self.config.stash[_SITE]
        run = site.run(self.path)
        if run.problems:
            raise PageFailed(run.problems)
        if run.skipped:
            pytest.skip(run.skipped)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, PageFailed):
            return PageFailure(excinfo.value.problems)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.nodeid.split("::", 1)[0]
