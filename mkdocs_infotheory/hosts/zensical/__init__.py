"""Zensical, as a site host of the Python-Markdown extension.

Everything here knows Zensical; every Zensical internal it reads is in :mod:`.compat`.

- :mod:`.site`: the page, project folders and build state the extension asks for;
- :mod:`.options`: ``plugins: - infotheory:`` of mkdocs.yml, read with MkDocs' loader;
- :mod:`.prefetch`: every page that will render starts at the first one;
- :mod:`.site_labels`: the site's cross-page label index;
- :mod:`.report`: failures printed at the end, and ``--strict`` made to fail;
- :mod:`.state`: the state files kept between builds (read fail-closed).
"""
