"""A Markdown page as every host sees it: read, split from its front matter, named, and judged
worth running. One home for each, imported by the MkDocs plugin, the Markdown extension
(Zensical), ``pytest --infotheory`` and the notebook blocks, so a page is read, named and
located alike on every host; no host imports here.

* **Reading** (:func:`read_page`): UTF-8, a byte-order mark dropped, ``\\r\\n`` and a lone
  ``\\r`` read as ``\\n`` — what MkDocs' ``File.content_string`` gives for a file on disk
  (Python's universal newlines), so a line number means the same line on every host.
* **Front matter** (:func:`split_front_matter`): MkDocs' own delimiters (``YAML_RE`` of
  ``mkdocs.utils.meta``, pinned by a test), without parsing the YAML.
* **Naming** (:func:`page_name`): ``docs/PAGE.md``, relative to the project folder.
* **May it run** (:func:`may_run`, :func:`runs_code`): the cheap test before a page is parsed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .notebooks.embed import MARKER
from .storage import read_bytes

#: A YAML front matter block at the start of a page: MkDocs' ``mkdocs.utils.meta.YAML_RE``.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)

#: Text that makes a page run code: a fence option, an inline value (see :func:`runs_code`).
CODE_MARKERS = ("exec=", "{python}")
#: Text that may bring code into a page before it runs: a snippet, a notebook block.
INCLUDE_MARKERS = ("8<-", MARKER)


def page_text(data: bytes) -> str:
    """A page's bytes as text: UTF-8 (a byte-order mark dropped), every line ending ``\\n``.

    Raises :class:`ValueError` (``UnicodeDecodeError``) for bytes that are not UTF-8.
    """
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_page(path: str | os.PathLike[str]) -> str:
    """The text of the page file at ``path`` (see :func:`page_text`), read with four system
    calls (:func:`~mkdocs_infotheory.storage.read_bytes`): a warm build reads every page.

    Raises :class:`OSError` or :class:`ValueError` as ``open()`` and ``decode()`` do.
    """
    return page_text(read_bytes(path))


def split_front_matter(source: str) -> tuple[str | None, str]:
    """``(front matter, rest)``: the YAML between the delimiters (None without a block) and
    the text after the closing delimiter's line, as it is (blank lines kept)."""
    match = FRONT_MATTER.match(source)
    if match is None:
        return None, source
    return match.group(1), source[match.end() :]


def body_start(source: str) -> int:
    """The file line right after the front matter block (1 without one)."""
    match = FRONT_MATTER.match(source)
    return 1 if match is None else source.count("\n", 0, match.end()) + 1


def front_matter(source: str) -> dict[str, Any]:
    """The page's front matter as a mapping; empty without one, or when its YAML is not a
    mapping or cannot be read (the page then keeps it as text, as MkDocs does)."""
    block, _ = split_front_matter(source)
    if block is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def first_line(source: str, markdown: str) -> int:
    """The file line where ``markdown`` (the page as a host hands it over, without its front
    matter) starts in ``source`` (the file's text)."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n") + 1
    return 1


def may_run(text: str) -> bool:
    """Whether a page may hold code to run: fences, inline values, or the snippets and
    notebook blocks that bring them in (text a host has not expanded yet)."""
    return "exec=" in text or "{python}" in text or "8<-" in text or MARKER in text


def runs_code(text: str) -> bool:
    """Whether expanded text (snippets and notebook blocks already in place) holds code."""
    return "exec=" in text or "{python}" in text


def page_name(
    path: str | os.PathLike[str] | None,
    root: Path,
    fallback: str = "",
    real_folders: dict[str, str] | None = None,
) -> str:
    """How messages name a file: relative to the project folder ``root`` (resolved), e.g.
    ``docs/index.md``; a file outside it by its path as given; no path at all by ``fallback``.

    ``real_folders`` (resolved path of each folder, filled as pages are named) lets a build
    resolve each folder once instead of every component of every page's path (``resolve()``
    costs a system call per component, paid for every page of every warm build; figures in the
    benchmarks page, "Speed-ups and what they cost").
    """
    if not path:
        return fallback
    path = os.fspath(path)
    real = _real_path(path, real_folders)
    prefix = str(root).rstrip(os.sep) + os.sep
    if real.startswith(prefix):
        return real[len(prefix) :].replace(os.sep, "/")
    return Path(path).as_posix()


def _real_path(path: str, real_folders: dict[str, str] | None) -> str:
    """``os.path.realpath(path)``, from the folder's real path when it is known and the file
    itself is not a symbolic link."""
    if real_folders is None:
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(real_folders[folder], name)
