"""Build the showcase (the repository's ``mkdocs.yml`` + ``docs/``) into a scratch directory.

The copy keeps the run honest: a real ``mkdocs build --strict`` with the real config and a
cold plugin cache, and nothing written into the working tree other people are editing.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser._browser_env import REPO
from tests.sites import run_build


@dataclass(frozen=True)
class BuiltSite:
    """A finished build: where its pages are, and what the build said and cost."""

    project: Path
    site_dir: Path
    log: str
    seconds: float


def site_url_path(config_file: Path) -> str:
    """The path part of ``site_url`` (``/`` when unset), read by MkDocs itself.

    A project site lives under ``/<repo>/`` on GitHub Pages, and MkDocs writes absolute links
    with that prefix into ``404.html``; serving the site under the same path is the only way
    to load every page as readers will.
    """
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


class BuildFailed(RuntimeError):
    """``mkdocs build`` exited non-zero; the message carries its output."""


#: Folders a site's config may point at besides ``docs/`` (theme ``custom_dir``, ``hooks``);
#: copied when present so the copy builds like the original.
OPTIONAL_FOLDERS = ("overrides", "hooks", "includes")


def copy_project(destination: Path, source: Path = REPO) -> Path:
    """Copy ``mkdocs.yml``, ``docs/`` and :data:`OPTIONAL_FOLDERS` into ``destination``.

    Nothing else: no plugin cache (the build is cold) and no previously built site.
    """
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(source / "docs", destination / "docs")
    for name in OPTIONAL_FOLDERS:
        if (source / name).is_dir():
            shutil.copytree(source / name, destination / name)
    return destination


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> BuiltSite:
    """Run ``python -m mkdocs build`` on ``config_file`` with the interpreter running us."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    started = time.perf_counter()
    built = run_build(command, config_file.parent, timeout=600)
    seconds = time.perf_counter() - started
    if built.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} exited {built.returncode}:\n{built.log}")
    return BuiltSite(config_file.parent, site_dir, built.log, seconds)
