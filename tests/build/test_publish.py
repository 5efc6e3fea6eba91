"""Publishing: ``mkdocs gh-deploy`` for real, into a local bare repository, and the Pages workflow.

The deploy runs the real CLI against a real git remote (a bare repository in a temp folder):
it builds the site, commits it to ``gh-pages`` and pushes. Nothing leaves the machine, and
the developer's own git configuration is kept out (``HOME`` and the system config are
replaced), so the test behaves the same on every machine.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"

MKDOCS_YML = """\
site_name: Deploy check
theme:
  name: material
plugins:
  - search
  - infotheory
"""

# The fence prints a number that appears nowhere in the page's source: only execution at
# build time can put it into the deployed HTML.
PAGE = """\
# Deployed

```python exec="on"
print(f"uniform over {N} outcomes: {entropy(np.full({N}, 1 / {N})):.3f} bits")
```
"""


def _page(outcomes: int) -> str:
    return PAGE.replace("{N}", str(outcomes))


def _expected(outcomes: int) -> str:
    """The entropy of a uniform distribution is log2 of its size, computed here by hand."""
    return f"uniform over {outcomes} outcomes: {math.log2(outcomes):.3f} bits"


def _git_env(home: Path) -> dict[str, str]:
    """A git identity and an empty configuration, whatever the machine's own git says."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Deploy Test",
            "GIT_AUTHOR_EMAIL": "deploy-test@example.invalid",
            "GIT_COMMITTER_NAME": "Deploy Test",
            "GIT_COMMITTER_EMAIL": "deploy-test@example.invalid",
            "GIT_TERMINAL_PROMPT": "0",
            "NO_MKDOCS_2_WARNING": "1",
        }
    )
    return environment


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    completed = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, (
        f"{' '.join(command)} exited {completed.returncode}:\n{output}"
    )
    return output


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return _run(["git", *args], cwd, env)


def _deploy(clone: Path, env: dict[str, str]) -> str:
    return _run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "gh-deploy",
            "--force",
            "--remote-name",
            "origin",
            "--strict",
        ],
        clone,
        env,
    )


def _published_article_text(remote: Path, env: dict[str, str]) -> str:
    html = _git("show", "gh-pages:index.html", cwd=remote, env=env)
    article = BeautifulSoup(html, "html.parser").find("article")
    assert article is not None, "the deployed index.html has no <article>"
    return article.get_text(" ", strip=True)


@pytest.mark.slow
def test_gh_deploy_publishes_the_built_site_to_a_gh_pages_branch(tmp_path: Path) -> None:
    env = _git_env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    remote = tmp_path / "remote.git"
    _git("init", "--bare", "--initial-branch=main", str(remote), cwd=tmp_path, env=env)
    clone = tmp_path / "clone"
    _git("clone", str(remote), str(clone), cwd=tmp_path, env=env)
    (clone / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (clone / "docs").mkdir()
    (clone / "docs" / "index.md").write_text(_page(4), encoding="utf-8")
    (clone / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    _git("add", ".", cwd=clone, env=env)
    _git("commit", "-m", "Source of the site", cwd=clone, env=env)
    _git("push", "origin", "HEAD:main", cwd=clone, env=env)
    source_commit = _git("rev-parse", "HEAD", cwd=clone, env=env).strip()

    _deploy(clone, env)

    files = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote, env=env).split()
    assert "index.html" in files
    assert ".nojekyll" in files, "without .nojekyll, GitHub Pages' Jekyll drops assets/_* files"
    assert "sitemap.xml" in files and "search/search_index.json" in files
    assert any(name.startswith("assets/infotheory/katex/fonts/") for name in files), (
        "the KaTeX fonts the pages link to were not published"
    )
    assert not any(name.startswith(("docs/", ".cache/")) for name in files), (
        "gh-pages must hold the built site only"
    )
    assert _expected(4) in _published_article_text(remote, env)
    message = _git("log", "-1", "--format=%s", "gh-pages", cwd=remote, env=env)
    assert source_commit[:7] in message, f"deploy commit does not name its source: {message!r}"
    # The source branch is left exactly as pushed.
    assert _git("rev-parse", "main", cwd=remote, env=env).strip() == source_commit

    # A second deploy after an edit replaces the published page.
    (clone / "docs" / "index.md").write_text(_page(8), encoding="utf-8")
    _git("commit", "-am", "Eight outcomes", cwd=clone, env=env)
    _deploy(clone, env)
    text = _published_article_text(remote, env)
    assert _expected(8) in text and _expected(4) not in text


# -- the GitHub Actions route ---------------------------------------------------------------
def _workflow() -> dict[Any, Any]:
    assert WORKFLOW.is_file(), f"{WORKFLOW} is missing"
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def test_pages_workflow_builds_strictly_and_deploys_with_the_official_actions() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers and "workflow_dispatch" in triggers
    permissions = workflow["permissions"]
    assert permissions.get("pages") == "write" and permissions.get("id-token") == "write"
    assert workflow["concurrency"]["group"], "deployments must not overlap"

    steps = _steps(workflow)
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    assert "pip install" in runs, "the workflow must install the package"
    assert "mkdocs build --strict" in runs
    assert "playwright install" not in runs

    used = [_uses(step) for step in steps]
    assert "actions/upload-pages-artifact" in used and "actions/deploy-pages" in used
    for step in steps:
        reference = str(step.get("uses", ""))
        if reference:
            assert "@" in reference, f"{reference}: pin a version"

    jobs = workflow["jobs"]
    (deploy_name,) = [
        n for n, j in jobs.items() if "actions/deploy-pages" in map(_uses, j["steps"])
    ]
    deploy = jobs[deploy_name]
    assert deploy["environment"]["name"] == "github-pages"
    build_jobs = deploy.get("needs")
    assert build_jobs, "deploy must wait for the build job"


def test_pages_workflow_uploads_the_folder_mkdocs_builds_into() -> None:
    """The artifact path must be the site_dir the strict build writes (MkDocs: ``site``)."""
    config_text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    site_dir = "site"
    for line in config_text.splitlines():
        if line.startswith("site_dir:"):
            site_dir = line.split(":", 1)[1].strip().strip("'\"")
    upload = next(
        step for step in _steps(_workflow()) if _uses(step) == "actions/upload-pages-artifact"
    )
    assert str(upload["with"]["path"]).strip("./") == site_dir.strip("./")


def test_workflow_example_in_the_docs_matches_the_repository_workflow() -> None:
    """The publishing page shows the workflow; it must not drift from the real file."""
    page = (REPO / "docs" / "reference" / "publishing.md").read_text(encoding="utf-8")
    workflow_lines = [
        line.strip()
        for line in WORKFLOW.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("uses:")
    ]
    assert workflow_lines
    for line in workflow_lines:
        assert line in page, f"docs/reference/publishing.md does not show `{line}`"
    assert "mkdocs gh-deploy" in page
