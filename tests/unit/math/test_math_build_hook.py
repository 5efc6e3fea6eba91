"""hatch_build.py: KaTeX from an npm tarball into the package, checked against the pin."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import hatchling  # noqa: F401  (in the test extra: missing is a failure, never a skip)
import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load_hook_module():  # type: ignore[no-untyped-def]
    """Load the repo-root hatch_build.py by path (it is not part of the installed package)."""
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hatch_build = _load_hook_module()
KatexBuildError = hatch_build.KatexBuildError
assets_current = hatch_build.assets_current
ensure_katex_assets = hatch_build.ensure_katex_assets
extract_assets = hatch_build.extract_assets
sri_sha512 = hatch_build.sri_sha512


def _pinned_version() -> str:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is tomllib's original (the test extra installs it on Python 3.10)
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(config["tool"]["hatch"]["build"]["hooks"]["custom"]["katex-version"])


def make_tarball(version: str, *, skip: str = "") -> bytes:
    """A small stand-in for the npm tarball, same layout, our own bytes."""
    files = {
        "package/package.json": json.dumps({"name": "katex", "version": version}).encode(),
        "package/LICENSE": b"license text",
        "package/dist/katex.min.js": b"var katex = {};",
        "package/dist/katex.min.css": b".katex{font:1em KaTeX_Main}",
        "package/dist/fonts/KaTeX_Main-Regular.woff2": b"woff2-main",
        "package/dist/fonts/KaTeX_Main-Regular.woff": b"woff-main",
        "package/dist/fonts/KaTeX_Main-Regular.ttf": b"ttf-main",
        "package/dist/fonts/KaTeX_Math-Italic.woff2": b"woff2-math",
        "package/src/fonts/ignored.woff2": b"not dist",
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            if name == skip:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_extracts_js_css_license_and_only_dist_woff2_fonts(tmp_path: Path) -> None:
    tarball = make_tarball("1.2.3")
    dest = tmp_path / "katex"
    files = extract_assets(tarball, "1.2.3", sri_sha512(tarball), dest)
    assert files == [
        "LICENSE",
        "fonts/KaTeX_Main-Regular.woff2",
        "fonts/KaTeX_Math-Italic.woff2",
        "katex.min.css",
        "katex.min.js",
    ]
    assert (dest / "fonts/KaTeX_Math-Italic.woff2").read_bytes() == b"woff2-math"
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["katex_version"] == "1.2.3"
    assert assets_current(dest, "1.2.3")
    assert not assets_current(dest, "1.2.4")
    (dest / "fonts/KaTeX_Main-Regular.woff2").unlink()
    assert not assets_current(dest, "1.2.3")


def test_integrity_mismatch_is_refused_and_old_assets_survive(tmp_path: Path) -> None:
    good = make_tarball("1.2.3")
    dest = tmp_path / "katex"
    extract_assets(good, "1.2.3", sri_sha512(good), dest)
    tampered = make_tarball("1.2.3", skip="package/LICENSE")
    with pytest.raises(KatexBuildError, match="integrity mismatch"):
        extract_assets(tampered, "1.2.3", sri_sha512(good), dest)
    assert assets_current(dest, "1.2.3")
    assert (dest / "LICENSE").read_bytes() == b"license text"


def test_tarball_of_another_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KatexBuildError, match=r"expected '1\.2\.3'"):
        extract_assets(make_tarball("9.9.9"), "1.2.3", None, tmp_path / "katex")
    assert not (tmp_path / "katex").exists()


def test_tarball_without_katex_js_is_refused(tmp_path: Path) -> None:
    tarball = make_tarball("1.2.3", skip="package/dist/katex.min.js")
    with pytest.raises(KatexBuildError, match=r"katex\.min\.js"):
        extract_assets(tarball, "1.2.3", None, tmp_path / "katex")


def test_offline_tarball_is_used_once_then_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tarball = tmp_path / "katex-1.2.3.tgz"
    tarball.write_bytes(make_tarball("1.2.3"))
    monkeypatch.setenv(hatch_build.TARBALL_ENV, str(tarball))
    root = tmp_path / "project"
    assert ensure_katex_assets(root, "1.2.3", sri_sha512(tarball.read_bytes())) is True
    assert ensure_katex_assets(root, "1.2.3", None) is False
    assert (root / hatch_build.ASSETS_REL / "katex.min.css").is_file()


def test_missing_npm_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(hatch_build.TARBALL_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no npm on PATH
    with pytest.raises(KatexBuildError, match="npm was not found") as caught:
        ensure_katex_assets(tmp_path / "project", "1.2.3", None)
    assert "npm pack katex@1.2.3" in str(caught.value)


def test_real_wheel_ships_the_katex_assets(tmp_path: Path) -> None:
    """Build this project's wheel with hatchling (assets already fetched by the install)."""
    from hatchling.builders.wheel import WheelBuilder

    assets = ROOT / hatch_build.ASSETS_REL
    if not assets_current(assets, _pinned_version()):
        pytest.fail(f"{assets} is not fetched: run `pip install -e .` first (tests stay offline)")
    builder = WheelBuilder(str(ROOT))
    wheel = next(builder.build(directory=str(tmp_path), versions=["standard"]))
    names = set(zipfile.ZipFile(wheel).namelist())
    base = "mkdocs_infotheory/math/_assets/katex/"
    assert {f"{base}katex.min.js", f"{base}katex.min.css", f"{base}LICENSE"} <= names
    assert f"{base}manifest.json" in names
    assert any(n.startswith(f"{base}fonts/") and n.endswith(".woff2") for n in names)
    assert "mkdocs_infotheory/math/assets/infotheory-math.css" in names
