"""Numbering theorem-like blocks: the numbering pass's part for :mod:`mkdocs_infotheory.blocks`.

Each kind has its own sequence on each page ("Theorem 1", "Lemma 1", "Theorem 2"); the
number is written into the block's head and its accessible name, and a label whose prefix
matches the kind (``thm-`` on a theorem) becomes a target of ``@thm-...`` references.
"""

from __future__ import annotations

from .html import TheoremSite
from .kinds import BY_NAME, WORDS, kind_name
from .page import NumberedPage, Problem, Target


def number_theorem(
    html: str, site: TheoremSite, counters: dict[str, int], page: str, result: NumberedPage
) -> list[tuple[int, int, str]]:
    """Number one theorem-like block ("Theorem 2"): in its head and its aria-label; register
    its label when the label's prefix matches the kind."""
    kind = BY_NAME.get(site.kind)
    if kind is None:
        return []
    counters[kind.name] = counters.get(kind.name, 0) + 1
    number = str(counters[kind.name])
    if site.id:
        prefix = site.id.split("-", 1)[0] if "-" in site.id else ""
        if prefix == kind.prefix:
            result.targets.append(Target(kind.prefix, site.id, number, page))
        else:
            said = f" (its prefix {prefix}- says {kind_name(prefix)})" if prefix in WORDS else ""
            result.problems.append(
                Problem(
                    f"label {site.id!r} on {kind_name(kind.prefix)}{said}: label it "
                    f"{kind.prefix}-NAME so that @{kind.prefix}-NAME refers to it",
                    f"#{site.id}",
                )
            )
    tag = html[site.start : site.tag_end]
    label = f'aria-label="{kind.word}'
    edits = [(site.start, site.tag_end, tag.replace(label, f"{label} {number}", 1))]
    if site.number_at is not None:
        edits.append((site.number_at, site.number_at, f" {number}"))
    return edits
