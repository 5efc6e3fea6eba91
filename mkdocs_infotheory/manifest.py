"""What the plugin wrote in a folder it writes to (``freeze_dir``, ``cache_dir``), and nothing else.

Why a manifest rather than "every ``*.json`` below the folder is ours": the folders are named
by the author and shared with other tools. ``_freeze`` is also Quarto's folder, a cache folder
may be pointed at a place holding other files, and two configurations of one site
(``mkdocs.yml`` and a variant with ``INHERIT``) share one ``freeze_dir``. So every file the
plugin writes is named in ``<folder>/.infotheory-manifest.json`` before it is written, and
cleaning up deletes only:

- files the manifest names, and only while they are still regular files inside the folder
  (a symbolic link, or a file reached through a symbolic link to a folder, is left alone);
- folders the plugin created (recorded as it creates them), once they are empty.

**Claims.** Frozen pages are claimed per configuration (the configuration file's name): a
configuration's prune gives up its claim on the pages it no longer builds, and a page's file
is deleted only when no configuration claims it any more. A file no configuration has claimed
(adopted from an older release, see :func:`check_contents`) is never pruned.

The manifest itself is read with :func:`..storage.read_json` (it is untrusted like any file on
disk) and written atomically; a write merges with what another build saved meanwhile, so a lost
race costs at worst a file that is never cleaned up, never a deleted one.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .storage import MAX_MANIFEST_BYTES, UnreadableFile, atomic_write_text, read_json

#: The manifest's file name, inside the folder it describes.
MANIFEST_NAME = ".infotheory-manifest.json"
_FORMAT = 1
_WRITER = "mkdocs-infotheory"


class Manifest:
    """The files and folders the plugin wrote in ``folder`` (names relative to it, with ``/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: set[str] = set()
        self.folders: set[str] = set()
        self.claims: dict[str, set[str]] = {}
        #: Why an existing manifest could not be read (it is then treated as empty: files it
        #: named are no longer cleaned up, which is safe).
        self.problem: str | None = None
        self._removed: set[str] = set()
        #: Owners whose claims this build set outright (a refresh does not add to them).
        self._settled: set[str] = set()
        self._lock = threading.Lock()
        self._saved = ""
        self.files, self.folders, self.claims, self.problem = _load(self.path)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    def owns(self, name: str) -> bool:
        return name in self.files

    def record(self, target: Path) -> str | None:
        """Name ``target`` (a file about to be written inside the folder) and the folders its
        writing will create; returns its name, or None when it is not inside the folder."""
        name = self.name_of(target)
        if name is None:
            return None
        with self._lock:
            parts = PurePosixPath(name).parts
            for depth in range(1, len(parts)):
                sub = "/".join(parts[:depth])
                if not os.path.lexists(self.folder / sub):
                    self.folders.add(sub)
            self.files.add(name)
            self._removed.discard(name)
        return name

    def name_of(self, target: Path) -> str | None:
        try:
            relative = target.relative_to(self.folder)
        except ValueError:
            return None
        name = relative.as_posix()
        return name if _safe(name) and name != MANIFEST_NAME else None

    def claim(self, owner: str, names: Iterable[str]) -> None:
        """Let ``owner`` (a configuration) claim exactly ``names`` among the files named here."""
        with self._lock:
            self.claims[owner] = {name for name in names if name in self.files}
            self._settled.add(owner)

    def add_claim(self, owner: str, name: str) -> None:
        with self._lock:
            self.claims.setdefault(owner, set()).add(name)

    def refresh(self) -> None:
        """Take in what other builds saved since this one loaded (before deciding deletions)."""
        files, folders, claims, _problem = _load(self.path)
        with self._lock:
            self.files |= files - self._removed
            self.folders |= folders
            for owner, names in claims.items():
                if owner in self._settled:
                    continue
                self.claims.setdefault(owner, set()).update(names - self._removed)

    def remove(self, names: Iterable[str]) -> list[str]:
        """Delete the named files this manifest names, and then the folders the plugin created
        that are now empty; returns the names of the files deleted."""
        removed: list[str] = []
        with self._lock:
            for name in sorted(set(names)):
                if name not in self.files:
                    continue
                if _delete_file(self.folder, name):
                    removed.append(name)
                # Deleted, or no longer a file of ours (a link or a folder in its place).
                self.files.discard(name)
                self._removed.add(name)
                for claimed in self.claims.values():
                    claimed.discard(name)
            for sub in sorted(self.folders, key=lambda n: n.count("/"), reverse=True):
                if _delete_empty_folder(self.folder, sub) or not os.path.lexists(self.folder / sub):
                    self.folders.discard(sub)
        return removed

    def forget_missing(self) -> None:
        """Drop names of files that no longer exist (another build deleted them)."""
        with self._lock:
            gone = {name for name in self.files if not os.path.lexists(self.folder / name)}
            self.files -= gone
            self._removed |= gone
            for claimed in self.claims.values():
                claimed -= gone

    def save(self) -> str | None:
        """Write the manifest (merged with what another build saved meanwhile) if it changed;
        returns a message instead of raising when the folder cannot be written."""
        self.refresh()
        with self._lock:
            text = _dump(self.files, self.folders, self.claims)
            if text == self._saved:
                return None
            try:
                if _current_text(self.path) != text:
                    atomic_write_text(self.path, text)
                    self.path.chmod(0o644)
            except OSError as exc:
                return f"cannot write {self.path} ({exc})"
            self._saved = text
        return None


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and name != "."


def _inside(folder: Path, name: str) -> Path | None:
    """``folder/name`` when no symbolic link along the way leads out of ``folder``."""
    if not _safe(name):
        return None
    path = folder / name
    root = os.path.realpath(folder)
    parent = os.path.realpath(path.parent)
    if parent != root and not parent.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return path


def _delete_file(folder: Path, name: str) -> bool:
    path = _inside(folder, name)
    if path is None:
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        path.unlink()
    except OSError:
        return False
    return True


def _delete_empty_folder(folder: Path, name: str) -> bool:
    path = _inside(folder, name)
    if path is None:
        return False
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode) or any(os.scandir(path)):
            return False
        path.rmdir()
    except OSError:
        return False
    return True


