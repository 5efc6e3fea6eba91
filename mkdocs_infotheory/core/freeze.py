"""Frozen results: a page's executed results, committed beside the site and reused as they are.

Why this exists next to the cache: the cache is a private, disposable speed-up keyed by
everything that could change a result on *this* machine (the plugin's version included). Frozen
results are the opposite: files the author commits so that a machine that *cannot* run the
code (no torch, no GPU, no dataset: a CI runner) publishes what ran where it could. So they are
keyed by what the page *is*, never by the machine that ran it:

- the page's cells in order: kind, language, session and code (options that only change how a
  result is shown -- ``source``, ``result``, ``caption``, ``title`` -- are left out, so changing
  them re-renders the frozen result instead of refusing it);
- the build's declared inputs (``inputs``): the preamble, ``max_output``, ``figure_format`` and
  the content of the declared source files (the bundled compute module and the author's
  ``dependencies``), hashed with names relative to each listed path.

Left out on purpose: absolute paths, the Python, numpy or plugin version, timings and dates. A
fresh CI runner with the same page and the same declared inputs accepts the freeze.

Keys are chained per cell (cell *i*'s key covers the inputs and cells 0..i), because cells run
in document order and share namespaces: cell *i*'s result depends on exactly that. So the first
cell whose key differs is the first changed cell, the one a message names, and every cell
before it still has valid results.

One file per page, ``<freeze_dir>/<page path inside docs>.json``: JSON with sorted keys and
indentation, output split into lines (as notebooks do), default fields left out, so a re-run
that changes one number changes one line of the diff.

Frozen files arrive in pull requests, and reviewers read JSON, not HTML: a file is read with
:func:`..storage.read_json` (size-capped, regular files only, any depth survived) and every
field is type-checked before use; a file that fails is one message and the page runs again (or,
under ``freeze: true``, is refused at its line). What the results *say* is checked with fresh
results, in :mod:`.sanitize`. Pruning deletes only files :mod:`..manifest` names, claimed per
configuration, so a second configuration sharing the folder keeps its pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ..manifest import Manifest
from ..storage import MAX_FROZEN_BYTES, UnreadableFile, atomic_write_text, read_bytes, read_json
from .model import Cell, CellResult, Display, Figure

#: ``false``: never read or write frozen results; ``auto``: reuse current ones, freeze pages
#: that ran cleanly; ``true``: never execute, every page needs current frozen results.
FreezeMode = Literal["false", "auto", "true"]
FREEZE_MODES: tuple[FreezeMode, ...] = ("false", "auto", "true")

#: Bump when the file layout or the meaning of a key changes.
FORMAT = 1

#: Start of the "not executed" note of a cell whose frozen result is missing or outdated.
NOT_FROZEN = "not frozen"

_SUFFIX = ".json"


def freeze_mode(value: object) -> FreezeMode | None:
    """The mode ``value`` names (``True``/``False`` from YAML, or text), or None if none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    return text if text in FREEZE_MODES else None  # type: ignore[return-value]


def inputs_key(fingerprint: str, preamble: str, max_output: int, figure_format: str) -> str:
    """What every page's results depend on besides its own cells (see the module docstring);
    ``fingerprint`` is the content hash of the declared source files."""
    payload = [FORMAT, fingerprint, preamble, max_output, figure_format]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def cell_keys(cells: Sequence[Cell], inputs: str) -> list[str]:
    """One chained key per cell: cell *i*'s covers ``inputs`` and cells 0..i."""
    keys: list[str] = []
    previous = inputs
    for cell in cells:
        payload = [previous, cell.kind, cell.language, cell.session, cell.code]
        previous = hashlib.sha256(json.dumps(payload).encode()).hexdigest()
        keys.append(previous)
    return keys


@dataclass(frozen=True, slots=True)
class FreezeCheck:
    """How much of a page the frozen results cover.

    ``results`` holds the frozen results of the leading cells whose keys match (all of them
    when ``complete``); ``reason`` says why the next cell's result is missing or outdated.
    """

    results: list[CellResult]
    complete: bool
    reason: str = ""


