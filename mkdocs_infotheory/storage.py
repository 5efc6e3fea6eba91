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
  than :data:`TEMPORARY_GRACE_SECONDS`: a younger one may belong to a build still running, and
  only when its name is one :func:`atomic_write_text` gives (``.<name>.<random>.tmp``).
* **Untrusted reads.** Everything read back from disk may have been edited, damaged, replaced
  by a symbolic link or arrive in a pull request: :func:`read_json` is the one reader for it
  (regular files only, a size cap per kind, any nesting depth survived), so a bad file is one
  :class:`UnreadableFile` message and a recompute, never a traceback or a build that fails
  until someone deletes the cache by hand.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

#: Entries unused for this long are removed (7 days).
RETENTION_SECONDS = 7 * 24 * 3600
#: "Last used" marks are refreshed at most this often, so an unchanged build rewrites nothing.
LAST_USED_RESOLUTION_SECONDS = 24 * 3600
#: A temporary file older than this is debris from a build that died mid-write (1 hour).
TEMPORARY_GRACE_SECONDS = 3600
#: Suffix of every temporary file the caches write.
TEMPORARY_SUFFIX = ".tmp"
#: The names :func:`atomic_write_text` gives its temporary files (``tempfile``'s random part).
_TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]+" + re.escape(TEMPORARY_SUFFIX))

#: Size caps of what :func:`read_json` reads, per kind of file. Far above anything a real site
#: writes (a frozen page holds its figures; the math cache every formula of a large site), far
#: below what would exhaust a machine's memory.
MAX_FROZEN_BYTES = 64 << 20
MAX_CACHE_ENTRY_BYTES = 64 << 20
MAX_MATH_CACHE_BYTES = 256 << 20
MAX_STATE_BYTES = 16 << 20
MAX_MANIFEST_BYTES = 16 << 20
#: Deeper JSON than this is not anything the plugin writes (its files nest a few levels).
MAX_JSON_DEPTH = 64


class UnreadableFile(ValueError):
    """A file the plugin reads back that is not what it writes: the message says why."""


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


def read_json(path: str | os.PathLike[str], max_bytes: int) -> Any:
    """The JSON value in the regular file at ``path``, read as untrusted data.

    Refused with :class:`UnreadableFile` (a :class:`ValueError`): anything but a regular file
    (a symbolic link, even to ``/dev/zero``, is not followed; a folder, a FIFO or a device is
    not read), a file larger than ``max_bytes`` (checked before reading, and while reading in
    case it grows), text that is not UTF-8 JSON, and nesting deeper than
    :data:`MAX_JSON_DEPTH`. A missing file raises :class:`FileNotFoundError` (or
    :class:`NotADirectoryError` when a file stands where a folder on its path should be); other
    :class:`OSError` as ``open()`` does.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the build before fstat
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise UnreadableFile("a symbolic link, not a regular file the plugin wrote") from None
        if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            raise
        raise UnreadableFile(exc.strerror or str(exc)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFile("not a regular file")
        if status.st_size > max_bytes:
            raise UnreadableFile(f"{status.st_size} bytes, larger than the {max_bytes} bytes read")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, 1 << 20):
            size += len(chunk)
            if size > max_bytes:
                raise UnreadableFile(f"larger than the {max_bytes} bytes read")
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"))
    except RecursionError:
        raise UnreadableFile("JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UnreadableFile(f"not JSON ({exc})") from None
    _check_depth(data)
    return data


def _check_depth(data: Any) -> None:
    """Refuse nesting deeper than :data:`MAX_JSON_DEPTH`, without recursion (a value the C
    parser accepted may still be too deep for code that walks it recursively)."""
    level: list[Any] = [data]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_JSON_DEPTH:
            raise UnreadableFile(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
        level = [
            child
            for value in level
            if isinstance(value, (dict, list))
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, (dict, list))
        ]


def expired(last_used: float, now: float) -> bool:
    """Whether an entry last used at ``last_used`` (epoch seconds) may be deleted at ``now``."""
    return now - last_used > RETENTION_SECONDS


def is_debris(path: Path, now: float) -> bool:
    """Whether ``path`` is a temporary file old enough that no running build still writes it."""
    if not _TEMPORARY_NAME.fullmatch(path.name):
        return False
    try:
        status = path.lstat()
        return stat.S_ISREG(status.st_mode) and now - status.st_mtime > TEMPORARY_GRACE_SECONDS
    except OSError:
        return False
