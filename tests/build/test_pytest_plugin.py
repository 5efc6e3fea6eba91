"""``pytest --infotheory`` run for real: pytest in a subprocess on temporary sites (and on the
showcase), asserting on its exit status and report as an author would read them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.sites import OVERRIDES, Site

ROOT = Path(__file__).resolve().parents[2]

PAGES = {
    "good.md": '# Good\n\n```python exec="on"\nprint(entropy([0.5, 0.5]))\n```\n',
    # Front matter: lines are still the file's own.
    "bad.md": '---\ntitle: Bad\n---\n\n# Bad\n\n```python exec="on"\ndef f():\n'
    "    return 1 / 0\n```\n\nProse.\n\n"
    '```python exec="on"\nf()\n```\n',
    "doctest.md": '# Doctest\n\n```pycon exec="on"\n>>> 1 + 1\n3\n```\n',
    "inline.md": "# Inline\n\nA value: `{python} undefined_name * 2`.\n",
    "plain.md": '# Plain\n\n```python\nprint("not executable")\n```\n',
}


def run_pytest(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in OVERRIDES and not key.startswith("PYTEST_")
    }
    environment.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def outcome_counts(output: str) -> dict[str, int]:
    """The final summary line, e.g. ``1 failed, 2 passed, 1 deselected in 0.5s``."""
    last = output.strip().splitlines()[-1]
    return {word: int(count) for count, word in re.findall(r"(\d+) (\w+)", last)}


@pytest.fixture
def pages(make_site: Callable[..., Site]) -> Site:
    site = make_site(plugin={"timeout": 20})
    for name, text in PAGES.items():
        site.write(name, text)
    site.save_config()
    return site


def test_pages_pass_and_fail_with_lines_tracebacks_and_doctest_diffs(pages: Site) -> None:
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert outcome_counts(out) == {"failed": 3, "passed": 1}
    assert "collected 4 items" in out  # plain.md has no executable cell: not a test
    # The error: where it happened, the author's traceback, the line that raised.
    assert "docs/bad.md:9: ZeroDivisionError: division by zero" in out
    assert 'File "docs/bad.md", line 15, in <module>' in out
    assert "return 1 / 0" in out
    assert "mkdocs_infotheory" not in out.split("FAILURES", 1)[1].split("short test summary")[0]
    # The doc-test: expected vs got.
    assert "docs/doctest.md:4: doctest output differs for `1 + 1`" in out
    assert re.search(r"Expected:\n\s+3\n\s+Got:\n\s+2\n", out), out
    # The inline value.
    assert "docs/inline.md:3: NameError: name 'undefined_name' is not defined" in out
    # The one-line summary names the place too.
    assert "FAILED docs/bad.md::cells - docs/bad.md:9: ZeroDivisionError" in out


def test_exit_status_zero_when_every_selected_page_passes(pages: Site) -> None:
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", "docs/good.md")
    assert result.returncode == 0, result.stdout
    assert outcome_counts(result.stdout) == {"passed": 1}


def test_k_selects_pages_and_q_is_quiet(pages: Site) -> None:
    result = run_pytest(
        pages.root, "--infotheory", "-p", "no:cacheprovider", "-q", "-k", "good or inline"
    )
    assert result.returncode == 1
    assert outcome_counts(result.stdout) == {"failed": 1, "passed": 1, "deselected": 2}
    assert "test session starts" not in result.stdout
    assert "docs/bad.md" not in result.stdout


def test_x_stops_at_the_first_failing_page(pages: Site) -> None:
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", "-x")
    assert result.returncode == 1
    assert outcome_counts(result.stdout)["failed"] == 1
    assert "stopping after 1 failures" in result.stdout


def test_lf_reruns_only_the_pages_that_failed(pages: Site) -> None:
    assert run_pytest(pages.root, "--infotheory").returncode == 1
    again = run_pytest(pages.root, "--infotheory", "--lf")
    assert "rerun previous 3 failures" in again.stdout
    assert outcome_counts(again.stdout) == {"failed": 3}
    pages.write("bad.md", '# Bad\n\n```python exec="on"\nprint("fixed")\n```\n')
    fixed = run_pytest(pages.root, "--infotheory", "--lf", "docs/bad.md")
    assert fixed.returncode == 0, fixed.stdout
    assert outcome_counts(fixed.stdout) == {"passed": 1}


def test_options_come_from_mkdocs_yml(make_site: Callable[..., Site]) -> None:
    site = make_site(plugin={"preamble": "MAGIC = 41\n", "timeout": 1}, docs_dir="pages")
    (site.root / "pages").mkdir()
    (site.root / "pages" / "magic.md").write_text(
        '# Magic\n\n```pycon exec="on"\n>>> MAGIC + 1\n42\n```\n'
    )
    (site.root / "pages" / "slow.md").write_text(
        '# Slow\n\n```python exec="on"\nimport time\ntime.sleep(8)\n```\n'
    )
    config = site.save_config()
    # MkDocs' own loader reads it: tags such as !ENV work.
    config.write_text(config.read_text() + "site_url: !ENV [SITE_URL, 'https://example.org/']\n")
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider", "-v")
    out = result.stdout
    assert "pages/magic.md::cells PASSED" in out, out  # the preamble ran; docs_dir found
    assert "pages/slow.md::cells FAILED" in out
    # The 1 s timeout of mkdocs.yml, not the default 30 s.
    assert "pages/slow.md:4: TimeoutError: the fence ran longer than 1 s" in out


def test_without_the_flag_markdown_is_never_touched(pages: Site) -> None:
    (pages.root / "test_plain.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
    result = run_pytest(pages.root, "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout
    assert outcome_counts(result.stdout) == {"passed": 1}
    assert ".md" not in result.stdout


def test_frozen_pages_pass_without_running_and_edits_fail(pages: Site) -> None:
    pages.config["plugins"] = [{"infotheory": {"freeze": "auto"}}]
    pages.save_config()
    for name in ("bad.md", "doctest.md", "inline.md"):
        (pages.root / "docs" / name).unlink()
    frozen = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider")
    assert frozen.returncode == 0, frozen.stdout
    assert (pages.root / "_freeze" / "good.md.json").exists()

    env = {"MKDOCS_INFOTHEORY_FREEZE": "true"}
    reused = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", env=env)
    assert reused.returncode == 0, reused.stdout
    assert "0 fences run" in reused.stdout and "1 fences from frozen results" in reused.stdout
    pages.write("good.md", '# Good\n\n```python exec="on"\nprint(entropy([0.9, 0.1]))\n```\n')
    refused = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", env=env)
    assert refused.returncode == 1
    assert "docs/good.md:4: not frozen: this cell changed" in refused.stdout


def test_bad_settings_are_usage_errors(pages: Site) -> None:
    env = {"MKDOCS_INFOTHEORY_FREEZE": "please"}
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", env=env)
    assert result.returncode == 4  # pytest's "usage error"
    assert "MKDOCS_INFOTHEORY_FREEZE='please'" in result.stderr

    pages.config["plugins"] = [{"infotheory": {"timeout": "soon"}}]
    pages.save_config()
    broken = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider")
    assert broken.returncode == 4
    assert "mkdocs.yml" in broken.stderr and "timeout" in broken.stderr


def test_showcase_pages_pass() -> None:
    result = run_pytest(ROOT, "--infotheory", "docs", "-p", "no:cacheprovider", "-v")
    assert result.returncode == 0, result.stdout + result.stderr
    counts = outcome_counts(result.stdout)
    assert set(counts) == {"passed"}, result.stdout
    for page in ("docs/index.md", "docs/guide.md", "docs/reference/compute.md"):
        assert f"{page}::cells PASSED" in result.stdout


def test_pages_workflow_checks_the_pages_before_building() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    runs = [str(step.get("run", "")) for job in workflow["jobs"].values() for step in job["steps"]]
    check = next(i for i, run in enumerate(runs) if "pytest --infotheory" in run)
    build = next(i for i, run in enumerate(runs) if "mkdocs build --strict" in run)
    install = next(i for i, run in enumerate(runs) if "pip install" in run)
    assert install < check < build
    assert "pytest" in runs[install].split("pip install", 1)[1]


def test_pages_mkdocs_excludes_are_not_collected(pages: Site) -> None:
    pages.config["exclude_docs"] = "bad.md\ninline.md\n"
    pages.save_config()
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider")
    assert "collected 2 items" in result.stdout, result.stdout
    assert "docs/bad.md" not in result.stdout and "docs/inline.md" not in result.stdout


def test_fences_included_with_snippets_run_too(make_site: Callable[..., Site]) -> None:
    site = make_site(markdown_extensions=[{"pymdownx.snippets": {"base_path": ["snippets"]}}])
    (site.root / "snippets").mkdir()
    (site.root / "snippets" / "broken.md").write_text('```python exec="on"\n1 / 0\n```\n')
    site.write("index.md", '# Included\n\nBelow.\n\n--8<-- "broken.md"\n')
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider")
    assert result.returncode == 1, result.stdout
    assert "docs/index.md:5: ZeroDivisionError" in result.stdout


def test_a_build_after_pytest_runs_nothing_again(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", PAGES["good.md"])
    site.save_config()
    assert run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider").returncode == 0
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert "0 fences run, 1 from cache" in build.log


def test_execution_off_skips_pages_with_the_reason(pages: Site) -> None:
    env = {"MKDOCS_INFOTHEORY_EXECUTE": "false"}
    result = run_pytest(pages.root, "--infotheory", "-p", "no:cacheprovider", "-rs", env=env)
    assert result.returncode == 0, result.stdout
    assert outcome_counts(result.stdout) == {"skipped": 4}
    assert "execution is off" in result.stdout


def test_without_mkdocs_yml_pages_run_with_the_default_options(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "page.md").write_text(PAGES["good.md"])
    no_paths = run_pytest(tmp_path, "--infotheory", "-p", "no:cacheprovider")
    assert no_paths.returncode == 4
    assert "no mkdocs.yml" in no_paths.stderr
    named = run_pytest(tmp_path, "--infotheory", "-p", "no:cacheprovider", "notes")
    assert named.returncode == 0, named.stdout
    assert "notes/page.md ." in named.stdout  # the default preamble: entropy() is there