def _load(path: Path) -> tuple[set[str], set[str], dict[str, set[str]], str | None]:
    try:
        data = read_json(path, MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        return set(), set(), {}, None
    except (OSError, UnreadableFile) as exc:
        return set(), set(), {}, f"{path}: unreadable ({exc}); its files are left alone"
    try:
        if not isinstance(data, dict) or data.get("written_by") != _WRITER:
            raise UnreadableFile("not a manifest of this plugin")
        files = _names(data.get("files", []))
        folders = _names(data.get("folders", []))
        raw_claims = data.get("claims", {})
        if not isinstance(raw_claims, dict):
            raise UnreadableFile("claims is not an object")
        claims = {str(owner): _names(names) & files for owner, names in raw_claims.items()}
    except UnreadableFile as exc:
        return set(), set(), {}, f"{path}: unreadable ({exc}); its files are left alone"
    return files, folders, claims, None


def _names(value: object) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise UnreadableFile("a list of names holds something else")
    return {name for name in value if _safe(name)}


def _dump(files: set[str], folders: set[str], claims: dict[str, set[str]]) -> str:
    import json

    data = {
        "written_by": _WRITER,
        "format": _FORMAT,
        "files": sorted(files),
        "folders": sorted(folders),
        "claims": {owner: sorted(names) for owner, names in sorted(claims.items()) if names},
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _current_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def location_problem(folder: Path, project_dir: Path, docs_dir: Path) -> str | None:
    """Why the plugin must not write (and clean up) in ``folder``, judged by where it is."""
    resolved = folder.resolve()
    project = project_dir.resolve()
    docs = docs_dir.resolve()
    if resolved == project:
        return "is the project folder itself (the folder of mkdocs.yml)"
    if not resolved.is_relative_to(project):
        return f"resolves to {resolved}, outside the project folder {project}"
    if resolved == docs or docs.is_relative_to(resolved):
        return f"is or contains the docs folder ({docs})"
    return None


def check_contents(folder: Path, ours: Callable[[str, Path], bool]) -> str | None:
    """Make sure ``folder`` holds only what the plugin wrote; ``None`` when it does.

    A missing or empty folder is fine, and so is one with a manifest (files others add beside
    ours are simply never touched). A folder without a manifest written by an older release
    is adopted: when every file in it is one ``ours(name, path)`` recognises (a subfolder with
    a manifest of its own counts as the plugin's), a manifest naming them is written.
    Otherwise the folder holds someone else's files: the returned text says which (up to
    three), for a configuration error.
    """
    if not folder.is_dir() or os.path.lexists(folder / MANIFEST_NAME):
        return None
    adopted: list[str] = []
    folders: list[str] = []
    foreign: list[str] = []
    managed = False
    for top, subfolders, names in os.walk(folder):  # does not follow symbolic links
        base = Path(top)
        if base != folder and MANIFEST_NAME in names:
            subfolders[:] = []  # a folder of the plugin's own, with its own manifest
            managed = True
            continue
        for sub in subfolders:
            path = base / sub
            (foreign if path.is_symlink() else folders).append(path.relative_to(folder).as_posix())
        for name in names:
            path = base / name
            relative = path.relative_to(folder).as_posix()
            regular = stat.S_ISREG(os.lstat(path).st_mode)
            (adopted if regular and ours(relative, path) else foreign).append(relative)
        if len(foreign) > 3:
            break
    if foreign:
        shown = ", ".join(sorted(foreign)[:3]) + (", ..." if len(foreign) > 3 else "")
        return f"holds files this plugin did not write ({shown}) and no {MANIFEST_NAME}"
    if adopted or managed:
        manifest = Manifest(folder)
        manifest.files.update(adopted)
        manifest.folders.update(folders)
        manifest.save()
    return None
