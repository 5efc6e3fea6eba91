"""Run a Zensical build's pages in parallel, as the plugin does on MkDocs.

Zensical renders every page from one Python thread, one after another (measured), so left to
itself the extension runs one page's code at a time. At the first page of a build, the
extension reads every page of the docs folder that Zensical is going to render, prepares it
exactly as the page will reach the extension, and starts it running in the background; the
page's own render then picks the results up (:meth:`Engine.prefetch`, keyed by display path and
cache key, as on MkDocs).

Which pages Zensical will render: all of them under ``--clean`` (or on the first build), else
those whose file changed since the last build (Zensical serves the others from its page cache
and never calls the extension for them, so running them would be wasted work). The file
digests of the last build's pages are kept in ``pages.json`` next to our cache.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from ...core import Engine
from ...pages import body_start, page_name, read_page, runs_code, split_front_matter
from .state import StateUnreadable, pages_record, read_state_json, write_state_json

_BLANK_WITH_SPACES = re.compile(r"(?<=\n) +\n")


def as_markdown_sees(text: str, tab_length: int = 4) -> str:
    """``text`` after Python-Markdown's whitespace normalisation (what our preprocessor gets)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    return _BLANK_WITH_SPACES.sub("\n", text.expandtabs(tab_length))


def digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def prefetch_site(engine: Engine, docs_dir: Path, root: Path, state: Path, everything: bool) -> int:
    """Start the pages Zensical will render; returns how many were started."""
    if not engine.settings.execute:
        return 0
    known = _known_pages(state)
    if known is None:  # nothing known (first build) or not trusted: run every page
        known, everything = {}, True
    started = 0
    for file in sorted(docs_dir.rglob("*.md")):
        shown = page_name(file, root)
        if not everything and known.get(shown) == digest(file):
            continue
        try:
            source = read_page(file)
        except (OSError, ValueError):
            continue
        if not runs_code(source):
            continue
        if "8<-" in source:  # snippets change the text before we see it: run it in place
            continue
        start = body_start(source)
        _, body = split_front_matter(source)
        engine.prefetch(engine.prepare(shown, as_markdown_sees(body), start))
        started += 1
    return started


def remember_pages(state: Path, root: Path, docs_dir: Path, rendered: Iterable[str]) -> None:
    """Record the digests of the pages this build rendered (merged with earlier records)."""
    known = _known_pages(state) or {}
    for shown in rendered:
        known[shown] = digest(root / shown)
    existing = {page_name(file, root) for file in docs_dir.rglob("*.md")}
    known = {shown: value for shown, value in known.items() if shown in existing}
    write_state_json(state, known)


def _known_pages(state: Path) -> dict[str, str] | None:
    """The digests of the last build's pages; None when absent or unreadable (a damaged
    ``pages.json`` costs a re-run of every page, never a skipped one)."""
    try:
        value = read_state_json(state)
        return None if value is None else pages_record(value)
    except StateUnreadable:
        return None
