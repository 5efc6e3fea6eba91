"""Whether a page's HTML can hold anything to number or to link, by plain substring tests.

Most pages hold neither, and a host that sees every page of a site (the MkDocs plugin) asks
these first, so such pages cost a few substring searches: no regex over the page, no HTML
scan, and no import of :mod:`.page` until some page needs it. Each test is a necessary
condition of what :func:`~.page.number_page` and :func:`~.page.resolve_page` act on, so a
``False`` means those functions would return the page unchanged with nothing found.
"""

from __future__ import annotations

from .kinds import PREFIXES, THEOREM_CLASS

_PROSE = tuple(f"@{prefix}-" for prefix in PREFIXES)


def may_number(html: str, math: bool = True) -> bool:
    """Whether :func:`~.page.number_page` may find something: a ``\\label`` or an environment
    in the math (numbered only when ``math``), a figure element or a theorem-like block."""
    return (
        (math and ("\\label" in html or "\\begin{" in html))
        or "<figure" in html
        or THEOREM_CLASS in html
    )


def may_reference(html: str, math: bool = True) -> bool:
    """Whether :func:`~.page.resolve_page` may find a reference: ``\\ref``/``\\eqref`` in the
    math (when ``math``), or ``@eq-``, ``@fig-``, ``@thm-``... in the prose."""
    return (math and ("\\ref" in html or "\\eqref" in html)) or (
        "@" in html and any(prefix in html for prefix in _PROSE)
    )
