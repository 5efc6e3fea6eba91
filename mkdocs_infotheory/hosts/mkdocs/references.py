"""Site-wide cross-references in MkDocs: number every page, then resolve every page.

MkDocs renders every page's Markdown (``on_page_content``) before it writes any page, and
calls ``on_env`` once in between. So each page is numbered as its content arrives, its labels
go into one site-wide :class:`~mkdocs_infotheory.refs.LabelIndex`, and in ``on_env``, when all
labels are known, each page's references are resolved (a reference may point to a page that
was rendered after it). Math is rendered after that, on the rewritten TeX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ...refs.triggers import may_number, may_reference
from .logs import plugin_logger

if TYPE_CHECKING:  # imported by the first page with something to number or link
    from ...refs import LabelIndex, NumberedPage, Problem

log = plugin_logger()


def _plain_title(page: Page) -> str | None:
    """The page's title as text (a formula in it read as plain text, ``D_KL``)."""
    title = page.title
    if not title or ("\\(" not in title and "$" not in title):
        return title or None
    from ...math.plaintext import has_inline_math, text_of_math

    return text_of_math(title, escaped=False) if has_inline_math(title) else title


@dataclass(slots=True)
class _PageRecord:
    """What resolving and reporting need of a numbered page."""

    path: str
    url: str
    #: Reads the page's Markdown: only a problem needs it, to find its line, so most builds
    #: never call it.
    read_source: Callable[[], str]
    #: How a reference from another page names this one ("Equation (1) in *Title*").
    title: str | None = None
    #: Rewritten TeX -> the author's TeX, so a KaTeX error can still be located.
    originals: dict[str, str] = field(default_factory=dict)
    _source: str | None = None

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = self.read_source()
        return self._source


class ReferenceStage:
    def __init__(self, math: bool = True) -> None:
        #: False with ``math: none``: formulas are the site's own business, left untouched.
        self.math = math
        self._index: LabelIndex | None = None
        self.problems = 0
        self._pages: dict[str, _PageRecord] = {}
        self._defined_on: dict[str, str] = {}  # label -> the page path that defined it first

    def number(self, page: Page, html: str, path: str) -> str:
        """Number the page's equations, figures and tables; register its labels."""
        file = page.file
        record = _PageRecord(path, file.url, lambda: file.content_string, _plain_title(page))
        self._pages[page.file.src_uri] = record
        if not may_number(html, self.math):
            return html
        from ...refs import Problem, duplicate_problem, number_page

        numbered = number_page(html, page.file.src_uri, self.math)
        record.originals = numbered.originals
        if page.present_anchor_ids is not None:  # headings' and attribute lists' ids
            for target in numbered.targets:
                if target.kind == "eq" and target.name in page.present_anchor_ids:
                    problem = duplicate_problem(target, 0)
                    message = (
                        f"label {target.name!r} is also the id of a heading or element on this "
                        "page; links to it are ambiguous: rename one"
                    )
                    self._report(record, [Problem(message, problem.needle)])
            # So MkDocs' anchor validation knows them.
            page.present_anchor_ids |= {target.name for target in numbered.targets}
        self._report(record, numbered.problems)
        seen: dict[str, int] = {}
        for target in numbered.targets:
            occurrence = seen.get(target.name, -1) + 1
            seen[target.name] = occurrence
            earlier = self.index.add(target)
            if earlier is not None:
                first = self._defined_on.get(target.name)
                elsewhere = None if earlier.page == target.page else first
                self._report(record, [duplicate_problem(target, occurrence, elsewhere)])
            else:
                self._defined_on[target.name] = path
        return numbered.html

    def resolve(self, page: Page, html: str) -> tuple[str, dict[str, str]]:
        """Links for the page's references; returns the HTML and rewritten TeX -> author TeX."""
        record = self._pages.get(page.file.src_uri)
        if record is None:
            return html, {}
        if not may_reference(html, self.math):
            return html, dict(record.originals)
        from ...refs import resolve_page

        def url_for(target_page: str, anchor: str) -> str:
            target = self._pages.get(target_page)
            if target is None or target.url == record.url:
                return f"#{anchor}"
            return f"{get_relative_url(target.url, record.url)}#{anchor}"

        def title_for(target_page: str) -> str | None:
            target = self._pages.get(target_page)
            return target.title if target is not None else None

        resolved: NumberedPage = resolve_page(
            html, page.file.src_uri, self.index, url_for, self.math, title_for
        )
        self._report(record, resolved.problems)
        originals = dict(record.originals)
        for new, old in resolved.originals.items():
            originals[new] = record.originals.get(old, old)
        return resolved.html, originals

    @property
    def index(self) -> LabelIndex:
        """Every label of the site so far (made when the first page needs it)."""
        if self._index is None:
            from ...refs import LabelIndex

            self._index = LabelIndex()
        return self._index

    def _report(self, record: _PageRecord, problems: list[Problem]) -> None:
        for problem in problems:
            self.problems += 1
            line = problem.line_in(record.source)
            where = f"{record.path}:{line}" if line else record.path
            log.warning("%s: %s", where, problem.explained(record.source))
