"""Number a page's equations, figures and tables, then resolve references to them.

Two steps, because references may point to other pages: :func:`number_page` runs on each page
(labels and numbers are page-local: numbering restarts on every page) and yields its
:class:`Target` s; once every page's targets are in one :class:`LabelIndex`, :func:`resolve_page`
rewrites ``\\eqref``/``\\ref`` in math and ``@eq-``/``@fig-``/``@tbl-`` in prose into links. A host
with no site-wide pass (a Markdown extension rendering one page at a time) runs both on the
same page with a page-local index: :func:`process_page`.

Both steps work on HTML with the math still as TeX (arithmatex output), before KaTeX or MathJax
sees it, and leave everything else byte for byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Literal

from ..html_scan import line_of_occurrence
from ..math.scan import Formula, find_formulas
from . import tex as texops
from .html import NUMBER_CLASSES, element_ids, scan_page
from .kinds import PREFIXES, THEOREM_CLASS, WORDS, kind_name

#: A target's kind is its label prefix: ``eq``, ``fig``, ``tbl``, ``thm``, ``lem``...
Kind = str
#: ``@eq-NAME`` (or another reserved prefix, :data:`~.kinds.PREFIXES`) in prose; not after a
#: word character (emails) or inside a longer word. A name may hold ``.`` and ``:`` (as labels
#: may) between letters or digits; one that ends a sentence (``see @eq-kl.``) is punctuation.
PROSE_REFERENCE = re.compile(
    rf"(?<![\w@.])@(?P<name>(?P<kind>{'|'.join(PREFIXES)})-(?:[A-Za-z0-9_-]|[.:](?=[A-Za-z0-9]))*"
    r"[A-Za-z0-9])"
)
MISSING_CLASS = "infotheory-ref-missing"
LINK_CLASS = "infotheory-ref"

#: ``(page, anchor) -> URL`` of a target as seen from the page being resolved.
UrlFor = Callable[[str, str], str]
#: ``page -> its title``: a reference to another page's item names that page.
TitleFor = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Target:
    """Something a reference can point to."""

    kind: Kind
    name: str
    number: str
    page: str


@dataclass(frozen=True, slots=True)
class Problem:
    """An author error. ``needle`` is text to find in the page's Markdown to name the line
    (its ``occurrence``-th appearance, 0-based); ``None`` when there is nothing to look for."""

    message: str
    needle: str | None = None
    occurrence: int = 0
    #: For an unknown reference: the label nobody defined.
    missing: str | None = None

    def explained(self, source: str) -> str:
        """The message, plus a hint when the page's Markdown does hold the missing label (the
        formula around it was not recognised as display math)."""
        if self.missing and f"\\label{{{self.missing}}}" in source:
            return (
                f"{self.message}; the page has \\label{{{self.missing}}}, but not in display "
                "math: put $$ ... $$ on lines of their own with a blank line before and after"
            )
        return self.message

    def line_in(self, source: str) -> int | None:
        """1-based line of the problem in the page's Markdown ``source``, if it can be found."""
        if not self.needle:
            return None
        for needle in _spellings(self.needle):
            line = line_of_occurrence(source, needle, self.occurrence)
            if line is not None:
                return line
        return None


@dataclass(slots=True)
class NumberedPage:
    html: str
    targets: list[Target] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Rewritten TeX -> the author's TeX, so a KaTeX error can still be located.
    originals: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class LabelIndex:
    """Every target of the site (or of one page), by label."""

    targets: dict[str, Target] = field(default_factory=dict)

    def add(self, target: Target) -> Target | None:
        """Register ``target``; returns the earlier target of the same name if there is one."""
        earlier = self.targets.get(target.name)
        if earlier is None:
            self.targets[target.name] = target
        return earlier

    def get(self, name: str) -> Target | None:
        return self.targets.get(name)


