"""Build-performance benchmarks: ``python -m benchmarks.build`` (see docs/reference/benchmarks.md).

Why a package of its own, outside ``mkdocs_infotheory``: it generates throw-away MkDocs sites,
drives real ``mkdocs build`` processes and depends on markdown-exec (the ``bench`` extra), none
of which belongs in the plugin a site author installs.

* :mod:`.content` decides what every generated page says (one source of truth),
* :mod:`.corpus` writes it as the three variants (our plugin, markdown-exec, hand-typed),
* :mod:`.wrapper` / :mod:`.measure` time one build in a fresh process and sample its memory,
* :mod:`.plan` / :mod:`.report` interleave the runs and turn samples into tables,
* :mod:`.profiling` runs one build under cProfile to find hot spots.
"""
