"""The Markdown extensions a math post needs, added unless the author opts out.

A site with just ``plugins: [search, infotheory]`` gets math, tables, footnotes, admonitions,
captions, attribute lists and highlighted fences. Where the author configured an extension
themselves, their settings are kept as they are.
"""

from __future__ import annotations

from typing import Any

DEFAULT_EXTENSIONS: dict[str, dict[str, Any]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.arithmatex": {"generic": True},
    "pymdownx.blocks.caption": {},
    "pymdownx.details": {},
    "pymdownx.highlight": {"anchor_linenums": True, "pygments_lang_class": True},
    "pymdownx.inlinehilite": {},
    "pymdownx.superfences": {},
}


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
