"""What the plugin tells the author: each page's messages as it is built, and at the end of the
build the caches' and frozen results' problems, the summary line, and the failure that
``fail_on_error`` makes of failed fences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from ...core import Diagnostic, Engine
from ...core.progress import Progress
from .logs import plugin_logger

if TYPE_CHECKING:
    from .math import MathStage

log = plugin_logger()


def log_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    """A page's messages: warnings as warnings (``--strict`` fails on them), the rest as info."""
    for diagnostic in diagnostics:
        if diagnostic.level == "warning":
            log.warning(str(diagnostic))
        else:
            log.info(str(diagnostic))


def report_build(
    engine: Engine,
    progress: Progress,
    math: MathStage | None,
    *,
    dirty: bool,
    fail_on_error: bool,
) -> None:
    """The end of a build (``on_post_build``, after the engine closed): problems, the summary,
    and :class:`PluginError` when a fence failed and ``fail_on_error`` is set."""
    cache = engine.cache
    if cache is not None:
        for problem in cache.problems:
            log.warning(problem)
        if not dirty:
            cache.evict_unused()
    # One warning for an unwritable cache folder, however many caches live in it.
    write_errors = [
        error
        for error in (
            cache.write_error if cache else None,
            math.cache.write_error if math and math.cache else None,
        )
        if error
    ]
    if write_errors:
        log.warning(write_errors[0])
    finish_freeze(engine, dirty=dirty)
    if engine.stats.pages:
        log.info(engine.stats.summary() + progress.summary_suffix())
    if fail_on_error and engine.stats.failures:
        raise PluginError(
            f"{engine.stats.failures} fence(s) failed and fail_on_error is set; "
            "see the warnings above"
        )


def finish_freeze(engine: Engine, *, dirty: bool) -> None:
    """Report unreadable frozen files; under ``auto``, a full build also deletes the
    frozen files of pages that were removed or no longer run code."""
    store = engine.freeze
    if store is None:
        return
    for problem in store.problems:
        log.warning(problem)
    if engine.settings.freeze == "auto" and not dirty:
        for name in store.prune(store.used):
            log.info(
                "freeze: deleted %s/%s (its page has no code any more)",
                store.directory.name,
                name,
            )
