"""Citations on a page: links to its list of references, formatted by citeproc-py.

:func:`cite_page` finds the page's citations (:mod:`.citations`) in its prose, formats each
with the site's CSL style, links each cited item to its entry, and puts the list of exactly
the entries the page cites at the end of the page, or where the author wrote a
``/// references`` block. Each entry links back to the citations of it.

A bracketed citation is formatted by citeproc-py item by item (so each item is its own
link), joined and wrapped as the style's citation layout says ("(", "; ", ")"). CSL 1.0 has
no in-text form, so ``@key`` reads "Names (year)" and ``[-@key]`` "(year)", with the names and
year taken from the entry and the locator written as the style's terms would ("p. 20").
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .bibliography import Entry, Library
from .citations import Citation, CiteItem, find_citations
from .html import scan_page
from .kinds import REFERENCES_HERE_CLASS
from .page import MISSING_CLASS, Problem, _apply

CITE_CLASS = "infotheory-cite"
REFERENCES_CLASS = "infotheory-references"
_HERE = f'<div class="{REFERENCES_HERE_CLASS}"></div>'
#: Short locator terms, as CSL's English locale writes them.
_SHORT = {"page": ("p.", "pp."), "chapter": ("chap.", "chaps."), "section": ("sec.", "secs.")}


def default_style() -> Path:
    """The author-date style citeproc-py ships (Harvard, "Cite them right")."""
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"


#: Parsed CSL styles by file, process-wide: a style file is the same for every build and page.
_STYLES: dict[Path, Any] = {}
_LOCK = threading.Lock()


def load_style(path: Path | None) -> Any:
    """The CSL style at ``path`` (None: the default), parsed once per process. Raises
    ``ValueError`` with a message for an unreadable or invalid style."""
    from citeproc import CitationStylesStyle

    path = path or default_style()
    with _LOCK:
        if path not in _STYLES:
            try:
                _STYLES[path] = CitationStylesStyle(str(path), validate=False)
            except Exception as error:
                raise ValueError(f"cannot read the CSL style {path.name}: {error}") from error
        return _STYLES[path]


@dataclass(slots=True)
class CitedPage:
    html: str
    problems: list[Problem] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)


def cite_page(html: str, library: Library, style: Any) -> CitedPage:
    """Citations of ``html`` resolved against ``library`` and formatted with ``style``."""
    result = CitedPage(html)
    if "@" not in html:
        return result
    found: list[tuple[int, Citation]] = []
    for start, end in scan_page(html).texts:
        text = html[start:end]
        found.extend((start, citation) for citation in find_citations(text))
    if not found:
        return result
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    entries: dict[str, Entry] = {}  # cited key (as the library spells it) -> entry
    seen: dict[str, int] = {}
    for _, citation in found:
        for item in citation.items:
            entry = library.find(item.key)
            if entry is not None:
                entries.setdefault(entry.key, entry)
    source = CiteProcJSON([{**entry.data, "id": key} for key, entry in entries.items()])
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    layout = style.root.citation.layout
    opening, closing = layout.get("prefix") or "", layout.get("suffix") or ""
    delimiter = layout.get("delimiter") or "; "

    def csl(item: CiteItem, key: str) -> Any:
        options: dict[str, Any] = {}
        if item.locator is not None:
            options["locator"] = Locator(item.label or "page", item.locator)
        return CslCitation([CitationItem(key, **options)])

    registered: dict[tuple[int, int], Any] = {}
    for number, (_, citation) in enumerate(found):
        for index, item in enumerate(citation.items):
            entry = library.find(item.key)
            if entry is not None:
                registered[number, index] = csl(item, entry.key)
                bibliography.register(registered[number, index])

    def rendered(number: int, index: int) -> str:
        text = str(bibliography.cite(registered[number, index], lambda _item: None))
        if opening and text.startswith(opening):
            text = text[len(opening) :]
        if closing and text.endswith(closing):
            text = text[: -len(closing)]
        return text

    def link(item: CiteItem, entry: Entry, text: str) -> str:
        count = seen[entry.key] = seen.get(entry.key, 0) + 1
        anchor = escape(_anchor(entry.key), quote=True)
        return f'<a class="{CITE_CLASS}" href="#ref-{anchor}" id="cite-{anchor}-{count}">{text}</a>'

    def missing(item: CiteItem) -> str:
        close = difflib.get_close_matches(item.key, list(library.entries), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        needle = f"@{item.key}"
        occurrence = sum(1 for p in result.problems if p.needle == needle)
        result.problems.append(
            Problem(
                f"@{item.key}: no entry {item.key!r} in the bibliography{hint}",
                needle,
                occurrence,
            )
        )
        return (
            f'<span class="{MISSING_CLASS}" title="unknown citation">@{escape(item.key)}??</span>'
        )

    edits: list[tuple[int, int, str]] = []
    for number, (offset, citation) in enumerate(found):
        parts: list[str] = []
        for index, item in enumerate(citation.items):
            entry = library.find(item.key)
            if entry is None:
                parts.append(missing(item))
                continue
            if citation.in_text:
                names = escape(_names(entry.data), quote=False)
                text = f"{names} {opening}{_year_part(item, entry)}{closing}"
                parts.append(link(item, entry, text))
                continue
            text = _year_part(item, entry) if item.suppress_author else rendered(number, index)
            if item.suffix:
                text += f", {escape(item.suffix, quote=False)}"
            prefix = f"{escape(item.prefix, quote=False)} " if item.prefix else ""
            parts.append(prefix + link(item, entry, text))
        if citation.in_text:
            replacement = "".join(parts)
        else:
            replacement = (
                f'<span class="{CITE_CLASS}s">{opening}{delimiter.join(parts)}{closing}</span>'
            )
        edits.append((offset + citation.start, offset + citation.end, replacement))
    html = _apply(html, edits)
    result.cited = list(entries)
    if entries:
        html = _place_list(html, _reference_list(bibliography, entries, seen))
    result.html = html
    return result


def _reference_list(bibliography: Any, entries: dict[str, Entry], seen: dict[str, int]) -> str:
    """The entries cited on the page, in the style's order, each linking back."""
    bibliography.sort()
    by_lower = {key.lower(): key for key in entries}
    items = []
    for csl_key, text in zip(bibliography.keys, bibliography.bibliography(), strict=False):
        key = by_lower.get(csl_key, csl_key)
        anchor = escape(_anchor(key), quote=True)
        backs = " ".join(
            f'<a class="infotheory-backlink" href="#cite-{anchor}-{n}" '
            f'aria-label="Back to citation {n}">\u21a9</a>'
            for n in range(1, seen.get(key, 0) + 1)
        )
        items.append(f'<li id="ref-{anchor}">{text} {backs}</li>')
    return f'<ul class="infotheory-bibliography">{"".join(items)}</ul>'


