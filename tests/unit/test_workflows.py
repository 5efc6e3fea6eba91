"""The GitHub workflows, read as YAML and checked against the project they run.

Nothing here runs on GitHub; what can be checked offline is checked: every workflow parses;
the test matrix covers Ubuntu and macOS with the oldest and newest Python that pyproject.toml
declares; it runs the README's test command on push and pull request; the release runs the
tests, then builds, then publishes with PyPI's trusted publishing; the sharded Pages example
does what docs/reference/publishing.md describes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser._browser_env import EXPECTED_VARIABLE, browser_tests_required

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli is tomllib's original (the test extra installs it on Python 3.10)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def supported_pythons() -> tuple[str, str]:
    """The floor of requires-python and the newest ``Python :: 3.N`` classifier."""
    floor = re.fullmatch(r">=\s*(3\.\d+)", project()["requires-python"].strip())
    assert floor, project()["requires-python"]
    minors = [
        c.rsplit("::", 1)[1].strip()
        for c in project()["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    newest = max(minors, key=lambda v: int(v.split(".")[1]))
    return floor[1], newest


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in steps(job) if "uses" in step]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_workflow_parses_and_has_jobs(path: Path) -> None:
    data = load(path.name)
    assert data.get("on"), f"{path.name}: no trigger"
    assert data.get("jobs"), f"{path.name}: no jobs"
    for name, job in data["jobs"].items():
        assert "runs-on" in job or "uses" in job, f"{path.name}: job {name} runs nowhere"


def test_classifiers_list_every_python_from_the_floor_and_both_systems() -> None:
    oldest, newest = supported_pythons()
    minors = range(int(oldest.split(".")[1]), int(newest.split(".")[1]) + 1)
    classifiers = project()["classifiers"]
    for minor in minors:
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Operating System :: POSIX :: Linux" in classifiers
    assert "Operating System :: MacOS" in classifiers


def test_tests_run_the_readme_command_on_both_systems_oldest_and_newest_python() -> None:
    workflow = load("tests.yml")
    triggers = workflow["on"]
    assert "push" in triggers and "pull_request" in triggers
    assert "workflow_call" in triggers  # the release reuses it
    (job,) = workflow["jobs"].values()
    matrix = job["strategy"]["matrix"]
    assert sorted(matrix["os"]) == ["macos-latest", "ubuntu-latest"]
    assert sorted(map(str, matrix["python"])) == sorted(supported_pythons())
    assert job["runs-on"] == "${{ matrix.os }}"
    assert any(
        step.get("with", {}).get("python-version") == "${{ matrix.python }}" for step in steps(job)
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", readme, re.MULTILINE)
    assert re.search(r"^\s*make test\b", runs(job), re.MULTILINE), runs(job)
    assert job["env"]["CI"] == "true"  # browser tests fail when Chromium is missing...
    assert "apt-get install" in runs(job) and "chromium" in runs(job)


def test_macos_says_browser_tests_are_not_expected(monkeypatch: pytest.MonkeyPatch) -> None:
    """...except where the workflow says none are expected (macOS), which the browser
    suite's conftest honours."""
    (job,) = load("tests.yml")["jobs"].values()
    mac = [step for step in steps(job) if "macOS" in str(step.get("if", ""))]
    assert any(f"{EXPECTED_VARIABLE}=skip" in str(step.get("run")) for step in mac), mac
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv(EXPECTED_VARIABLE, raising=False)
    assert browser_tests_required()
    monkeypatch.setenv(EXPECTED_VARIABLE, "skip")
    assert not browser_tests_required()


def test_release_publishes_on_version_tags_after_tests_with_trusted_publishing() -> None:
    workflow = load("release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    jobs = workflow["jobs"]
    assert jobs["tests"]["uses"] == "./.github/workflows/tests.yml"

    def needs(name: str) -> set[str]:
        value = jobs[name].get("needs", [])
        return {value} if isinstance(value, str) else set(value)

    def upstream(name: str) -> set[str]:
        found = set()
        for parent in needs(name):
            found |= {parent, *upstream(parent)}
        return found

    publishers = [
        name
        for name, job in jobs.items()
        if any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses(job))
    ]
    assert publishers == ["publish"], publishers
    publish = jobs["publish"]
    assert "tests" in upstream("publish") and "build" in upstream("publish")
    assert publish["permissions"]["id-token"] == "write"
    environment = publish["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "pypi"
    # No token: trusted publishing only.
    assert not any("password" in step.get("with", {}) for step in steps(publish))
    # Nothing else may write with an identity token.
    assert workflow.get("permissions", {}).get("id-token") != "write"
    build = runs(jobs["build"])
    assert "python -m build" in build and "scripts/check-wheel.sh" in build
    assert any(u.startswith("actions/setup-node@") for u in uses(jobs["build"]))


def test_sharded_pages_example_runs_shards_merges_and_builds_strict() -> None:
    workflow = load("pages-sharded.yml")
    jobs = workflow["jobs"]
    shard = jobs["shard"]
    assert len(shard["strategy"]["matrix"]["shard"]) >= 2
    assert "pytest --infotheory" in runs(shard)
    assert shard["env"]["MKDOCS_INFOTHEORY_FREEZE"] == "auto"
    assert any(u.startswith("actions/upload-artifact@") for u in uses(shard))
    build = jobs["build"]
    assert "shard" in ([build["needs"]] if isinstance(build["needs"], str) else build["needs"])
    assert any(u.startswith("actions/download-artifact@") for u in uses(build))
    assert build["env"]["MKDOCS_INFOTHEORY_FREEZE"] == "true"
    assert "mkdocs build --strict" in runs(build)
    assert any(u.startswith("actions/deploy-pages@") for u in uses(jobs["deploy"]))
