"""The MkDocs adapter: ``plugins: [infotheory]``. A thin layer over :mod:`...core`."""
