"""The adapters use the hosts' public APIs; what is private sits in one ``compat`` module per host
(pinned by tests/hosts/test_compat.py). A pinned list of the private names the adapters once
used, searched for everywhere else in ``mkdocs_infotheory/hosts``."""

from __future__ import annotations

import re
from pathlib import Path

import mkdocs_infotheory

HOSTS = Path(mkdocs_infotheory.__file__).parent / "hosts"

#: Private names of MkDocs, ProperDocs, Zensical, Python-Markdown and CPython once used by an
#: adapter (the regular expression, what it is).
PRIVATE = {
    r"\._content\b": "MkDocs' File._content",
    r"\.events\b": "MkDocs' PluginCollection.events",
    r"\bhandlers\[0\]": "the order of MkDocs' event handlers",
    r"_current_plugin\b": "MkDocs' PluginCollection._current_plugin",
    r"\b_schema\b": "a config class's _schema",
    r"\bsys\.argv\b": "the host's command line",
    r"\bos\._exit\b": "CPython's os._exit",
    r"\._data\b": "Python-Markdown's Registry._data",
}


def test_no_private_host_name_outside_compat() -> None:
    found = []
    for path in sorted(HOSTS.rglob("*.py")):
        if path.name == "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in PRIVATE.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(HOSTS.parent)}:{line}: {what}")
    assert found == []


def test_each_host_with_private_names_has_its_compat_module() -> None:
    for host in ("markdown", "zensical"):
        assert (HOSTS / host / "compat.py").is_file(), host
