"""Build one project with each host: MkDocs, ProperDocs (both via ``plugins: [infotheory]``)
and Zensical 0.0.73 (via ``markdown_extensions: [infotheory]``).

Every build is the host's real command in a subprocess; the project is written the way an
author following docs/reference/hosts.md would write it for that host.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

from tests.sites import Build, run_build

HOSTS = ("mkdocs", "properdocs", "zensical")
REPO = Path(__file__).resolve().parents[2]


def host_command(host: str, *args: str) -> list[str]:
    return [sys.executable, "-m", host, "build", *args]


class HostSite:
    """A scratch project for ``host``; pages go in ``docs/``."""

    def __init__(self, root: Path, host: str, **config: Any) -> None:
        self.root = root
        self.host = host
        (root / "docs").mkdir(parents=True, exist_ok=True)
        self.config: dict[str, Any] = {"site_name": "Host test", **config}
        if host == "zensical":
            self.config.setdefault("markdown_extensions", []).append("infotheory")
        else:
            self.config.setdefault("theme", {"name": "material"})
            self.config.setdefault("plugins", ["search", "infotheory"])

    @classmethod
    def showcase(cls, root: Path, host: str) -> HostSite:
        """The repository's own showcase (its mkdocs.yml serves every host as it is)."""
        site = cls(root, host)
        shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
        site.config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
        return site

    def write(self, name: str, text: str) -> Path:
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def build(self, *args: str, strict: bool = False) -> Build:
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(self.config), encoding="utf-8")
        command = host_command(self.host, *args, *(["--strict"] if strict else []))
        return run_build(command, self.root, timeout=600)
