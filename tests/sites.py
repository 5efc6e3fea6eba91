"""Build real MkDocs sites in temporary folders and read what they produced.

Every build is a real ``python -m mkdocs build`` in a subprocess (real MkDocs, Material and
pymdown-extensions, real exit codes and log lines): nothing about MkDocs is mocked. The process
plumbing every test shares lives here too: :func:`run_build` runs one build command and
:func:`served` runs ``mkdocs serve`` on a free port for the length of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
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
        return run_build(command, self.root, env=env)


# -- process plumbing shared by every test that starts MkDocs (or another host) --------------
def build_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a child build: :data:`OVERRIDES` removed (a test sets
    them explicitly), MkDocs 2's advertisement silenced, then ``env`` on top."""
    environment = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    environment.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    return environment


def run_build(
    command: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 300,
) -> Build:
    """Run one build ``command`` in ``cwd`` to the end; its log is stderr then stdout.

    ``preexec_fn`` runs in the child before the command (e.g. a memory limit).
    """
    completed = subprocess.run(
        list(command),
        cwd=cwd,
        env=build_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
    return Build(Path(cwd), completed.returncode, completed.stderr + completed.stdout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: How long :func:`served` waits for the first build to finish and the server to answer.
SERVE_START_SECONDS = 120.0
MKDOCS_SERVE = (sys.executable, "-m", "mkdocs", "serve")


@contextlib.contextmanager
def served(
    root: Path,
    command: Sequence[str] = MKDOCS_SERVE,
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[tuple[str, Callable[[], str]]]:
    """Run ``command -a 127.0.0.1:PORT`` in ``root``; yield (its URL, a reader of its log).

    Returns once the server answers HTTP (so its first build is done and it watches for
    edits). Stdout and stderr go to ``log`` (``root/serve.log`` by default), which stays
    readable after the block. On leaving, the server is stopped whatever happened: SIGTERM,
    then SIGKILL to its process group (its own session) if it lingers, and whatever else is
    left in that group is killed too, so nothing keeps running.
    """
    port = free_port()
    log = log or root / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=build_environment(env),
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_answering(url, process, log.read_text)
        yield url, log.read_text
    finally:
        stop_session(process)


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], log: Callable[[], str]
) -> None:
    """Poll ``url`` until any HTTP answer (an error status counts); fail if the server dies."""
    deadline = time.monotonic() + SERVE_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}); its log:\n{log()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {SERVE_START_SECONDS:.0f} s; log:\n{log()}")


def stop_session(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process`` (started with ``start_new_session=True``) and everything in its group."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    # The group keeps the leader's pid as its id while any member lives, so this reaches
    # only what the server started and left behind.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
