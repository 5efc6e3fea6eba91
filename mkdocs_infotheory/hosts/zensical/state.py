"""The adapter's state files in ``cache_dir`` (``failures.json``, ``pages.json``).

Zensical serves unchanged pages from its own cache and never shows them to the extension, so
what the extension learnt about them (their failures; the digests of the files rendered) is
kept between builds. These files are read as untrusted input: :func:`read_state_json` is the
one reader, and it fails closed: a file that is absent is "nothing known yet"; a file that is
there but cannot be read (not a regular file, too large, not JSON, nested too deep, the wrong
shape) raises :class:`StateUnreadable`, and the caller reports it instead of trusting it.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from ...storage import MAX_STATE_BYTES, UnreadableFile, atomic_write_text, read_json


class StateUnreadable(ValueError):
    """A state file that is there but cannot be trusted (the message says why)."""


def read_state_json(path: Path) -> Any:
    """The JSON value of state file ``path``, or None when there is no such file; read with
    the package's one bounded reader (:func:`...storage.read_json`: only a regular file, at
    most :data:`MAX_STATE_BYTES`, any nesting depth refused without a crash)."""
    try:
        return read_json(path, MAX_STATE_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except UnreadableFile as error:
        raise StateUnreadable(
            f"{path.name} is damaged or not the file this plugin writes ({error})"
        ) from None
    except OSError as error:
        raise StateUnreadable(f"{path.name} cannot be read ({error.strerror})") from None


def write_state_json(path: Path, value: Any) -> None:
    """Write state file ``path`` (bookkeeping only: a read-only folder loses nothing)."""
    with contextlib.suppress(OSError):
        atomic_write_text(path, json.dumps(value, indent=1, sort_keys=True))


def failures_record(value: Any) -> dict[str, dict[str, Any]]:
    """``failures.json``'s content checked: ``{page: {"digest": str, "messages": [str]}}``."""
    if not isinstance(value, dict):
        raise StateUnreadable("failures.json is damaged (not a mapping of pages)")
    for path, entry in value.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("digest"), str)
            or not isinstance(entry.get("messages"), list)
            or not all(isinstance(message, str) for message in entry["messages"])
        ):
            raise StateUnreadable(f"failures.json is damaged (the entry of {path!r})")
    return value


def pages_record(value: Any) -> dict[str, str]:
    """``pages.json``'s content checked: ``{page: digest}``."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise StateUnreadable("pages.json is damaged (not a mapping of pages to digests)")
    return value
