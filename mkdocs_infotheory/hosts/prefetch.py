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

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from ..core import Engine
from ..storage import MAX_STATE_BYTES, UnreadableFile, atomic_write_text, read_json
from .lines import body_start, shown_path

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


def _state(state: Path) -> dict[str, str]:
    """The page digests recorded in ``state``, read as untrusted data (a damaged file raises
    :class:`ValueError`: the caller starts over)."""
    known = read_json(state, MAX_STATE_BYTES)
    if not isinstance(known, dict) or not all(isinstance(v, str) for v in known.values()):
        raise UnreadableFile("not a map of page digests")
    return known


def prefetch_site(engine: Engine, docs_dir: Path, root: Path, state: Path, everything: bool) -> int:
    """Start the pages Zensical will render; returns how many were started."""
    if not engine.settings.execute:
        return 0
    try:
        known: dict[str, str] = _state(state)
    except (OSError, ValueError):
        known, everything = {}, True
    started = 0
    for file in sorted(docs_dir.rglob("*.md")):
        shown = shown_path(file, root)
        if not everything and known.get(shown) == digest(file):
            continue
        try:
            source = file.read_text(encoding="utf-8-sig")
        except (OSError, ValueError):
            continue
        if "exec=" not in source and "{python}" not in source:
            continue
        if "8<-" in source:  # snippets change the text before we see it: run it in place
            continue
        start = body_start(source)
        body = "\n".join(source.replace("\r\n", "\n").split("\n")[start - 1 :])
        engine.prefetch(engine.prepare(shown, as_markdown_sees(body), start))
        started += 1
    return started


def remember_pages(state: Path, root: Path, docs_dir: Path, rendered: Iterable[str]) -> None:
    """Record the digests of the pages this build rendered (merged with earlier records)."""
    try:
        known: dict[str, str] = _state(state)
    except (OSError, ValueError):
        known = {}
    for shown in rendered:
        known[shown] = digest(root / shown)
    existing = {shown_path(file, root) for file in docs_dir.rglob("*.md")}
    known = {shown: value for shown, value in known.items() if shown in existing}
    with contextlib.suppress(OSError):  # bookkeeping only: a read-only folder loses nothing
        atomic_write_text(state, json.dumps(known, indent=1, sort_keys=True))
