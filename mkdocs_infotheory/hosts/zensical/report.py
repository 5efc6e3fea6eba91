"""The end of a Zensical build: every failure printed, and ``--strict`` made to fail.

Zensical ignores an extension's warnings (``zensical build --strict`` says "No issues found"
and exits 0), so the adapter reports them itself when the process ends, and sets the exit code
through :func:`.compat.exit_now`. Pages Zensical served from its page cache were not shown to
the extension this time; their failures come from ``failures.json`` while their files are
unchanged. A ``failures.json`` that cannot be trusted is itself a warning (``--strict`` fails)
until a ``--clean`` build has seen every page again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.escape import one_line
from . import compat
from .prefetch import digest, remember_pages
from .state import StateUnreadable, failures_record, read_state_json, write_state_json

if TYPE_CHECKING:
    from ..markdown.builds import Build
    from .site import ZensicalBuild


def say(message: str, level: str = "WARNING") -> None:
    """Print one message line to the terminal: the one place the adapter prints text that
    may come from a page, a fence's output or an exception (``level=""``: no level)."""
    line = one_line(message)
    print(f"{level} -  {line}" if level else line, file=sys.stderr, flush=True)


def finish(builds: list[Build]) -> None:
    """At interpreter exit (after every engine closed): report every failure, and make
    ``zensical build --strict`` (or ``fail_on_error``) fail when there was one."""
    failures: dict[str, list[str]] = {}
    notices: list[str] = []
    failed_fences = False
    zensical = False
    for build in builds:
        state: ZensicalBuild | None = build.site
        if state is None:
            continue
        zensical = True
        notices.extend(f"infotheory: {d.message}" for d in build.notices)
        if build.engine.freeze is not None:  # unreadable frozen files, as the plugin says
            notices.extend(f"infotheory: {problem}" for problem in build.engine.freeze.problems)
        failed_fences |= build.fail_on_error and build.engine.stats.failures > 0
        remembered, problem = remember_failures(state)
        failures.update(remembered)
        if problem:
            notices.append(f"infotheory: {problem}")
        remember_pages(state.state_dir / "pages.json", state.root, state.docs_dir, state.rendered)
    if not zensical:
        return
    for notice in notices:
        say(notice)
    for _path, messages in sorted(failures.items()):
        for message in messages:
            say(message)
    if failures:
        count = sum(len(m) for m in failures.values())
        say(f"infotheory: {count} problem(s) in {len(failures)} page(s)", level="")
    if failed_fences:
        say("infotheory: fence(s) failed and fail_on_error is set", level="")
    if ((failures or notices) and compat.strict()) or failed_fences:
        compat.exit_now(1)


def remember_failures(state: ZensicalBuild) -> tuple[dict[str, list[str]], str | None]:
    """This build's failures, plus those of pages Zensical served from its page cache, and
    why the earlier record could not be used (None when it could).

    Zensical does not render an unchanged page again, so the extension never sees it; its
    failures from the build that did render it are kept (with the digest of the file they
    came from) in ``failures.json`` and reported again while the file is unchanged. When that
    record cannot be read, the failures of the pages not rendered now are unknown: that is
    reported, and the record is kept as it is (so every later build says so too) until a
    ``--clean`` build, which renders every page, writes a complete one.
    """
    store = state.state_dir / "failures.json"
    problem = None
    try:
        value = read_state_json(store)
        known: dict[str, dict[str, Any]] = {} if value is None else failures_record(value)
    except StateUnreadable as error:
        known = {}
        if not compat.cleaning():
            problem = (
                f"{_shown(store, state.root)}: {error}; the failures of pages Zensical served "
                "from its cache are unknown: run `zensical build --clean` to check every page"
            )
    current: dict[str, dict[str, Any]] = {}
    for path, entry in known.items():
        if path in state.rendered:
            continue
        if entry["digest"] == digest(state.root / path):
            current[path] = entry
    for path, diagnostics in state.failures.items():
        current[path] = {
            "digest": digest(state.root / path),
            "messages": [str(d) for d in diagnostics],
        }
    if problem is None:
        write_state_json(store, current)
    return {path: list(entry["messages"]) for path, entry in current.items()}, problem


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
