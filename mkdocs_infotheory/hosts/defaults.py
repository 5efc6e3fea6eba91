"""What "the bundled compute module" and "a math post's Markdown" mean, for every host.

The core runs code; it does not know which modules a page imports. Each adapter (the MkDocs
plugin, the Python-Markdown extension) asks this module instead, so MkDocs, ProperDocs,
Zensical and a bare ``markdown.markdown(...)`` call run the same preamble against the same
preloaded modules, fingerprint the same source into their cache keys, and add the same
Markdown extensions.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Every namespace starts with this unless the author configures another preamble.
DEFAULT_PREAMBLE = "import numpy as np\nfrom mkdocs_infotheory.compute import *\n"

#: Modules the worker process imports once, so each page's process starts without importing
#: them again.
PRELOAD: tuple[str, ...] = ("numpy", "mkdocs_infotheory.compute")

#: The Markdown extensions a math post needs, with the settings we use when the author did not
#: configure them: math, tables, footnotes, admonitions, captions, attribute lists, fences,
#: tabs (markdown-exec's tabbed source and result), and our own blocks (theorems, proofs, the
#: place of the references).
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
    "mkdocs_infotheory.blocks": {},
    "pymdownx.details": {},
    "pymdownx.highlight": {"anchor_linenums": True, "pygments_lang_class": True},
    "pymdownx.inlinehilite": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
}


#: Names the Markdown extension is known by (entry point, public dotted name, adapter module):
#: here, so the plugin recognises (and drops) it without importing the extension's module.
EXTENSION_NAMES = ("infotheory", "mkdocs_infotheory.extension", "mkdocs_infotheory.hosts.markdown")


def compute_source() -> Path:
    """The folder of the bundled compute module (found without importing it): its source is
    part of every cache key, and ``mkdocs serve`` watches it."""
    spec = importlib.util.find_spec("mkdocs_infotheory.compute")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return Path(__file__).resolve().parent.parent / "compute"


def fingerprint_paths(dependencies: tuple[Path, ...] | list[Path] = ()) -> tuple[Path, ...]:
    """What every cache key hashes: the compute source, then the author's dependencies."""
    return (compute_source(), *dependencies)


#: The environment variable that turns execution off (for CI builds of untrusted pages).
EXECUTE_VARIABLE = "MKDOCS_INFOTHEORY_EXECUTE"
_EXECUTE_WORDS = {"1": True, "true": True, "yes": True, "on": True}
_EXECUTE_WORDS.update({"0": False, "false": False, "no": False, "off": False})


class SettingError(ValueError):
    """A setting no build should guess at; each host reports it as its configuration error."""


def execute_from_environment(environ: Mapping[str, str] = os.environ) -> bool | None:
    """What ``MKDOCS_INFOTHEORY_EXECUTE`` asks for: on, off, or nothing (unset or empty).

    Any other value is refused rather than guessed: ``disabled`` or ``nope`` meaning "run
    everything" would fail open, the wrong way for a switch that keeps code from running.
    """
    value = environ.get(EXECUTE_VARIABLE)
    if value is None or not value.strip():
        return None
    word = value.strip().lower()
    if word in _EXECUTE_WORDS:
        return _EXECUTE_WORDS[word]
    raise SettingError(
        f"{EXECUTE_VARIABLE}={value!r} is not understood; use one of "
        "true, false, 1, 0, yes, no, on, off (or unset it to follow the execute option)"
    )
