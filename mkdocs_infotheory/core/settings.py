"""What an adapter tells the engine about a build: its one settings record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .freeze import FreezeMode


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Build-wide settings; adapters fill them from their own configuration.

    The core knows no particular library: which modules every namespace imports
    (``preamble``), which the worker imports once ahead of time (``preload``) and which
    sources feed every cache key (``dependencies``) all come from the adapter
    (see :mod:`mkdocs_infotheory.hosts.defaults`).
    """

    preamble: str = ""
    timeout: float = 30.0
    max_output: int = 100_000
    execute: bool = True
    cache_dir: Path | None = None
    workers: int = 1
    figure_format: Literal["svg", "png"] = "svg"
    #: Working directory of the code (the docs folder; made absolute by the engine, so a
    #: relative ``docs`` means the same folder in the runner and in a bash fence) and extra
    #: ``sys.path`` entries.
    cwd: str = "."
    paths: tuple[str, ...] = ()
    #: Files and folders whose content is part of every cache key (the adapter lists the
    #: bundled compute source first, then the author's ``dependencies``).
    dependencies: tuple[Path, ...] = ()
    #: Modules the worker process imports once (e.g. numpy), so each page starts fast.
    preload: tuple[str, ...] = ()
    #: Folders inside listed dependencies that are not content (the cache, the built site).
    unhashed: tuple[Path, ...] = ()
    #: Frozen results (:mod:`.freeze`): ``auto`` reuses and writes them, ``true`` only reads
    #: them (nothing executes). ``docs_prefix`` is how page names start (``docs``): a page
    #: ``docs/a/b.md`` is frozen in ``<freeze_dir>/a/b.md.json``.
    freeze: FreezeMode = "false"
    freeze_dir: Path | None = None
    docs_prefix: str = ""
    #: The configuration (``mkdocs.yml``) whose pages this build claims in ``freeze_dir``.
    freeze_owner: str = "mkdocs.yml"
    #: ``markdown-exec``: fences read with markdown-exec's defaults (see :func:`.parse_page`).
    compat: str = ""
