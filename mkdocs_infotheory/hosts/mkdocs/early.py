"""The early start: pages begin running while MkDocs is still starting up.

Why: from ``on_pre_build`` to ``on_files`` MkDocs works on one CPU and the others idle; the
fork server imports numpy there and the first pages run, instead of after ``on_files``, when
MkDocs already waits for them. Only on a build without cached results (a fresh checkout or CI
runner). The pages are found as MkDocs finds them (its own public ``get_files``: the same
exclusions and drafts; its messages are not repeated) and prepared as ``on_files`` prepares
them, so ``on_files`` finds each one running (the engine runs a page once). A site without
code starts nothing.
"""

from __future__ import annotations

import logging
import threading

from mkdocs.config.defaults import MkDocsConfig

from ...pages import may_run
from .pages import PluginPages, markdown_of, read_file


def start_early(pages: PluginPages, config: MkDocsConfig) -> None:
    """Start running the site's pages from a thread (``on_pre_build``)."""
    threading.Thread(target=run_early, args=(pages, config), daemon=True).start()


def run_early(pages: PluginPages, config: MkDocsConfig) -> None:
    """Find the site's pages and start each one that may run code."""
    engine = pages.engine
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
            source = read_file(file)
            markdown = markdown_of(source)
            if not may_run(markdown):
                continue
            engine.start_early()
            engine.prefetch(pages.prepare_file(file, source, markdown))
        except Exception:  # on_files prepares the page again and reports what is wrong
            continue


class _OtherThreadsOnly(logging.Filter):
    """Drops the records one thread logs (the early start's second reading of the files)."""

    def __init__(self, thread: threading.Thread) -> None:
        super().__init__()
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread() is not self.thread