def number_page(html: str, page: str, math: bool = True) -> NumberedPage:
    """Give labelled display equations and captioned/labelled figures and tables their numbers.

    ``math=False`` leaves formulas alone (a site that brings its own math setup).
    """
    result = NumberedPage(html)
    edits: list[tuple[int, int, str]] = []
    counters = {"eq": 0, "figure": 0, "table": 0}

    def next_equation() -> str:
        counters["eq"] += 1
        return str(counters["eq"])

    # Cheap text checks first: most pages have nothing to number and skip the HTML scans.
    wanted = math and ("\\label" in html or "\\begin{" in html)
    formulas = find_formulas(html) if wanted else []
    for formula in formulas:
        if _is_script(html, formula) or not texops.needs_numbering(formula.tex):
            continue
        if not formula.display:
            if texops.LABEL.search(formula.tex):
                for name in texops.labels_in(formula.tex):
                    result.problems.append(
                        Problem(
                            f"\\label{{{name}}} in inline math: only display math can be "
                            "numbered; put the formula on lines of its own ($$ ... $$)",
                            f"\\label{{{name}}}",
                        )
                    )
                new_tex = texops.strip_labels(formula.tex)
                result.originals[new_tex] = formula.tex
                edits.append(_rewrite(formula, new_tex))
            continue
        numbered = texops.number_display(formula.tex, next_equation)
        result.originals[numbered.tex] = formula.tex
        for name in numbered.invalid:
            result.problems.append(
                Problem(
                    f"label {name!r} is not a valid name: use letters, digits and - _ : .",
                    f"\\label{{{name}}}",
                )
            )
        for name, number in numbered.labels.items():
            result.targets.append(Target("eq", name, number, page))
        edits.append(_rewrite(formula, numbered.tex, list(numbered.labels)))

    for figure in scan_page(html).figures if "<figure" in html else []:
        kind = _figure_kind(figure.id, figure.classes)
        if kind is None:
            continue
        counters[kind] += 1
        number = str(counters[kind])
        text = f"{kind.title()} {number}."
        if figure.id and figure.id.startswith(("fig-", "tbl-")):
            result.targets.append(
                Target("fig" if kind == "figure" else "tbl", figure.id, number, page)
            )
        if figure.number_span is not None:
            start, end = figure.number_span
            edits.append((start, end, text))
        elif figure.caption_at is not None:
            span = f'<span class="{NUMBER_CLASSES[kind]}">{text}</span> '
            edits.append((figure.caption_at, figure.caption_at, span))
    if THEOREM_CLASS in html:
        from .theorems import number_theorem

        for site in scan_page(html).theorems:
            edits.extend(number_theorem(html, site, counters, page, result))
    result.html = _apply(html, edits)
    return result


def resolve_page(
    html: str,
    page: str,
    index: LabelIndex,
    url_for: UrlFor,
    math: bool = True,
    title_for: TitleFor | None = None,
) -> NumberedPage:
    """Turn references into links to their targets (``url_for`` makes the URL).

    A target on another page is named with that page's title (``title_for``): "Equation (1)
    in *Source coding*", so it is not read as this page's own Equation (1)."""

    def elsewhere(target: Target) -> str | None:
        if target.page == page or title_for is None:
            return None
        return title_for(target.page)

    result = NumberedPage(html)
    edits: list[tuple[int, int, str]] = []
    seen: dict[str, int] = {}

    def occurrence(needle: str) -> int:
        seen[needle] = seen.get(needle, -1) + 1
        return seen[needle]

    def problem(message: str, needle: str, missing: str | None = None) -> None:
        result.problems.append(Problem(message, needle, occurrence(needle), missing=missing))

    formulas = find_formulas(html) if math and texops.REFERENCE.search(html) else []
    for formula in formulas:
        if _is_script(html, formula) or not texops.REFERENCE.search(formula.tex):
            continue

        def link(command: str, name: str) -> tuple[str, str] | None:
            needle = f"\\{command}{{{name}}}"
            target = index.get(name)
            if target is None:
                problem(f"\\{command}{{{name}}}: no label {name!r} on this site", needle, name)
                return None
            if command == "eqref" and target.kind != "eq":
                problem(
                    f"\\eqref{{{name}}} refers to {kind_name(target.kind)}, not an "
                    f"equation; write @{name} in prose",
                    needle,
                )
                return None  # shown in place as a red "??", like an unknown label
            occurrence(needle)
            title = elsewhere(target)
            where = f"\\text{{ in }}\\textit{{{texops.text_for_tex(title)}}}" if title else ""
            return url_for(target.page, target.name), target.number, where

        new_tex, _ = texops.link_references(formula.tex, link)
        result.originals[new_tex] = formula.tex
        edits.append(_rewrite(formula, new_tex))

    texts = scan_page(html).texts if PROSE_REFERENCE.search(html) else []
    for start, end in texts:
        text = html[start:end]
        if "@" not in text:
            continue
        for match in PROSE_REFERENCE.finditer(text):
            name, kind = match.group("name"), match.group("kind")
            needle = f"@{name}"
            target = index.get(name)
            if target is None:
                problem(f"@{name}: no label {name!r} on this site", needle, name)
                replacement = (
                    f'<span class="{MISSING_CLASS}" title="unknown reference">@{name}??</span>'
                )
            elif target.kind != kind:
                problem(
                    f"@{name} refers to {kind_name(target.kind)}, but its prefix "
                    f"{kind}- says {kind_name(kind)}",
                    needle,
                )
                replacement = (
                    f'<span class="{MISSING_CLASS}" title="reference of the wrong kind: '
                    f'{kind_name(target.kind)}">@{name}??</span>'
                )
            else:
                occurrence(needle)
                number = f"({target.number})" if target.kind == "eq" else target.number
                url = escape(url_for(target.page, target.name), quote=True)
                title = elsewhere(target)
                where = f" in <em>{escape(title, quote=False)}</em>" if title else ""
                replacement = (
                    f'<a class="{LINK_CLASS}" href="{url}">'
                    f"{WORDS[target.kind]}&nbsp;{number}{where}</a>"
                )
            edits.append((start + match.start(), start + match.end(), replacement))
    result.html = _apply(html, edits)
    return result