def _to_json(result: CellResult) -> dict[str, Any]:
    """A frozen result: timings dropped, defaults left out, multi-line text as lines."""
    data: dict[str, Any] = {}
    if result.output:
        data["output"] = result.output.splitlines(keepends=True)
    if result.value is not None:
        data["value"] = result.value
    if result.truncated:
        data["truncated"] = True
    if result.figures:
        data["figures"] = [
            {"format": f.format, "data": f.data.splitlines(keepends=True)} for f in result.figures
        ]
    if result.displays:
        data["displays"] = [
            {"mime": d.mime, "data": d.data.splitlines(keepends=True), "position": d.position}
            for d in result.displays
        ]
    return data


def _from_json(data: Any) -> CellResult:
    """A frozen result, every field type-checked (:class:`ValueError` names the first wrong
    one): the file may have been edited by hand or by anyone who sent a pull request."""
    if not isinstance(data, dict):
        raise ValueError(f"a result is {type(data).__name__}, not an object")
    value = data.get("value")
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'value' is {type(value).__name__}, not text")
    truncated = data.get("truncated", False)
    if not isinstance(truncated, bool):
        raise ValueError(f"'truncated' is {type(truncated).__name__}, not true or false")
    figures = data.get("figures", [])
    if not isinstance(figures, list):
        raise ValueError(f"'figures' is {type(figures).__name__}, not a list")
    for figure in figures:
        if not isinstance(figure, dict) or figure.get("format") not in ("svg", "png"):
            raise ValueError("a figure is not an object with format svg or png")
    displays = data.get("displays", [])
    if not isinstance(displays, list):
        raise ValueError(f"'displays' is {type(displays).__name__}, not a list")
    for shown in displays:
        if not (
            isinstance(shown, dict)
            and isinstance(shown.get("mime"), str)
            and type(shown.get("position")) is int
            and shown["position"] >= 0
        ):
            raise ValueError("a display is not an object with a mime type and a position")
    return CellResult(
        output=_text(data.get("output", ""), "output"),
        value=value,
        truncated=truncated,
        figures=[Figure(f["format"], _text(f.get("data"), "figure data")) for f in figures],
        displays=[
            Display(d["mime"], _text(d.get("data"), "display data"), d["position"])
            for d in displays
        ],
    )


