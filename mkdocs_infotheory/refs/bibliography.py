"""Read bibliographies (BibTeX with pybtex, CSL-JSON as it is) into CSL-JSON records.

One record type for both formats: CSL-JSON, which citeproc-py formats
(:mod:`.cite`). A file is read once per version (its modification time and size), so a
``mkdocs serve`` rebuild or the many pages of a Zensical build parse it once. Problems (an
unreadable file, a syntax error, a duplicate key) name the file and line, and lose nothing: a
duplicate keeps its first entry, a syntax error keeps the entries before it.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..html_scan import line_at, line_of_occurrence

#: What to tell an author whose site lacks the optional libraries.
MISSING_LIBRARIES = "citations need pybtex and citeproc-py: pip install 'mkdocs-infotheory[cite]'"

#: ``@book{key,`` at the start of a BibTeX entry (to find each entry's line).
_ENTRY_START = re.compile(r"@\s*(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^\s,{}()]+)\s*,")
_COMMANDS = re.compile(r"\\[A-Za-z]+\s*")

#: BibTeX entry types -> CSL types (the rest are "document").
_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "report": "report",
    "thesis": "thesis",
    "online": "webpage",
    "unpublished": "manuscript",
    "misc": "document",
}
#: BibTeX fields -> CSL variables.
_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "edition": "edition",
    "series": "collection-title",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One bibliography entry: its key, CSL-JSON data, and where it was defined."""

    key: str
    data: dict[str, Any]
    where: str


