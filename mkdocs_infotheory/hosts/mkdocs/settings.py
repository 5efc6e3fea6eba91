"""From mkdocs.yml (and the environment) to the core's :class:`EngineSettings`.

One function, used by the MkDocs plugin's ``on_config`` and by ``pytest --infotheory``, so a
page checked by pytest runs under exactly the settings the build will use: same preamble,
timeouts, working folder, ``sys.path``, cache, dependencies and frozen results.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError

from ...core import EngineSettings
from ...core.dependencies import resolve_dependencies
from ...core.platform import page_processes_problem
from ...manifest import MANIFEST_NAME
from ..defaults import EXECUTE_VARIABLE, PRELOAD, SettingError, fingerprint_paths
from ..defaults import execute_from_environment as shared_execute_switch
from .config import InfotheoryConfig

if TYPE_CHECKING:
    from ...core.freeze import FreezeMode

FREEZE_VARIABLE = "MKDOCS_INFOTHEORY_FREEZE"


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The engine's settings plus what an adapter needs around them."""

    engine: EngineSettings
    #: The folder of mkdocs.yml: page names in messages are relative to it.
    project_dir: Path
    docs_dir: Path
    #: The author's resolved ``dependencies`` (``mkdocs serve`` watches them).
    dependencies: list[Path]
    #: Messages about ``dependencies`` entries that resolve to nothing.
    problems: list[str]


def execute_from_environment(value: str | None) -> bool | None:
    """What ``MKDOCS_INFOTHEORY_EXECUTE`` asks for: on, off, or nothing (unset or empty); an
    unrecognised value stops the build (see :func:`..defaults.execute_from_environment`)."""
    try:
        return shared_execute_switch({} if value is None else {EXECUTE_VARIABLE: value})
    except SettingError as error:
        raise PluginError(str(error)) from None


def effective_freeze(option: FreezeMode) -> FreezeMode:
    """The ``freeze`` option, unless ``MKDOCS_INFOTHEORY_FREEZE`` overrides it (CI sets
    ``true``). An unrecognised value is a configuration error, never silently ignored."""
    raw = os.environ.get(FREEZE_VARIABLE, "").strip()
    if not raw:
        return option
    from ...core.freeze import freeze_mode

    mode = freeze_mode(raw)
    if mode is None:
        raise ConfigurationError(
            f"{FREEZE_VARIABLE}={raw!r} is not a freeze mode: use true, auto or false "
            "(or unset it to use the freeze option of mkdocs.yml)"
        )
    return mode


def validated_options(
    values: Mapping[str, Any], where: str, dotted: str | None = None
) -> InfotheoryConfig:
    """The plugin's options from plain values (the Markdown extension's settings, the plugin
    block of mkdocs.yml read on Zensical): the same names, defaults and checks as
    ``plugins: - infotheory:`` in an MkDocs build. A wrong value raises :class:`SettingError`
    naming ``where`` it was set, the option and what is expected; with ``dotted`` (e.g.
    ``mkdocs.yml: plugins.infotheory``) the option is named by its path in that file."""
    options = InfotheoryConfig()
    options.load_dict(dict(values))
    errors, _warnings = options.validate()
    if errors:
        if dotted is not None:
            named = [f"infotheory: {dotted}.{name}: {error}" for name, error in errors]
        else:
            named = [f"infotheory: {where} option {name!r}: {error}" for name, error in errors]
        raise SettingError("; ".join(named))
    return options


