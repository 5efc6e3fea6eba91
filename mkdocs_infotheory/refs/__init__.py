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

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
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

#: Where each public name lives. Imported on first use: a site whose pages hold nothing to
#: number or link (:mod:`.triggers` tells) never imports the scanners.
_HOMES = {
    "LINK_CLASS": "page",
    "MISSING_CLASS": "page",
    "LabelIndex": "page",
    "NumberedPage": "page",
    "Problem": "page",
    "Target": "page",
    "both_passes": "page",
    "duplicate_problem": "page",
    "number_page": "page",
    "page_label_problems": "page",
    "process_page": "page",
    "resolve_page": "page",
    "PageMessage": "standalone",
    "TypesetPage": "standalone",
    "typeset_page": "standalone",
}

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


__getattr__ = lazy_exports(__name__, _HOMES, globals())
