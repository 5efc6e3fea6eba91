"""Build real MkDocs sites in temporary folders and read what they produced.

Every build is a real ``python -m mkdocs build`` in a subprocess (real MkDocs, Material and
pymdown-extensions, real exit codes and log lines): nothing about MkDocs is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup, Tag

#: Environment variables that override plugin options; a test sets them explicitly.
OVERRIDES = ("MKDOCS_INFOTHEORY_EXECUTE", "MKDOCS_INFOTHEORY_FREEZE")


@dataclass
class Build:
    root: Path
    returncode: int
    log: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, page: str = "index") -> BeautifulSoup:
        path = self.site / "index.html" if page == "index" else self.site / page / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def article(self, page: str = "index") -> Tag:
        article = self.html(page).find("article")
        assert isinstance(article, Tag), f"no <article> in {page}"
        return article

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]

    def info(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("INFO")]


class Site:
    """A scratch MkDocs project: write pages, build it (several times if needed)."""

    def __init__(self, root: Path, plugin: dict[str, Any] | None = None, **config: Any) -> None:
        self.root = root
        (root / "docs").mkdir(parents=True, exist_ok=True)
        self.config: dict[str, Any] = {
            "site_name": "Test site",
            "theme": {"name": "material"},
            "plugins": ["search", {"infotheory": plugin} if plugin else "infotheory"],
            **config,
        }

    def write(self, name: str, text: str) -> Path:
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def save_config(self) -> Path:
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(self.config), encoding="utf-8")
        return path

    def build(self, *args: str, strict: bool = False, env: dict[str, str] | None = None) -> Build:
        self.save_config()
        command = [sys.executable, "-m", "mkdocs", "build", *args]
        if strict:
            command.append("--strict")
        environment = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
        environment.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
        completed = subprocess.run(
            command,
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return Build(self.root, completed.returncode, completed.stderr + completed.stdout)
