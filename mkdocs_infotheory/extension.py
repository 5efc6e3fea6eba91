"""The public dotted name of the Python-Markdown extension (``mkdocs_infotheory.extension``).

The adapter itself lives in :mod:`mkdocs_infotheory.hosts.markdown` (and, for Zensical,
:mod:`mkdocs_infotheory.hosts.zensical`).
"""

from __future__ import annotations

from .hosts.markdown import InfotheoryExtension, makeExtension

__all__ = ["InfotheoryExtension", "makeExtension"]
