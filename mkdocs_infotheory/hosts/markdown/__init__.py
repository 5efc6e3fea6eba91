"""The Python-Markdown extension (``markdown_extensions: [infotheory]``), for any Markdown host.

- :mod:`.extension`: the extension and its processors (run fences, mark the tree's end,
  render math);
- :mod:`.options`: its options, from the plugin's one option table;
- :mod:`.math`: the math step and the stylesheets a page carries;
- :mod:`.builds`: what the pages of one build share, and the end of every build;
- :mod:`.site`: what it asks of a host that builds a whole site with it (Zensical);
- :mod:`.compat`: what it uses that Python-Markdown keeps private.

``mkdocs_infotheory.hosts.markdown:InfotheoryExtension`` is the entry point of the
``markdown.extensions`` group; ``mkdocs_infotheory.extension`` is the public dotted name.
"""

from __future__ import annotations

from .extension import ExecutionFailed, InfotheoryExtension, makeExtension
from .options import SHARED_OPTIONS

__all__ = ["SHARED_OPTIONS", "ExecutionFailed", "InfotheoryExtension", "makeExtension"]
