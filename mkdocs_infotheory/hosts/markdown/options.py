"""The extension's options: the plugin's, from its one option table, plus a few of its own.

Names, defaults, checks and help texts all come from the plugin's typed Config
(:class:`~mkdocs_infotheory.hosts.mkdocs.config.InfotheoryConfig` and its ``OPTION_HELP``), so
one option means one thing on every host. A site host may add the options of its own
configuration file (Zensical: ``plugins: - infotheory:`` in mkdocs.yml).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from ..mkdocs.config import OPTION_HELP, InfotheoryConfig

#: Plugin options the extension does not take from the plugin: MathJax and Google Fonts are
#: settings of the MkDocs page set-up; ``math`` and ``markdown_extensions`` are the
#: extension's own (see :data:`OWN_OPTIONS`).
NOT_SHARED = frozenset({"mathjax_url", "google_fonts", "math", "markdown_extensions"})


def plugin_defaults() -> dict[str, Any]:
    """Every plugin option with its default, as the Config class validates an empty block
    (a fresh copy: defaults may be lists and dicts)."""
    return copy.deepcopy(_validated_defaults())


@functools.cache
def _validated_defaults() -> dict[str, Any]:
    """Validated once per process: a site host makes an extension for every page."""
    defaults = InfotheoryConfig()
    defaults.load_dict({})
    defaults.validate()
    return dict(defaults)


#: The plugin's options the extension takes too, with their help texts.
SHARED_OPTIONS: dict[str, str] = {
    name: OPTION_HELP[name] for name in plugin_defaults() if name not in NOT_SHARED
}


def own_options() -> dict[str, list[Any]]:
    """Python-Markdown's option table for the extension: its own options, then the shared
    ones with the plugin's defaults."""
    table: dict[str, list[Any]] = {
        "filename": ["<markdown>", "how messages name the document (outside Zensical)"],
        "cwd": ["", "working directory of the code (default: the docs folder, or '.')"],
        "math": [True, "render math at build time with KaTeX (katex or none)"],
        "markdown_extensions": [True, OPTION_HELP["markdown_extensions"]],
    }
    defaults = plugin_defaults()
    for name, description in SHARED_OPTIONS.items():
        table[name] = [defaults[name], description]
    return table


def shared_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The shared options among ``values`` (a site's plugin block may hold the others)."""
    return {name: values[name] for name in SHARED_OPTIONS if name in values}


def math_setting(value: Any) -> bool:
    """The extension's ``math`` setting: ``katex`` (or true) renders math at build time,
    ``none`` (or false) leaves it alone. The plugin's spelling is accepted, so one value can
    serve both; ``mathjax`` is the plugin's only (it adds MathJax's script to every page)."""
    spelled = str(value).strip().lower()
    if spelled in ("katex", "true", "yes", "on", "1"):
        return True
    if spelled in ("none", "false", "no", "off", "0"):
        return False
    hint = (
        "math: mathjax needs the MkDocs plugin (plugins: [infotheory]); "
        if spelled == "mathjax"
        else ""
    )
    raise ValueError(
        f"infotheory: the Markdown extension's math setting is katex or none, not {value!r}; "
        f"{hint}use katex (build-time math) or none (leave formulas alone)"
    )
