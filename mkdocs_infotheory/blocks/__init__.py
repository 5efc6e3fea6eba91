"""``mkdocs_infotheory.blocks``: theorem-like blocks, proofs and the place of the references.

A Python-Markdown extension built on pymdown-extensions' generic blocks, so it works on every
host that renders Markdown with Python-Markdown (MkDocs, ProperDocs, Zensical). The plugin and
the ``infotheory`` extension add it with the other defaults (:mod:`mkdocs_infotheory.hosts
.defaults`). The blocks only write HTML; numbers are given by the numbering pass
(:func:`mkdocs_infotheory.refs.number_page`), which numbers figures and tables the same way.
"""

from __future__ import annotations

from typing import Any

from .theorems import TheoremBlocksExtension

__all__ = ["TheoremBlocksExtension", "makeExtension"]


def makeExtension(**kwargs: Any) -> TheoremBlocksExtension:
    return TheoremBlocksExtension(**kwargs)
