"""Windows (no ``fork``): one clear error at start naming what works instead, never a
traceback; builds that run no page code go ahead. Forced on Linux through the internal
platform variable, in real builds."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from mkdocs_infotheory.core.platform import PLATFORM_VARIABLE, can_fork
from tests.build.test_pytest_plugin import run_pytest
from tests.sites import Site

WINDOWS = {PLATFORM_VARIABLE: "win32"}
PAGE = '# Page\n\n```python exec="on"\nprint("ran", 6 * 7)\n```\n'


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    site = make_site(plugin={"freeze": "auto"})
    site.write("index.md", PAGE)
    site.save_config()
    return site


def test_this_machine_can_fork_and_forced_windows_cannot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert can_fork()  # the test suite runs on Linux or macOS
    monkeypatch.setenv(PLATFORM_VARIABLE, "win32")
    assert not can_fork()


def test_windows_build_stops_at_start_with_one_error_naming_what_works(site: Site) -> None:
    build = site.build(env=WINDOWS)
    assert build.returncode != 0
    errors = [line for line in build.log.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, build.log
    assert "Windows" in errors[0] and "WSL" in errors[0], errors
    assert "freeze: true" in errors[0] and "execute: false" in errors[0], errors
    assert "Traceback" not in build.log
    assert not (site.root / "site" / "index.html").exists()


def test_windows_pytest_is_a_usage_error(site: Site) -> None:
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider", env=WINDOWS)
    assert result.returncode == 4, result.stdout + result.stderr  # pytest's usage error
    assert "WSL" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_windows_builds_frozen_results_and_builds_without_code(site: Site) -> None:
    # Frozen where code runs (this machine), then published on "Windows".
    assert site.build().returncode == 0
    shutil.rmtree(site.root / ".cache")
    frozen = site.build(env={**WINDOWS, "MKDOCS_INFOTHEORY_FREEZE": "true"}, strict=True)
    assert frozen.returncode == 0, frozen.log
    assert "ran 42" in frozen.article().get_text()
    off = site.build(env={**WINDOWS, "MKDOCS_INFOTHEORY_EXECUTE": "false"})
    assert off.returncode == 0, off.log
