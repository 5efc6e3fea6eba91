"""Add the Markdown extensions a math post needs to MkDocs' configuration.

A site with just ``plugins: [search, infotheory]`` gets math, tables, footnotes, admonitions,
captions, attribute lists and highlighted fences (the list lives in
:mod:`mkdocs_infotheory.hosts.defaults`, shared with the Markdown extension). Where the author
configured an extension themselves, their settings are kept as they are.
"""

from __future__ import annotations

from typing import Any

from ..defaults import DEFAULT_EXTENSIONS


def add_default_extensions(extensions: list[str], configs: dict[str, Any]) -> list[str]:
    """Append missing defaults to ``extensions`` and their settings to ``configs`` in place.

    Returns the names that were added. An extension the author listed keeps the author's
    settings; one they listed without settings gets ours.
    """
    added = []
    for name, settings in DEFAULT_EXTENSIONS.items():
        if name not in extensions:
            extensions.append(name)
            added.append(name)
        if name not in configs and settings:
            configs[name] = dict(settings)
    return added
