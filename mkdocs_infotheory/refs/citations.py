"""Find citations in a run of prose text, in Pandoc's (and Quarto's) syntax.

* ``[@key]``, ``[@key, p. 20]``, ``[see @a; @b, chap. 2]``: a bracketed (parenthetical)
  citation of one or more items, each with an optional prefix and locator;
* ``[-@key]``: the year only (the author is named in the sentence);
* ``@key`` in running text: an in-text citation, "MacKay (2003)".

Pure text work: the caller offers only prose (no code, links or math, see
:func:`~.html.scan_page`). An ``@`` after a word character (an e-mail address) is not a
citation, and neither is ``@eq-``, ``@fig-``, ``@thm-``... (:data:`~.kinds.PREFIXES`, the
cross-references' own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import PREFIXES

#: A citation key: Pandoc's rule (letters, digits, ``_``, and internal punctuation).
_KEY = r"[^\W][\w]*(?:[:.#$%&+?<>~/-][\w]+)*"
_IN_TEXT = re.compile(rf"(?<![\w@.\[-])@(?P<key>{_KEY})")
_BRACKETS = re.compile(r"\[(?P<body>[^\[\]]*@[^\[\]]*)\](?!\()")
_ITEM = re.compile(
    rf"^\s*(?P<prefix>[^@]*?)\s*(?P<minus>-)?@(?P<key>{_KEY})\s*(?:,\s*(?P<locator>.*?))?\s*$",
    re.S,
)
_RESERVED = tuple(f"{prefix}-" for prefix in PREFIXES)

#: How an author writes a locator's label -> CSL's locator label.
_LABELS = {
    "p.": "page",
    "pp.": "page",
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "chap.": "chapter",
    "ch.": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "sec.": "section",
    "section": "section",
    "§": "section",
    "§§": "section",
    "fig.": "figure",
    "figure": "figure",
    "vol.": "volume",
    "volume": "volume",
    "para.": "paragraph",
    "paragraph": "paragraph",
    "n.": "note",
    "note": "note",
    "l.": "line",
    "line": "line",
    "part": "part",
    "pt.": "part",
    "bk.": "book",
    "book": "book",
}
_LOCATOR = re.compile(r"^(?P<label>[^\d\s]+\.?)?\s*(?P<value>\d[\w\s,–—-]*)$")


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited entry: ``see @key, p. 20``."""

    key: str
    prefix: str = ""
    #: CSL locator label and value (``page``, ``20``), or neither.
    label: str | None = None
    locator: str | None = None
    #: Text after the key that is not a locator (kept after the citation's text).
    suffix: str = ""
    #: ``-@key``: the year only.
    suppress_author: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation at ``start:end`` of the text: bracketed or in-text."""

    start: int
    end: int
    items: tuple[CiteItem, ...]
    in_text: bool = False


def is_reserved(key: str) -> bool:
    """``eq-kl``, ``thm-kraft``: a cross-reference's label, not a citation key."""
    return key.startswith(_RESERVED)


def find_citations(text: str) -> list[Citation]:
    """The citations in ``text``, in order."""
    if "@" not in text:
        return []
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKETS.finditer(text):
        items = _bracketed_items(match.group("body"))
        if items is None:
            continue
        found.append(Citation(match.start(), match.end(), items))
        taken.append((match.start(), match.end()))
    for match in _IN_TEXT.finditer(text):
        key = _trim(match.group("key"))
        if is_reserved(key) or any(start <= match.start() < end for start, end in taken):
            continue
        end = match.start() + 1 + len(key)
        found.append(Citation(match.start(), end, (CiteItem(key),), in_text=True))
    found.sort(key=lambda citation: citation.start)
    return found


def _bracketed_items(body: str) -> tuple[CiteItem, ...] | None:
    """The items of ``[...]``, or None if it is not a citation (every ``;``-separated part
    must hold one ``@key``; a reserved prefix leaves it to the cross-references)."""
    items: list[CiteItem] = []
    for part in body.split(";"):
        match = _ITEM.match(part)
        if match is None or "@" in (match.group("locator") or ""):
            return None
        key = match.group("key")
        if is_reserved(key):
            return None
        label, locator, suffix = parse_locator(match.group("locator") or "")
        prefix = " ".join(match.group("prefix").split())
        items.append(CiteItem(key, prefix, label, locator, suffix, bool(match.group("minus"))))
    return tuple(items) or None


def parse_locator(text: str) -> tuple[str | None, str | None, str]:
    """``"p. 20"`` -> ``("page", "20", "")``; a bare number is a page; anything else is a
    suffix kept as written."""
    text = " ".join(text.split())
    if not text:
        return None, None, ""
    match = _LOCATOR.match(text)
    if match is None:
        return None, None, text
    label = (match.group("label") or "").lower()
    if label and label not in _LABELS:
        return None, None, text
    return _LABELS.get(label, "page"), match.group("value").strip(), ""


def _trim(key: str) -> str:
    """A key never ends with punctuation (``@mackay2003.`` ends a sentence)."""
    return key.rstrip(":.#$%&+?<>~/-")
