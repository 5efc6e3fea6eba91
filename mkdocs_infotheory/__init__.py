"""mkdocs-infotheory: math-heavy Markdown posts whose numbers are computed at build time.

The package is layered so the folder list tells the design:

- ``core``: parses a page into executable cells, runs them in isolated processes,
  caches the results and renders them back to Markdown. It never imports MkDocs.
- ``math``: renders LaTeX to static HTML + MathML at build time (KaTeX).
- ``hosts``: thin adapters over ``core``: ``hosts.mkdocs`` (``plugins: [infotheory]`` on MkDocs
  and ProperDocs), ``hosts.markdown`` (the Python-Markdown extension, for any Markdown host) and
  ``hosts.zensical`` (Zensical as a site host of that extension).
- ``compute``: the numpy information-theory library that fences compute with.
"""

from __future__ import annotations

__version__ = "0.1.0"
