"""Hatchling build hook: fetch KaTeX from the npm registry at package-build time.

Why a build hook: pages must show math with no JavaScript and no network, so KaTeX runs
in-process while MkDocs builds (``mkdocs_infotheory.math``) and the site ships KaTeX's CSS and
fonts. Those third-party files are never committed; they come from the pinned npm package
``katex`` when the wheel, the sdist or an editable install is built, and land in the gitignored
``mkdocs_infotheory/math/_assets/katex/``. Editable installs read that directory straight from
the source tree, regular wheels and sdists get it through ``artifacts``.

The pin lives in ``pyproject.toml``::

    [tool.hatch.build.hooks.custom]
    katex-version = "0.19.1"
    katex-integrity = "sha512-..."   # npm's integrity string of that tarball

Offline builds: set ``MKDOCS_INFOTHEORY_KATEX_TGZ`` to a ``katex-<version>.tgz`` obtained with
``npm pack katex@<version>``; it is checked against the same integrity string.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ASSETS_REL = "mkdocs_infotheory/math/_assets/katex"
MANIFEST_NAME = "manifest.json"
TARBALL_ENV = "MKDOCS_INFOTHEORY_KATEX_TGZ"

# Files taken from the npm tarball: (path inside the tarball, path under ASSETS_REL).
# Only woff2 fonts: every browser that runs KaTeX's CSS picks woff2 first and never asks
# for the woff/ttf fallbacks.
_FIXED_FILES = (
    ("package/dist/katex.min.js", "katex.min.js"),
    ("package/dist/katex.min.css", "katex.min.css"),
    ("package/LICENSE", "LICENSE"),
)
_FONT_DIR = PurePosixPath("package/dist/fonts")


class KatexBuildError(RuntimeError):
    """Raised when the KaTeX assets cannot be produced; the message says how to fix it."""


def assets_current(dest: Path, version: str) -> bool:
    """True when ``dest`` already holds every file of KaTeX ``version`` (skip npm then)."""
    try:
        manifest = json.loads((dest / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if manifest.get("katex_version") != version or not isinstance(files, list) or not files:
        return False
    return all(isinstance(name, str) and (dest / name).is_file() for name in files)


def sri_sha512(data: bytes) -> str:
    """npm's ``integrity`` format, so the pin can be compared with ``npm view katex dist``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def npm_pack(version: str, workdir: Path) -> bytes:
    """Download the ``katex`` tarball with npm itself (its registry config, proxy and cache)."""
    npm = shutil.which("npm")
    if npm is None:
        raise KatexBuildError(
            f"npm was not found on PATH. Building mkdocs-infotheory (also `pip install -e .`) "
            f"fetches KaTeX {version} from the npm registry at build time. Install Node.js/npm "
            f"(e.g. `apt-get install npm`), or download the tarball elsewhere with "
            f"`npm pack katex@{version}` and point {TARBALL_ENV} at it."
        )
    cmd = [npm, "pack", f"katex@{version}", "--ignore-scripts", "--pack-destination", str(workdir)]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise KatexBuildError(
            f"`{' '.join(cmd[1:])}` failed (exit {proc.returncode}):\n{proc.stderr.strip()}"
        )
    tarballs = sorted(workdir.glob("katex-*.tgz"))
    if len(tarballs) != 1:
        raise KatexBuildError(f"npm pack produced {len(tarballs)} katex tarballs in {workdir}")
    return tarballs[0].read_bytes()


def extract_assets(tarball: bytes, version: str, integrity: str | None, dest: Path) -> list[str]:
    """Check the tarball against the pin, then write the assets and a manifest into ``dest``.

    Files are read member by member and written under fixed names, so nothing in the archive
    can choose where it lands. ``dest`` is replaced as a whole, via a sibling staging
    directory, so an interrupted build never leaves a half-filled asset directory that
    :func:`assets_current` would accept (the manifest is written last).
    """
    actual = sri_sha512(tarball)
    if integrity and actual != integrity:
        raise KatexBuildError(
            f"katex@{version} tarball integrity mismatch: expected {integrity}, got {actual}"
        )
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}

        def read(name: str) -> bytes:
            if name not in members:
                raise KatexBuildError(f"katex@{version} tarball has no {name}")
            handle = archive.extractfile(members[name])
            assert handle is not None
            return handle.read()

        package = json.loads(read("package/package.json"))
        if package.get("version") != version:
            raise KatexBuildError(
                f"tarball holds katex {package.get('version')!r}, expected {version!r}"
            )
        outputs = {target: read(source) for source, target in _FIXED_FILES}
        for name in members:
            path = PurePosixPath(name)
            if path.parent == _FONT_DIR and path.suffix == ".woff2":
                outputs[f"fonts/{path.name}"] = read(name)
    if not any(key.startswith("fonts/") for key in outputs):
        raise KatexBuildError(f"katex@{version} tarball has no woff2 fonts")

    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".katex-staging-", dir=dest.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; installed package data must be readable
    try:
        for rel, data in outputs.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        files = sorted(outputs)
        manifest = {"katex_version": version, "integrity": actual, "files": files}
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(staging, dest)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return files


def ensure_katex_assets(root: Path, version: str, integrity: str | None) -> bool:
    """Make ``root/ASSETS_REL`` hold KaTeX ``version``; return True if it had to fetch."""
    dest = root / ASSETS_REL
    if assets_current(dest, version):
        return False
    local = os.environ.get(TARBALL_ENV)
    if local:
        tarball = Path(local).read_bytes()
    else:
        with tempfile.TemporaryDirectory(prefix="katex-npm-") as tmp:
            tarball = npm_pack(version, Path(tmp))
    extract_assets(tarball, version, integrity, dest)
    return True


class KatexAssetsHook(BuildHookInterface):
    """Runs before every build target (wheel, editable wheel, sdist)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        katex_version = self.config.get("katex-version")
        if not isinstance(katex_version, str) or not katex_version:
            raise KatexBuildError(
                "set katex-version under [tool.hatch.build.hooks.custom] in pyproject.toml"
            )
        integrity = self.config.get("katex-integrity")
        fetched = ensure_katex_assets(Path(self.root), katex_version, integrity)
        if fetched:
            self.app.display_info(f"fetched KaTeX {katex_version} from npm into {ASSETS_REL}")
        # The directory is gitignored (never committed), so hatch would leave it out.
        build_data["artifacts"].append(f"/{ASSETS_REL}/")
