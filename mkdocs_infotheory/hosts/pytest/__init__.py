"""``pytest --infotheory``: the pages of a site as tests (the ``pytest11`` entry point loads
:mod:`.plugin`; :mod:`.pages` runs the pages with the build's engine and settings)."""
