"""Cross-references: numbered equations, figures and tables, and links to them.

Host-neutral (no MkDocs imports), working on a page's HTML with its math still TeX:

* :func:`number_page` numbers one page and returns its targets;
* :class:`LabelIndex` collects targets (of one page, or of the whole site);
* :func:`resolve_page` turns ``\\eqref``/``\\ref`` and ``@eq-``/``@fig-``/``@tbl-`` into links;
* :func:`process_page` does both for a host that sees one page at a time, and
  :func:`typeset_page` adds the math rendering and source lines on top.

Math rendering (KaTeX, or MathJax in the browser) runs afterwards on the rewritten TeX.
"""

from __future__ import annotations

from .page import (
    LINK_CLASS,
    MISSING_CLASS,
    LabelIndex,
    NumberedPage,
    Problem,
    Target,
    both_passes,
    duplicate_problem,
    number_page,
    page_label_problems,
    process_page,
    resolve_page,
)
from .standalone import PageMessage, TypesetPage, typeset_page

__all__ = [
    "LINK_CLASS",
    "MISSING_CLASS",
    "LabelIndex",
    "NumberedPage",
    "PageMessage",
    "Problem",
    "Target",
    "TypesetPage",
    "both_passes",
    "duplicate_problem",
    "number_page",
    "page_label_problems",
    "process_page",
    "resolve_page",
    "typeset_page",
]