def _place_list(html: str, listing: str) -> str:
    """In place of the ``/// references`` block, or at the end under a "References" heading."""
    if _HERE in html:
        return html.replace(_HERE, f'<div class="{REFERENCES_CLASS}">{listing}</div>', 1)
    anchor = ' id="references"' if 'id="references"' not in html else ""
    return (
        f'{html}\n<section class="{REFERENCES_CLASS}">'
        f"<h2{anchor}>References</h2>{listing}</section>"
    )


def _anchor(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.:" else "-" for c in key)


def _names(data: dict[str, Any]) -> str:
    """ "MacKay", "Cover and Thomas", "Shannon et al.": the entry's authors (or editors)."""
    people = data.get("author") or data.get("editor") or []
    families = [
        str(person.get("family") or person.get("literal") or "")
        for person in people
        if isinstance(person, dict)
    ]
    families = [name for name in families if name]
    if not families:
        return str(data.get("title") or data.get("id") or "")
    if len(families) == 1:
        return families[0]
    if len(families) == 2:
        return f"{families[0]} and {families[1]}"
    return f"{families[0]} et al."


def _year_part(item: CiteItem, entry: Entry) -> str:
    """ "2003" or "2003, p. 20"."""
    issued = entry.data.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    year = str(parts[0][0]) if parts and parts[0] else "n.d."
    if item.locator is None:
        return escape(year)
    label = item.label or "page"
    single, plural = _SHORT.get(label, (f"{label}", f"{label}"))
    many = any(mark in item.locator for mark in "-–,&")
    return escape(f"{year}, {plural if many else single} {item.locator}", quote=False)
