"""Thin adapters from each host's events to :mod:`mkdocs_infotheory.core` calls.

- ``mkdocs``: the MkDocs (and ProperDocs) plugin, ``plugins: [infotheory]``.
- ``markdown``: the Python-Markdown extension, for any Markdown host.
- ``zensical``: Zensical as a site host of that extension (its internals in ``compat``).
- ``pytest``: ``pytest --infotheory``, the pages of a site run as tests.
"""