def process_page(html: str, page: str = "") -> NumberedPage:
    """Number and resolve one page on its own (labels of other pages are unknown)."""
    numbered = number_page(html, page)
    index = LabelIndex()
    problems = [*numbered.problems, *page_label_problems(html, numbered.targets, index)]
    resolved = resolve_page(numbered.html, page, index, lambda _page, anchor: f"#{anchor}")
    return both_passes(numbered, resolved, problems)


def both_passes(
    numbered: NumberedPage, resolved: NumberedPage, problems: list[Problem]
) -> NumberedPage:
    """A page after :func:`number_page` and then :func:`resolve_page`: the resolved HTML, the
    numbered targets, ``problems`` then the resolving pass's, and every rewritten TeX (of
    either pass) mapped back to what the author wrote."""
    originals = {new: numbered.originals.get(old, old) for new, old in resolved.originals.items()}
    return NumberedPage(
        resolved.html,
        numbered.targets,
        problems + resolved.problems,
        {**numbered.originals, **originals},
    )


def page_label_problems(html: str, targets: list[Target], local: LabelIndex) -> list[Problem]:
    """Add the page's ``targets`` to its own ``local`` index; the problems the plugin reports
    for one page: a label defined twice, and an equation label that is also the id of a heading
    or another element of ``html`` (the page before numbering), so links to it are ambiguous."""
    problems: list[Problem] = []
    ids = element_ids(html) if any(target.kind == "eq" for target in targets) else set()
    seen: dict[str, int] = {}
    for target in targets:
        occurrence = seen[target.name] = seen.get(target.name, -1) + 1
        if target.kind == "eq" and target.name in ids and occurrence == 0:
            problems.append(id_clash_problem(target))
        if local.add(target) is not None:
            problems.append(duplicate_problem(target, occurrence))
    return problems


def id_clash_problem(target: Target) -> Problem:
    message = (
        f"label {target.name!r} is also the id of a heading or element on this page; links to "
        "it are ambiguous: rename one"
    )
    return Problem(message, duplicate_problem(target, 0).needle)


def duplicate_problem(target: Target, occurrence: int, elsewhere: str | None = None) -> Problem:
    where = f" (first defined in {elsewhere})" if elsewhere else " (defined earlier on this page)"
    needle = f"\\label{{{target.name}}}" if target.kind == "eq" else f"#{target.name}"
    return Problem(f"duplicate label {target.name!r}{where}", needle, occurrence)


def _spellings(needle: str) -> list[str]:
    """A figure or table is defined by a fence option or by an id on a caption block."""
    if needle.startswith("#"):
        name = needle[1:]
        return [f'label="{name}"', f"label='{name}'", f"label={name}", needle, f"id: {name}"]
    return [needle]


def _figure_kind(anchor: str | None, classes: frozenset[str]) -> Literal["figure", "table"] | None:
    if anchor and anchor.startswith("fig-"):
        return "figure"
    if anchor and anchor.startswith("tbl-"):
        return "table"
    # Fence figures and tables with a caption; pymdown-extensions' numbered caption blocks
    # (their numbers are replaced, so the page has one sequence of each).
    if "infotheory-figure" in classes or (anchor or "").startswith("__figure-caption"):
        return "figure"
    if "infotheory-table" in classes or (anchor or "").startswith("__table-caption"):
        return "table"
    return None


def _is_script(html: str, formula: Formula) -> bool:
    """Arithmatex's MathJax mode (``<script type="math/tex">``) is left alone."""
    return "<script" in html[formula.start : formula.end]


def _rewrite(formula: Formula, tex: str, anchors: list[str] | None = None) -> tuple[int, int, str]:
    """The formula element again, with new TeX and the first anchor as its id."""
    start_tag = formula.start_tag
    before = ""
    anchors = list(anchors or [])
    if anchors and " id=" not in start_tag:
        first = anchors.pop(0)
        start_tag = f'{start_tag[:-1].rstrip("/")} id="{escape(first, quote=True)}">'
    for anchor in anchors:
        before += f'<span id="{escape(anchor, quote=True)}" class="infotheory-anchor"></span>'
    open_, close = ("\\[", "\\]") if formula.display else ("\\(", "\\)")
    body = escape(f"{open_}{tex}{close}", quote=False)
    return formula.start, formula.end, f"{before}{start_tag}{body}</{formula.tag}>"


def _apply(html: str, edits: list[tuple[int, int, str]]) -> str:
    if not edits:
        return html
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        parts.append(html[position:start])
        parts.append(replacement)
        position = max(position, end)
    parts.append(html[position:])
    return "".join(parts)
