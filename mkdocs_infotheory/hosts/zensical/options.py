"""The ``plugins: - infotheory:`` block of mkdocs.yml, read for Zensical with MkDocs' loader.

Zensical reads mkdocs.yml but drops the settings of plugins it does not know, so the extension
reads the block itself: one mkdocs.yml configures every host. It reads it as MkDocs does, with
MkDocs' public YAML loading (:func:`mkdocs.utils.yaml.yaml_load`: ``!ENV``, ``INHERIT``, and
``!relative`` placeholders), so ``execute: !ENV [X, false]`` means the same on every host. The
values are then checked by the plugin's own Config class (by the extension, through
:func:`~mkdocs_infotheory.hosts.mkdocs.settings.validated_options`).

It fails closed: a file that MkDocs cannot read, or an option whose value cannot be read
(``!relative`` that resolves to nothing, an unknown tag), is a
:class:`~mkdocs_infotheory.hosts.defaults.SettingError` naming ``mkdocs.yml:
plugins.infotheory.OPTION``, never a default.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ..defaults import SettingError

#: How messages name an option of the block.
DOTTED = "mkdocs.yml: plugins.infotheory"

#: Options by configuration file, modification time and size, process-wide: Zensical makes
#: an extension per page, and a version of the file reads the same for each.
_READ: dict[tuple[Path, int, int], dict[str, Any]] = {}
_LOCK = threading.Lock()


def plugin_options(root: Path, docs_dir: Path | None = None) -> dict[str, Any]:
    """The block's options in ``root/mkdocs.yml`` (empty without the file or the block).

    Read once per version of the file (Zensical makes a new extension for every page).
    """
    config_file = root / "mkdocs.yml"
    try:
        info = config_file.stat()
    except FileNotFoundError:
        return {}  # a zensical.toml project: its options are the extension's own
    except OSError as error:
        raise SettingError(f"infotheory: mkdocs.yml cannot be read: {error.strerror}") from None
    key = (config_file, info.st_mtime_ns, info.st_size)
    with _LOCK:
        if key not in _READ:
            _READ[key] = _read_block(config_file, docs_dir or root / "docs")
        return dict(_READ[key])


def _read_block(config_file: Path, docs_dir: Path) -> dict[str, Any]:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    # The configuration ``!relative $config_dir`` / ``$docs_dir`` placeholders resolve against.
    placeholders = MkDocsConfig(config_file_path=str(config_file))
    placeholders["docs_dir"] = str(docs_dir)
    try:
        with open(config_file, "rb") as source:
            data = yaml_load(source, get_yaml_loader(config=placeholders))
    except ConfigurationError as error:
        raise SettingError(f"infotheory: mkdocs.yml cannot be read: {_one_line(error)}") from None
    except OSError as error:
        raise SettingError(f"infotheory: mkdocs.yml cannot be read: {error.strerror}") from None
    block = _block(data.get("plugins") if isinstance(data, dict) else None)
    return {name: _plain(name, value) for name, value in block.items()}


def _block(plugins: Any) -> dict[str, Any]:
    """The infotheory entry of ``plugins`` (a list, or a mapping as MkDocs also accepts)."""
    entries = plugins.items() if isinstance(plugins, dict) else None
    if entries is None:
        items = plugins if isinstance(plugins, list) else []
        entries = [next(iter(item.items())) for item in items if isinstance(item, dict) and item]
    for name, options in entries:
        if name != "infotheory":
            continue
        if options is None:
            return {}
        if not isinstance(options, dict):
            raise SettingError(f"infotheory: {DOTTED}: expected a mapping of options")
        return {str(key): value for key, value in options.items()}
    return {}


def _plain(name: str, value: Any) -> Any:
    """A path placeholder (``!relative``) as the path it names; anything else as it is."""
    if isinstance(value, os.PathLike):
        try:
            return os.fspath(value)
        except Exception as error:  # MkDocs' placeholders raise their own errors
            raise SettingError(f"infotheory: {DOTTED}.{name}: {_one_line(error)}") from None
    return value


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