@dataclass(slots=True)
class Library:
    """The entries a page may cite, by key, and the problems met reading them."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def find(self, key: str) -> Entry | None:
        """The entry of ``key`` (BibTeX keys are case-insensitive: so is this)."""
        entry = self.entries.get(key)
        if entry is None:
            lowered = key.lower()
            entry = next((e for k, e in self.entries.items() if k.lower() == lowered), None)
        return entry

    def add(self, entries: Iterable[Entry]) -> None:
        """Add ``entries``; a key already present keeps its first entry (and is reported)."""
        for entry in entries:
            earlier = self.find(entry.key)
            if earlier is not None:
                self.problems.append(
                    f"{entry.where}: duplicate bibliography key {entry.key!r} (first in "
                    f"{earlier.where}); the first entry is used: rename one"
                )
                continue
            self.entries[entry.key] = entry


#: Parsed bibliography files by path, modification time and size, process-wide: a file's
#: version reads the same in every build of the process (``mkdocs serve``, Zensical's pages).
_CACHE: dict[tuple[Path, int, int], tuple[list[Entry], list[str]]] = {}
_LOCK = threading.Lock()


def load_library(paths: Iterable[Path], shown: Callable[[Path], str]) -> Library:
    """Every entry of the files at ``paths`` (in order), ``shown(path)`` naming each file in
    messages (``docs/references.bib``)."""
    library = Library()
    for path in paths:
        entries, problems = read_file(path, shown(path))
        library.problems.extend(problems)
        library.add(entries)
    return library


def read_file(path: Path, name: str) -> tuple[list[Entry], list[str]]:
    """The entries of one file and its own problems (cached per version of the file)."""
    try:
        stat = path.stat()
    except OSError as error:
        return [], [
            f"{name}: cannot read the bibliography ({error.strerror or error}): check "
            "the path (relative to mkdocs.yml, or to the page for front matter)"
        ]
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _read(path, name)
        return _CACHE[key]


def _read(path: Path, name: str) -> tuple[list[Entry], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, ValueError) as error:
        return [], [f"{name}: cannot read the bibliography: {error}"]
    if path.suffix.lower() == ".json":
        return _read_csl_json(text, name)
    if path.suffix.lower() != ".bib":
        return [], [
            f"{name}: unknown bibliography format: use a .bib (BibTeX) or .json (CSL-JSON) file"
        ]
    return _read_bibtex(text, name)


def _read_csl_json(text: str, name: str) -> tuple[list[Entry], list[str]]:
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        return [], [f"{name}:{line}: not valid JSON: {getattr(error, 'msg', error)}"]
    if not isinstance(data, list):
        return [], [f'{name}:1: CSL-JSON is a list of entries ([{{"id": ...}}, ...])']
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f'{name}: an entry without a text "id" is left out')
            continue
        key = item["id"]
        occurrence = seen[key] = seen.get(key, -1) + 1
        line = line_of_occurrence(text, f'"{key}"', occurrence)
        entries.append(Entry(key, dict(item), f"{name}:{line}" if line else name))
    return entries, problems


def _read_bibtex(text: str, name: str) -> tuple[list[Entry], list[str]]:
    import pybtex.errors
    from pybtex.database.input import bibtex
    from pybtex.scanner import PybtexSyntaxError

    lines = _entry_lines(text)
    problems: list[str] = []
    with pybtex.errors.capture() as captured:  # reported below, never raised or printed
        try:
            data = bibtex.Parser().parse_string(text)
        except PybtexSyntaxError as error:  # pragma: no cover (captured in pybtex 0.24+)
            captured.append(error)
            data = None
    for error in captured:
        line = getattr(error, "lineno", None)
        message = str(error).replace("\n", " ")
        if "repeated bibliography entry" in message:
            continue  # reported with its line below
        problems.append(f"{name}:{line}: {message}" if line else f"{name}: {message}")
    if data is None:
        return [], problems
    entries: list[Entry] = []
    occurrences: dict[str, list[int]] = {}
    for key, line in lines:
        occurrences.setdefault(key.lower(), []).append(line)
    for key, entry in data.entries.items():
        found = occurrences.get(key.lower(), [])
        where = f"{name}:{found[0]}" if found else name
        entries.append(Entry(key, _csl_of(key, entry), where))
        for line in found[1:]:
            problems.append(
                f"{name}:{line}: duplicate bibliography key {key!r} (first in {where}); the "
                "first entry is used: rename one"
            )
    return entries, problems


def _entry_lines(text: str) -> list[tuple[str, int]]:
    """``(key, line)`` of every entry, in file order (comments and strings excluded)."""
    found = []
    for match in _ENTRY_START.finditer(text):
        if match.group("type").lower() in ("comment", "string", "preamble"):
            continue
        found.append((match.group("key"), line_at(text, match.start())))
    return found


def _plain(value: str) -> str:
    """BibTeX's TeX as text: accents decoded (``{\\"o}`` is ö), commands and braces dropped."""
    if "\\" in value:
        import latexcodec  # noqa: F401  (registers the "ulatex" codec; pybtex depends on it)

        with contextlib.suppress(ValueError, LookupError):
            value = codecs.decode(value, "ulatex")
    return " ".join(_COMMANDS.sub("", value).replace("{", "").replace("}", "").split())


def _csl_of(key: str, entry: Any) -> dict[str, Any]:
    """A pybtex entry as CSL-JSON."""
    data: dict[str, Any] = {"id": key, "type": _TYPES.get(entry.type.lower(), "document")}
    fields = {name.lower(): value for name, value in entry.fields.items()}
    for name, variable in _FIELDS.items():
        if name in fields and variable not in data:
            value = _plain(fields[name])
            data[variable] = value.replace("--", "-") if variable == "page" else value
    if entry.type.lower() == "phdthesis":
        data["genre"] = "PhD thesis"
    year = _plain(fields.get("year", "")) or _plain(fields.get("date", ""))[:4]
    if year[:4].isdigit():
        data["issued"] = {"date-parts": [[int(year[:4])]]}
    for role in ("author", "editor"):
        people = entry.persons.get(role) or []
        if people:
            data[role] = [_name(person) for person in people]
    return data


def _name(person: Any) -> dict[str, str]:
    family = " ".join(_plain(part) for part in [*person.prelast_names, *person.last_names])
    given = " ".join(_plain(part) for part in [*person.first_names, *person.middle_names])
    name = {"family": family}
    if given:
        name["given"] = given
    return name