def _text(value: Any, what: str) -> str:
    """Text stored whole or as a list of lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    raise ValueError(f"{what!r} is {type(value).__name__}, not text or a list of lines")


class FreezeStore:
    """The frozen results of a site: one JSON file per page under ``directory``.

    ``docs_prefix`` is how messages name the docs folder (``docs``): a page named
    ``docs/posts/a.md`` in messages is frozen as ``<directory>/posts/a.md.json``.
    ``inputs`` is :func:`inputs_key` for this build. ``owner`` names the configuration
    (``mkdocs.yml``) whose pages this build claims in the folder's manifest.
    """

    def __init__(
        self, directory: Path, docs_prefix: str, inputs: str, owner: str = "mkdocs.yml"
    ) -> None:
        self.directory = directory
        self.owner = owner
        self.docs_prefix = docs_prefix.strip("/")
        self.inputs = inputs
        #: Messages about unreadable files, for the adapter to report.
        self.problems: list[str] = []
        #: Names (relative to ``directory``) of the pages this build read or wrote.
        self.used: set[str] = set()
        self._loaded: dict[str, dict[str, Any] | None] = {}
        self._manifest: Manifest | None = None

    @property
    def manifest(self) -> Manifest:
        """The folder's manifest, read when first needed (a build that only reads frozen
        results never needs it)."""
        if self._manifest is None:
            self._manifest = Manifest(self.directory)
            if self._manifest.problem:
                self.problems.append(self._manifest.problem)
        return self._manifest

    def name(self, filename: str) -> str | None:
        """The file name, relative to ``directory``, of the page ``filename`` (None when the
        page lies outside the project, so its name would be an absolute path)."""
        path = PurePosixPath(filename)
        if path.is_absolute() or ".." in path.parts:
            return None
        prefix = PurePosixPath(self.docs_prefix) if self.docs_prefix else None
        if prefix is not None and path.parts[: len(prefix.parts)] == prefix.parts:
            path = PurePosixPath(*path.parts[len(prefix.parts) :])
        return path.as_posix() + _SUFFIX

    def _load(self, name: str) -> dict[str, Any] | None:
        if name in self._loaded:
            return self._loaded[name]
        path = self.directory / name
        data: dict[str, Any] | None = None
        try:
            loaded = read_json(path, MAX_FROZEN_BYTES)
            if not isinstance(loaded, dict) or not isinstance(loaded.get("cells"), list):
                raise UnreadableFile("not a frozen-results file")
            data = loaded
        except (FileNotFoundError, NotADirectoryError):
            pass
        except (OSError, ValueError) as exc:
            self.problems.append(f"{path}: unreadable frozen results ({exc}); ignored")
        self._loaded[name] = data
        return data

    def check(self, filename: str, cells: Sequence[Cell]) -> FreezeCheck:
        """Which of ``cells`` have current frozen results (see :class:`FreezeCheck`)."""
        name = self.name(filename)
        if name is None:
            return FreezeCheck([], False, "the page is outside the project folder")
        self.used.add(name)
        data = self._load(name)
        if data is None:
            return FreezeCheck([], False, "the page has no frozen results")
        if data.get("format") != FORMAT:
            return FreezeCheck([], False, "its frozen results have an older format")
        if data.get("inputs") != self.inputs:
            return FreezeCheck(
                [],
                False,
                "the preamble, a declared dependency or the compute module changed "
                "since the page was frozen",
            )
        stored: list[Any] = data["cells"]
        results: list[CellResult] = []
        for index, key in enumerate(cell_keys(cells, self.inputs)):
            entry = stored[index] if index < len(stored) else None
            if not isinstance(entry, dict) or entry.get("key") != key:
                reason = (
                    "this cell is new since the page was frozen"
                    if entry is None
                    else "this cell changed since the page was frozen"
                )
                return FreezeCheck(results, False, reason)
            try:
                results.append(_from_json(entry.get("result", {})))
            except ValueError as exc:
                self.problems.append(f"{self.directory / name}: unreadable result ({exc})")
                return FreezeCheck(results, False, "its frozen result could not be read")
        return FreezeCheck(results, True)

    def put(self, filename: str, cells: Sequence[Cell], results: Sequence[CellResult]) -> bool:
        """Freeze a page that ran cleanly; returns whether the file changed.

        Pages with a failure or a skipped cell are not frozen (their old file, if any, stays
        and is simply outdated). An unchanged file is not rewritten, so its timestamp and the
        author's ``git status`` stay quiet.
        """
        name = self.name(filename)
        if name is None or not cells:
            return False
        if any(result.failed or result.skipped for result in results):
            return False
        self.used.add(name)
        data = {
            "format": FORMAT,
            "inputs": self.inputs,
            "cells": [
                {"key": key, "kind": cell.kind, "result": _to_json(result)}
                for cell, key, result in zip(
                    cells, cell_keys(cells, self.inputs), results, strict=True
                )
            ],
        }
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        path = self.directory / name
        manifest = self.manifest
        if os.path.lexists(path) and not (
            manifest.owns(name) and stat.S_ISREG(os.lstat(path).st_mode)
        ):
            self.problems.append(
                f"{path}: not a file this plugin wrote (not a regular file its manifest names); "
                "left alone, so the page is not frozen: move it away"
            )
            return False
        manifest.add_claim(self.owner, name)
        if _same_text(path, text):
            return False
        manifest.record(path)
        try:
            atomic_write_text(path, text)
            path.chmod(0o644)  # a file to commit and share, not a private temporary one
        except OSError as exc:
            self.problems.append(f"{path}: cannot write frozen results ({exc})")
            return False
        finally:
            if problem := manifest.save():
                self.problems.append(problem)
        self._loaded[name] = data
        return True

    def prune(self, keep: set[str]) -> list[str]:
        """Give up this configuration's claim on frozen files of pages not in ``keep`` (names
        relative to ``directory``: pages removed, or that no longer run code) and delete those
        no other configuration claims, and only if the manifest names them; returns the
        deleted names. Folders the plugin created are removed once empty; nothing else is."""
        if not self.directory.is_dir():
            return []
        manifest = self.manifest
        manifest.refresh()
        previous = set(manifest.claims.get(self.owner, set()))
        manifest.claim(self.owner, keep)
        others: set[str] = set()
        for owner, names in manifest.claims.items():
            if owner != self.owner:
                others |= names
        removed = manifest.remove(previous - keep - others)
        manifest.forget_missing()
        if problem := manifest.save():
            self.problems.append(problem)
        return removed


def _same_text(path: Path, text: str) -> bool:
    """Whether the regular file at ``path`` holds ``text`` already (never follows a link)."""
    encoded = text.encode("utf-8")
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(encoded):
            return False
        return read_bytes(path) == encoded
    except OSError:
        return False
