"""On-disk plumbing shared by the two caches (executed results, rendered math).

One write discipline and one retention policy, so the caches behave alike:

* **Atomic writes.** A file is written to a uniquely named temporary file in the same folder,
  then moved over the old one with :func:`os.replace`; readers see the old file or the new
  one, never half of either, and concurrent builds never share a temporary file.
* **Retention.** An entry is deleted once no build has used it for :data:`RETENTION_SECONDS`
  (and only by a build that did not use it). A grace period rather than "delete whatever this
  build did not use" because several configurations (``mkdocs.yml`` and a variant, or the
  same project at two commits) may share one cache folder: each would otherwise delete the
  other's entries on every build. Entries this build used are never deleted.
* **Cheap reads.** :func:`read_bytes` reads a whole file with four system calls; a warm build
  reads every page and every page's entry, and ``open()`` needs nine (on a virtual machine,
  where system calls are slow, that was most of the cost of reading a small file).
* **Temporary files.** A temporary file is only removed as left-over debris when it is older
  than :data:`TEMPORARY_GRACE_SECONDS`: a younger one may belong to a build still running.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: Entries unused for this long are removed (7 days).
RETENTION_SECONDS = 7 * 24 * 3600
#: "Last used" marks are refreshed at most this often, so an unchanged build rewrites nothing.
LAST_USED_RESOLUTION_SECONDS = 24 * 3600
#: A temporary file older than this is debris from a build that died mid-write (1 hour).
TEMPORARY_GRACE_SECONDS = 3600
#: Suffix of every temporary file the caches write.
TEMPORARY_SUFFIX = ".tmp"


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; creates the parent folder.

    Raises :class:`OSError` when the folder cannot be written; callers turn that into a
    warning and go on without caching.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The content of the file at ``path``: open, read until the end, close.

    Raises :class:`OSError` as ``open()`` does (a folder in its place: ``IsADirectoryError``).
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks: list[bytes] = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def expired(last_used: float, now: float) -> bool:
    """Whether an entry last used at ``last_used`` (epoch seconds) may be deleted at ``now``."""
    return now - last_used > RETENTION_SECONDS


def is_debris(path: Path, now: float) -> bool:
    """Whether ``path`` is a temporary file old enough that no running build still writes it."""
    if not path.name.endswith(TEMPORARY_SUFFIX):
        return False
    try:
        return now - path.stat().st_mtime > TEMPORARY_GRACE_SECONDS
    except OSError:
        return False