def site_settings(options: InfotheoryConfig, config: MkDocsConfig) -> SiteSettings:
    """Engine settings for the site configured by ``config`` (``options``: its validated
    ``plugins: - infotheory:`` block, or the defaults)."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    return settings_for(
        options,
        config_file.resolve().parent,
        Path(config.docs_dir),
        Path(config.site_dir),
        config_file.name,
    )


def settings_for(
    options: InfotheoryConfig,
    project_dir: Path,
    docs_dir: Path,
    site_dir: Path | None = None,
    config_name: str = "mkdocs.yml",
) -> SiteSettings:
    """:func:`site_settings` for a project folder (where mkdocs.yml is or would be);
    ``config_name`` names the configuration's claim on frozen pages (:mod:`...manifest`)."""
    project_dir = project_dir.resolve()
    docs_dir = docs_dir.resolve()
    dependencies, problems = resolve_dependencies(options.dependencies, project_dir)
    from_environment = execute_from_environment(os.environ.get(EXECUTE_VARIABLE))
    execute = options.execute and from_environment is not False
    cache_root = project_dir / options.cache_dir
    # Folders inside listed dependencies that are not content: the caches, the built site.
    unhashed = (cache_root, (site_dir or project_dir / "site").resolve())
    freeze = effective_freeze(options.freeze)
    unsupported = page_processes_problem(execute, freeze)
    if unsupported:  # Windows: one error now, not a traceback at the first page
        raise PluginError(unsupported)
    freeze_dir = project_dir / options.freeze_dir
    if freeze != "false":
        check_folder("freeze_dir", options.freeze_dir, freeze_dir, project_dir, docs_dir)
    if options.cache:
        check_folder("cache_dir", options.cache_dir, cache_root, project_dir, docs_dir)
    try:
        docs_prefix = docs_dir.relative_to(project_dir).as_posix()
    except ValueError:
        docs_prefix = docs_dir.as_posix()
    engine = EngineSettings(
        preamble=options.preamble,
        timeout=float(options.timeout),
        max_output=options.max_output,
        execute=execute,
        cache_dir=cache_root / "exec" if options.cache else None,
        workers=options.workers or os.cpu_count() or 1,
        figure_format=options.figure_format,
        cwd=str(docs_dir),
        paths=(str(docs_dir), str(project_dir)),
        dependencies=fingerprint_paths(dependencies),
        preload=PRELOAD,
        unhashed=unhashed,
        freeze=freeze,
        freeze_dir=freeze_dir,
        docs_prefix=docs_prefix,
        freeze_owner=config_name,
        compat=options.compat,
    )
    return SiteSettings(engine, project_dir, docs_dir, dependencies, problems)


def check_folder(option: str, value: str, folder: Path, project_dir: Path, docs_dir: Path) -> None:
    """Stop the build when ``folder`` (the ``option`` set to ``value``) is no place for the
    plugin to write and clean up in: outside the project, the project or docs folder itself,
    or a folder holding files the plugin did not write (:mod:`...manifest`). A folder an older
    release wrote (no manifest yet, only files of ours) is adopted."""
    from ...manifest import check_contents, location_problem

    problem = location_problem(folder, project_dir, docs_dir)
    advice = f"set {option} to a folder of its own inside the project (the default is " + (
        "_freeze)" if option == "freeze_dir" else ".cache/infotheory)"
    )
    if problem is None:
        ours = _frozen_file if option == "freeze_dir" else _cache_file
        problem = check_contents(folder.resolve(), ours)
        if problem is not None:
            advice = f"move those files away, or {advice}"
    if problem is not None:
        raise ConfigurationError(
            f"plugins.infotheory.{option}: {value!r} {problem}; the plugin writes there and "
            f"deletes what it wrote, so it must not share the folder: {advice}"
        )


def _frozen_file(name: str, path: Path) -> bool:
    """Whether an older release wrote ``path``: a frozen page or its temporary debris."""
    from ...storage import MAX_FROZEN_BYTES, is_debris, read_json

    if is_debris(path, float("inf")):
        return True
    if not name.endswith(".json"):
        return False
    try:
        data = read_json(path, MAX_FROZEN_BYTES)
    except (OSError, ValueError):
        return False
    return (
        isinstance(data, dict)
        and isinstance(data.get("format"), int)
        and isinstance(data.get("inputs"), str)
        and isinstance(data.get("cells"), list)
    )


def _cache_file(name: str, path: Path) -> bool:
    """Whether an older release wrote ``path`` in the cache folder (by its name, and for an
    entry by how it starts: a cache holds thousands of entries)."""
    from ...core.cache import looks_like_entry
    from ...storage import is_debris

    if is_debris(path, float("inf")) or name == "exec/" + MANIFEST_NAME:
        return True
    if name.startswith("exec/") and name.count("/") == 1:
        return looks_like_entry(path)
    return name in ("math.json", "pages.json", "failures.json")
