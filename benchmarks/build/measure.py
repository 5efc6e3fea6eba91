"""Time one ``mkdocs build`` in a fresh wrapper process, against a frozen copy of the plugin.

Why a frozen copy: the plugin's cache key covers the source of ``mkdocs_infotheory.compute``,
and the working tree may change while a long benchmark runs (other people edit it). The
benchmark copies the package once, at the start, and every build imports that copy (it comes
first on ``PYTHONPATH``), so all rounds measure the same code and "warm" stays warm.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import mkdocs_infotheory

from .wrapper import busy_cpu_seconds

WRAPPER = Path(__file__).resolve().with_name("wrapper.py")


@dataclass(frozen=True)
class Sample:
    case: str
    round: int
    wall_s: float
    cpu_s: float
    max_rss_kib: int
    peak_tree_rss_kib: int
    peak_tree_pss_kib: int
    peak_processes: int
    #: CPU seconds other processes used during the build: how contended the machine was.
    other_cpu_s: float
    #: Seconds spent waiting for the machine to go quiet before this build.
    waited_s: float
    #: Every process of the build: its own peak PSS (KiB) and its command line.
    processes: list[dict[str, object]] = field(default_factory=list)
    #: The scheduling priority the build ran at (negative: ahead of other work).
    niceness: int = 0

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class BuildFailed(RuntimeError):
    pass


def installed_plugin_source() -> Path:
    """The folder that holds the importable ``mkdocs_infotheory`` package."""
    return Path(mkdocs_infotheory.__file__).resolve().parent.parent


def freeze_plugin(destination: Path, source: Path | None = None) -> Path:
    """Copy ``source/mkdocs_infotheory`` (default: the importable one; KaTeX assets included)
    to ``destination/mkdocs_infotheory``; returns ``destination`` (for ``PYTHONPATH``)."""
    package = (source or installed_plugin_source()) / "mkdocs_infotheory"
    target = destination / "mkdocs_infotheory"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    # Bytecode, as ``pip install`` writes it for an installed plugin (and for MkDocs, Material,
    # markdown-exec...). Without it every build would compile the plugin's modules from source
    # (about 0.1 s of CPU), and nothing else writes it where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(target, quiet=1)
    return destination


def missing_modules(names: Iterable[str], sources: Iterable[Path]) -> tuple[str, ...]:
    """Those of our modules in ``names`` (dotted, under ``mkdocs_infotheory``) that one of the
    plugin copies in ``sources`` does not have: an older copy measured against this one (``make
    bench`` before and after a change) cannot load an extension added since."""
    folders = list(sources)
    missing = []
    for name in names:
        package, _, rest = name.partition(".")
        if package != "mkdocs_infotheory" or not rest:
            continue
        relative = Path(package, *rest.split("."))
        for folder in folders:
            module = folder / relative
            if not (module / "__init__.py").is_file() and not module.with_suffix(".py").is_file():
                missing.append(name)
                break
    return tuple(missing)


def build_environment(frozen: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's notice, printed on every build
    env.pop("MKDOCS_INFOTHEORY_EXECUTE", None)
    if frozen is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(frozen), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    return env


def mkdocs_command() -> list[str]:
    """The ``mkdocs`` console script next to this interpreter: what a user types.

    Not ``python -m mkdocs``: the two differ for the plugin, because multiprocessing re-imports
    a main *script* in every child process it starts but skips a main *module* (``-m``).
    """
    script = Path(sys.executable).with_name("mkdocs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mkdocs"]


class Builder:
    """Runs ``python -m mkdocs build`` in a site folder through :mod:`.wrapper`."""

    def __init__(
        self,
        env: dict[str, str],
        interval: float = 0.02,
        quiet_cores: float = 0.3,
        quiet_timeout: float = 20.0,
        mkdocs: Sequence[str] = (),
        niceness: int = 0,
    ) -> None:
        self.env = env
        self.mkdocs = list(mkdocs) or mkdocs_command()
        self.interval = interval
        self.quiet_cores = quiet_cores
        self.quiet_timeout = quiet_timeout
        self.niceness = niceness

    def wait_for_quiet(self) -> float:
        """Wait (up to ``quiet_timeout``) until other processes use < ``quiet_cores`` CPUs.

        Why: the machine may be shared (tests of other work running in parallel); a build
        started in the middle of someone else's burst measures the burst, not the build.
        """
        started = time.monotonic()
        while time.monotonic() - started < self.quiet_timeout:
            before = busy_cpu_seconds()
            time.sleep(0.5)
            if (busy_cpu_seconds() - before) / 0.5 < self.quiet_cores:
                break
        return time.monotonic() - started

    def build(self, root: Path, case: str = "", round_number: int = 0) -> Sample:
        waited = self.wait_for_quiet() if self.quiet_cores > 0 else 0.0
        command = [
            sys.executable,
            str(WRAPPER),
            "--interval",
            str(self.interval),
            "--cwd",
            str(root),
            "--nice",
            str(self.niceness),
            "--",
            *self.mkdocs,
            "build",
            "--quiet",
        ]
        completed = subprocess.run(
            command, env=self.env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise BuildFailed(f"wrapper failed for {root}:\n{completed.stderr}")
        data = json.loads(completed.stdout)
        if data["returncode"] != 0:
            raise BuildFailed(f"mkdocs build failed in {root}:\n{data['log_tail']}")
        return Sample(
            case=case,
            round=round_number,
            wall_s=data["wall_s"],
            cpu_s=data["cpu_user_s"] + data["cpu_system_s"],
            max_rss_kib=data["max_rss_kib"],
            peak_tree_rss_kib=data["peak_tree_rss_kib"],
            peak_tree_pss_kib=data["peak_tree_pss_kib"],
            peak_processes=data["peak_processes"],
            other_cpu_s=data["other_cpu_s"],
            waited_s=waited,
            processes=data.get("processes", []),
            niceness=int(data.get("niceness", 0)),
        )
