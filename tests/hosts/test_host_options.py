"""Every host takes the same options, checked the same way, and reports the same messages.

The MkDocs plugin's options (``plugins: - infotheory:``) and the Markdown extension's
(``markdown_extensions: - infotheory:``, Zensical's set-up) share names, defaults, ranges and
meaning; build-wide messages (damaged math cache, ``dependencies`` that name nothing) and a
KaTeX that cannot start reach the author on every host.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown
import pytest

from mkdocs_infotheory.extension import InfotheoryExtension
from mkdocs_infotheory.hosts.defaults import SettingError
from mkdocs_infotheory.hosts.markdown import SHARED_OPTIONS, ExecutionFailed
from mkdocs_infotheory.hosts.mkdocs.config import InfotheoryConfig
from tests.hosts._hosts import HOSTS, HostSite

#: Plugin options the extension does not take, and why: MathJax and Google Fonts are
#: settings of the MkDocs theme/page set-up, which a Markdown extension cannot change; a
#: Markdown extension is never handed a notebook (notebook pages are the plugin's).
PLUGIN_ONLY = {"mathjax_url", "google_fonts", "notebook_outputs"}
LONG_OUTPUT = '# Long\n\n```python exec="on"\nprint("x" * 100)\n```\n'


def _configured(host: str, root: Path, options: dict[str, Any]) -> HostSite:
    """A project giving ``options`` to infotheory the way that host is configured."""
    site = HostSite(root, host)
    if host == "zensical":
        site.config["markdown_extensions"] = [{"infotheory": options}]
    else:
        site.config["plugins"] = ["search", {"infotheory": options}]
    return site


def test_the_extension_takes_every_engine_option_of_the_plugin_with_its_default() -> None:
    plugin = dict(InfotheoryConfig._schema)
    extension = InfotheoryExtension()
    missing = set(plugin) - set(extension.config) - PLUGIN_ONLY
    assert not missing, f"plugin options the extension lacks: {sorted(missing)}"
    for name in SHARED_OPTIONS:
        assert extension.getConfig(name) == plugin[name].default, name


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("workers", 0, "from 1 to 256"),
        ("max_output", True, "expected a whole number"),
        ("timeout", float("inf"), "out of range"),
        ("timeout", 0, "from 0.001 to 86400"),
        ("timeout", float("nan"), "out of range"),
        ("timeout", "soon", "expected a number of seconds"),
        ("figure_format", "gif", "gif"),
        ("freeze", "maybe", "expected false, auto or true"),
        ("cache", "sometimes", "Expected type"),
    ],
)
def test_a_wrong_option_is_refused_as_the_plugin_refuses_it(
    option: str, value: object, expected: str
) -> None:
    with pytest.raises(SettingError, match=f"option '{option}'") as refused:
        markdown.markdown("text", extensions=[InfotheoryExtension(**{option: value})])
    assert expected in str(refused.value)


def test_max_output_and_figure_format_reach_the_engine() -> None:
    extension = InfotheoryExtension(filename="post.md", max_output=20, figure_format="png")
    plot = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"
    page = f'{LONG_OUTPUT}\n```python exec="on"\n{plot}\n```\n'
    html = markdown.Markdown(extensions=[extension]).convert(page)
    assert "x" * 20 in html and "x" * 21 not in html
    assert [str(d) for d in extension.diagnostics] == [
        "post.md:4: output truncated to max_output=20 characters"
    ]
    assert 'src="data:image/png;base64,' in html


def test_fail_on_error_stops_a_plain_markdown_call() -> None:
    page = '```python exec="on"\nraise ValueError("bad")\n```\n'
    markdown.markdown(page, extensions=[InfotheoryExtension(filename="p.md")])  # a warning only
    with pytest.raises(ExecutionFailed, match=r"p\.md:2: ValueError: bad"):
        markdown.markdown(
            page, extensions=[InfotheoryExtension(filename="p.md", fail_on_error=True)]
        )


def test_dependencies_that_name_nothing_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    extension = InfotheoryExtension(filename="p.md", dependencies=["no_such_folder/"])
    markdown.Markdown(extensions=[extension]).convert('```python exec="on"\nprint(1)\n```\n')
    assert any("no_such_folder" in d.message for d in extension.diagnostics), extension.diagnostics


@pytest.mark.slow
@pytest.mark.parametrize("host", HOSTS)
def test_max_output_given_the_hosts_way_cuts_output_and_fails_strict(
    tmp_path: Path, host: str
) -> None:
    site = _configured(host, tmp_path, {"max_output": 20})
    site.write("index.md", LONG_OUTPUT)
    build = site.build(strict=True)
    assert build.returncode == 1, build.log
    assert "docs/index.md:4: output truncated to max_output=20 characters" in build.log
    outputs = [pre.get_text() for pre in build.article().select(".infotheory-output pre")]
    assert outputs and outputs[0].strip() == "x" * 20


@pytest.mark.slow
@pytest.mark.parametrize("host", HOSTS)
def test_a_wrong_option_stops_the_build_naming_it(tmp_path: Path, host: str) -> None:
    site = _configured(host, tmp_path, {"workers": 0})
    site.write("index.md", LONG_OUTPUT)
    build = site.build()
    assert build.returncode != 0
    assert "'workers'" in build.log and "from 1 to 256" in build.log, build.log[-3000:]


@pytest.mark.slow
def test_zensical_takes_the_plugin_options_of_mkdocs_yml(tmp_path: Path) -> None:
    site = HostSite(tmp_path, "zensical", plugins=[{"infotheory": {"max_output": 20}}])
    site.write("index.md", LONG_OUTPUT)
    build = site.build()
    assert "docs/index.md:4: output truncated to max_output=20 characters" in build.log


@pytest.mark.slow
def test_zensical_reports_a_damaged_math_cache_and_fails_strict(tmp_path: Path) -> None:
    site = HostSite(tmp_path, "zensical")
    site.write("index.md", '# Math\n\n```python exec="on"\nprint(1)\n```\n\n$$\nx^2\n$$\n')
    cache = tmp_path / ".cache" / "infotheory" / "math.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json", encoding="utf-8")
    build = site.build(strict=True)
    assert build.returncode == 1, build.log
    assert "math.json" in build.log, build.log[-3000:]


_UNDER_LIMIT = """
import resource, sys
import markdown
from mkdocs_infotheory.extension import InfotheoryExtension
limit = int(sys.argv[1]) * 2**30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
extension = InfotheoryExtension(filename="post.md")
html = markdown.Markdown(extensions=[extension]).convert("Math \\\\(x^2\\\\) here.")
print("rendered" if "katex" in html else "\\n".join(str(d) for d in extension.diagnostics))
"""


def test_katex_refused_under_a_memory_limit_is_a_clear_message() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _UNDER_LIMIT, "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if done.stdout.strip() != "rendered":
        assert done.stdout.startswith("post.md:1: KaTeX cannot start"), done.stdout
        assert "ulimit -v" in done.stdout and "math: none" in done.stdout


@pytest.mark.slow
def test_results_frozen_by_zensical_serve_an_mkdocs_build_that_never_runs_code(
    tmp_path: Path,
) -> None:
    page = '# Frozen\n\n```python exec="on"\nprint(6 * 7)\n```\n'
    zensical = _configured("zensical", tmp_path, {"freeze": "auto"})
    zensical.write("index.md", page)
    assert zensical.build(strict=True).returncode == 0
    assert (tmp_path / "_freeze" / "index.md.json").is_file()
    mkdocs = _configured("mkdocs", tmp_path, {"freeze": True, "cache": False})
    build = mkdocs.build(strict=True)
    assert build.returncode == 0, build.log
    outputs = [pre.get_text().strip() for pre in build.article().select(".infotheory-output pre")]
    assert outputs == ["42"]


@pytest.mark.slow
@pytest.mark.parametrize("host", HOSTS)
def test_without_the_cache_in_another_folder_an_error_still_fails_strict(
    tmp_path: Path, host: str
) -> None:
    site = _configured(host, tmp_path, {"cache": False, "cache_dir": "build-cache"})
    site.write("index.md", '# Broken\n\n```python exec="on"\nraise ValueError("no")\n```\n')
    build = site.build(strict=True)
    assert build.returncode == 1, build.log
    assert "docs/index.md:4: ValueError: no" in build.log
    assert not (tmp_path / "build-cache" / "exec").exists()


@pytest.mark.slow
@pytest.mark.parametrize("host", HOSTS)
def test_fail_on_error_fails_the_build_without_strict(tmp_path: Path, host: str) -> None:
    site = _configured(host, tmp_path, {"fail_on_error": True})
    site.write("index.md", '# Broken\n\n```python exec="on"\nraise ValueError("no")\n```\n')
    build = site.build()
    assert build.returncode == 1, build.log
    assert "fail_on_error is set" in build.log
    site.write("index.md", '# Fixed\n\n```python exec="on"\nprint("yes")\n```\n')
    assert site.build().returncode == 0
