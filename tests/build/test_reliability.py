"""Regressions of issue 13 that need more than one build (or a special process) to show.

Single-build bad input lives in ``test_probes.py``; here: caches shared between builds and
configurations, listed data folders, headings with failing inline values, the summary line,
and the KaTeX engine under a memory limit.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.sites import Build, Site, build_environment, run_build


def summary(build: Build) -> tuple[int, int, int]:
    """(fences run, from cache, failures) from the plugin's summary line."""
    line = next(line for line in build.info() if "fences run" in line)
    match = re.search(r"(\d+) fences run, (\d+) from cache, (\d+) failures", line)
    assert match, line
    return int(match[1]), int(match[2]), int(match[3])


def outputs(build: Build, page: str = "index") -> list[str]:
    return [pre.get_text() for pre in build.article(page).select("div.language-text pre")]


# -- item 11: every file of a listed folder is part of the key ------------------------------
def test_editing_a_data_file_in_a_listed_folder_reruns_the_page(make_site) -> None:
    site: Site = make_site(plugin={"dependencies": ["data"]})
    (site.root / "data").mkdir()
    (site.root / "data" / "values.csv").write_text("p\n0.5\n")
    site.write(
        "index.md",
        '# Data\n\n```python exec="on"\nprint(open("../data/values.csv").read().split()[1])\n```\n',
    )
    first = site.build(strict=True)
    assert outputs(first) == ["0.5\n"], first.log
    assert summary(site.build(strict=True))[:2] == (0, 1)

    (site.root / "data" / "values.csv").write_text("p\n0.25\n")
    edited = site.build(strict=True)
    assert summary(edited)[:2] == (1, 0), "a CSV edit must re-run the page"
    assert outputs(edited) == ["0.25\n"]


# -- item 3: caches shared between configurations and concurrent builds ----------------------
def test_two_configurations_sharing_a_cache_keep_each_others_entries(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", '# A\n\n```python exec="on"\nprint("shared page")\n```\n')
    first = site.build(strict=True)
    assert summary(first)[:2] == (1, 0)
    # A second configuration (another preamble: other cache keys) in the same project.
    variant = dict(site.config)
    variant["plugins"] = ["search", {"infotheory": {"preamble": "import math\n"}}]
    variant["site_dir"] = "site-variant"
    (site.root / "variant.yml").write_text(yaml.safe_dump(variant))
    for _ in range(2):
        other = site.build("-f", "variant.yml", strict=True)
        assert other.returncode == 0, other.log
        again = site.build(strict=True)
        assert summary(again)[:2] == (0, 1), "the other configuration evicted this one's entry"
    assert summary(site.build("-f", "variant.yml", strict=True))[:2] == (0, 1)


def test_concurrent_builds_sharing_a_cache_do_not_disturb_each_other(make_site) -> None:
    site: Site = make_site()
    for index in range(6):
        site.write(
            f"page{index}.md",
            f'# P{index}\n\n```python exec="on"\nprint("page {index}")\n```\n\n'
            f"Formula $x_{index}^2$ and `{{python}} {index} * 7`.\n",
        )
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(site.config))
    environment = build_environment()
    for round_ in range(3):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", f"out{n}"],
                cwd=site.root,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for n in range(3)
        ]
        for process in processes:
            log, _ = process.communicate(timeout=300)
            assert process.returncode == 0, log
            assert "WARNING" not in log, log
        if round_ == 0:
            # Cold start: every build wrote entries for the same keys through its own
            # temporary files; none may be left behind, and each entry must be whole.
            exec_dir = site.root / ".cache" / "infotheory" / "exec"
            assert list(exec_dir.glob("*.tmp")) == []
            assert len(list(exec_dir.glob("[0-9a-f]*.json"))) == 6
    page = BeautifulSoup((site.root / "out2" / "page5" / "index.html").read_text(), "html.parser")
    assert "page 5" in page.get_text() and "35" in page.get_text()


# -- item 12: an inline error in a heading -------------------------------------------------
def test_failing_inline_value_in_a_heading_leaves_title_and_toc_clean(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", "# Home\n")
    site.write(
        "result.md",
        "# Result `{python} missing_name * 2`\n\nText.\n\n"
        "## Setext `{python} 1 / 0`\n\nMore.\n\n"
        "Underlined `{python} also_missing`\n---------------------\n\nEnd.\n",
    )
    build = site.build()
    assert build.returncode == 0, build.log
    html = (build.site / "result" / "index.html").read_text()
    assert (
        "fragment" not in html
        and "infotheory" not in BeautifulSoup(html, "html.parser").title.get_text()
    )
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text()
    assert "Result NameError: name 'missing_name' is not defined" in title
    toc = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--secondary a")]
    assert any("ZeroDivisionError" in entry for entry in toc), toc
    assert any("also_missing" in entry for entry in toc), toc
    h1 = soup.find("h1")
    assert h1 is not None and "NameError" in h1.get_text()
    warnings = build.warnings()
    assert any("docs/result.md:1: NameError" in w for w in warnings), warnings
    assert any("docs/result.md:5: ZeroDivisionError" in w for w in warnings), warnings
    assert any("docs/result.md:9: NameError" in w for w in warnings), warnings


# -- item 17: invalid fences are failures in the summary line -------------------------------
def test_invalid_fence_counts_as_a_failure(make_site) -> None:
    site: Site = make_site(plugin={"fail_on_error": True})
    site.write(
        "index.md",
        '# A\n\n```python exec="on" sorce="none"\nprint(1)\n```\n\n'
        '```python exec="on"\nprint("fine")\n```\n',
    )
    build = site.build()
    assert summary(build) == (1, 0, 1), build.log
    assert build.returncode == 1, "fail_on_error stops on an invalid fence too"
    assert "1 fence(s) failed" in build.log


# -- item 14: KaTeX (V8) under a memory limit ------------------------------------------------
def limit_address_space(gib: int) -> Callable[[], None]:
    def apply() -> None:
        limit = gib * 2**30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.parametrize("gib", [4, 32])
def test_build_under_a_memory_limit_fails_clearly_or_renders(make_site, gib: int) -> None:
    site: Site = make_site()
    site.write("index.md", "# Math\n\nEntropy $H(X) = -\\sum_x p(x)\\log p(x)$.\n")
    site.save_config()
    started = time.monotonic()
    done = run_build(
        [sys.executable, "-m", "mkdocs", "build"],
        site.root,
        preexec_fn=limit_address_space(gib),
    )
    log = done.log
    assert done.returncode in (0, 1), f"native crash (status {done.returncode}):\n{log[-3000:]}"
    assert "Traceback" not in log, log
    assert "partition_address_space" not in log
    if done.returncode == 1:
        assert f"{gib}.0 GiB" in log and "math: mathjax" in log, log
        assert "docs/index.md" in log
    else:
        assert (site.root / "site" / "index.html").exists()
    assert time.monotonic() - started < 120

    # The way out the message names works under the same limit.
    site.config["plugins"] = ["search", {"infotheory": {"math": "mathjax"}}]
    site.save_config()
    fallback = run_build(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        site.root,
        preexec_fn=limit_address_space(gib),
    )
    assert fallback.returncode == 0, fallback.log[-3000:]


def test_math_refusal_is_a_warning_and_strict_fails(make_site) -> None:
    site: Site = make_site()
    site.write(
        "index.md",
        "# Links\n\nSafe $\\href{https://example.org}{x}$.\n\n"
        "Unsafe $\\href{javascript:alert(1)}{y}$.\n\n$$\n\\htmlStyle{color:red}{z}\n$$\n",
    )
    plain = site.build()
    assert plain.returncode == 0
    strict = site.build(strict=True)
    assert strict.returncode == 1
    warnings = strict.warnings()
    assert any("docs/index.md:5:" in w and "javascript:alert(1)" in w for w in warnings)
    assert any("docs/index.md:8:" in w and "\\htmlStyle is not allowed" in w for w in warnings)
    article = plain.article()
    hrefs = [a.get("href", "") for a in article.find_all("a")]
    assert "https://example.org" in hrefs
    assert not any(str(h).startswith("javascript:") for h in hrefs)
    assert not any("color:red" in str(tag.get("style", "")) for tag in article.find_all(True))


def test_unknown_execute_value_is_an_error_naming_the_variable(make_site) -> None:
    site: Site = make_site()
    marker = site.root / "ran.txt"
    site.write("index.md", f'# A\n\n```python exec="on"\nopen({str(marker)!r}, "w")\n```\n')
    build = site.build(env={"MKDOCS_INFOTHEORY_EXECUTE": "disabled"})
    assert build.returncode == 1
    assert "MKDOCS_INFOTHEORY_EXECUTE='disabled'" in build.log
    assert "true, false, 1, 0, yes, no, on, off" in build.log
    assert not marker.exists(), "an unrecognised value must never execute code"
    assert "Traceback" not in build.log
    off = site.build(env={"MKDOCS_INFOTHEORY_EXECUTE": "Off"})
    assert off.returncode == 0 and not marker.exists()
    on = site.build(env={"MKDOCS_INFOTHEORY_EXECUTE": "yes"})
    assert on.returncode == 0 and marker.exists()


def test_plugin_option_out_of_range_is_a_configuration_error(make_site) -> None:
    site: Site = make_site(plugin={"timeout": float("inf")})
    site.write("index.md", "# A\n")
    build = site.build()
    assert build.returncode == 1
    assert "Plugin 'infotheory' option 'timeout'" in build.log
    assert "Traceback" not in build.log
    assert not Path(build.site / "index.html").exists()


# -- item 17: Python's own "Did you mean" reaches the warning -----------------------------------
def test_name_error_warning_keeps_pythons_suggestion(make_site) -> None:
    site: Site = make_site()
    site.write(
        "index.md",
        '# Typo\n\n```python exec="on"\nprint(kl_divergenc([0.5, 0.5], [0.9, 0.1]))\n```\n\n'
        "Inline `{python} np.arrray([1])`.\n",
    )
    build = site.build()
    warnings = build.warnings()
    assert any(
        "docs/index.md:4: NameError" in w and "Did you mean: 'kl_divergence'?" in w
        for w in warnings
    ), warnings
    assert any(
        "docs/index.md:7: AttributeError" in w and "Did you mean: 'array'?" in w for w in warnings
    ), warnings
