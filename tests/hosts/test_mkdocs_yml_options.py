"""On Zensical the extension reads ``plugins: - infotheory:`` of mkdocs.yml with MkDocs' own
loader (``!ENV``, ``INHERIT``, ``!relative``), and an option it cannot read stops the build
naming it, never a silent default (issue 17, item 7)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import markdown
import pytest

from mkdocs_infotheory.hosts.defaults import SettingError
from mkdocs_infotheory.hosts.zensical.options import plugin_options
from tests.hosts._hosts import host_command
from tests.sites import Build, run_build

VARIABLE = "INFOTHEORY_TEST_OPTION_VALUE"
RAN = '# Page\n\n```python exec="on"\nprint("ran" + "-here")\n```\n'


def _project(root: Path, mkdocs_yml: str, page: str = RAN) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent(mkdocs_yml).lstrip(), encoding="utf-8")
    return root


def _zensical(root: Path, env: dict[str, str] | None = None) -> Build:
    return run_build(host_command("zensical", "--strict"), root, env=env, timeout=600)


BLOCK = """
site_name: Options
markdown_extensions:
  - infotheory
plugins:
  - infotheory:
      {option}
"""


# -- reading (unit) ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "environment", "expected"),
    [
        ("execute: !ENV [{var}, false]", None, {"execute": False}),
        ("execute: !ENV [{var}, false]", "true", {"execute": True}),
        ("timeout: !ENV [{var}, 12]", None, {"timeout": 12}),
        ("timeout: !ENV [{var}, 12]", "2.5", {"timeout": 2.5}),
    ],
)
def test_env_tags_read_as_mkdocs_reads_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    environment: str | None,
    expected: dict[str, object],
) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    if environment is not None:
        monkeypatch.setenv(VARIABLE, environment)
    _project(tmp_path, BLOCK.format(option=option.format(var=VARIABLE)))
    assert plugin_options(tmp_path) == expected


def test_inherit_brings_the_parents_block(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "plugins:\n  - infotheory:\n      max_output: 20\n", encoding="utf-8"
    )
    _project(tmp_path, "INHERIT: base.yml\nsite_name: Child\n")
    assert plugin_options(tmp_path) == {"max_output": 20}


def test_relative_config_dir_is_a_path(tmp_path: Path) -> None:
    _project(tmp_path, BLOCK.format(option="cache_dir: !relative $config_dir/build-cache"))
    assert plugin_options(tmp_path) == {"cache_dir": str(tmp_path / "build-cache")}


def test_a_file_mkdocs_cannot_read_is_an_error_not_defaults(tmp_path: Path) -> None:
    _project(tmp_path, BLOCK.format(option="execute: !NoSuchTag false"))
    with pytest.raises(SettingError, match=r"mkdocs\.yml cannot be read"):
        plugin_options(tmp_path)


def test_a_missing_inherited_file_is_an_error(tmp_path: Path) -> None:
    _project(tmp_path, "INHERIT: missing.yml\nsite_name: Child\n")
    with pytest.raises(SettingError, match=r"missing\.yml"):
        plugin_options(tmp_path)


def test_a_block_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    _project(tmp_path, "plugins:\n  - infotheory: [1, 2]\n")
    with pytest.raises(SettingError, match=r"plugins\.infotheory: expected a mapping"):
        plugin_options(tmp_path)


def test_a_value_that_reads_as_nothing_is_refused_by_the_option_table() -> None:
    """An ``!ENV`` with neither the variable nor a default reads as null: the Config class
    refuses it, naming the option by its place in mkdocs.yml."""
    from mkdocs_infotheory.hosts.mkdocs.settings import validated_options

    with pytest.raises(SettingError, match=r"mkdocs\.yml: plugins\.infotheory\.execute: "):
        validated_options(
            {"execute": None}, "mkdocs.yml's plugin", "mkdocs.yml: plugins.infotheory"
        )


def test_a_plain_markdown_call_reads_no_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, BLOCK.format(option="execute: !NoSuchTag false")))
    html = markdown.markdown(RAN, extensions=["infotheory"])
    assert "ran-here" in html


# -- real builds -------------------------------------------------------------------------
def _ran(build: Build) -> bool:
    outputs = [pre.get_text() for pre in build.article().select(".infotheory-output pre")]
    return any("ran-here" in text for text in outputs)


@pytest.mark.slow
def test_execute_env_false_runs_nothing_on_zensical(tmp_path: Path) -> None:
    option = f"execute: !ENV [{VARIABLE}, false]"
    _project(tmp_path, BLOCK.format(option=option))
    off = _zensical(tmp_path)
    assert off.returncode == 0, off.log[-3000:]
    assert not _ran(off), "code ran although mkdocs.yml turned execution off"
    on = _zensical(tmp_path, env={VARIABLE: "true"})
    assert on.returncode == 0, on.log[-3000:]


@pytest.mark.slow
def test_execute_env_true_runs_on_zensical(tmp_path: Path) -> None:
    _project(tmp_path, BLOCK.format(option=f"execute: !ENV [{VARIABLE}, false]"))
    build = _zensical(tmp_path, env={VARIABLE: "true"})
    assert build.returncode == 0, build.log[-3000:]
    assert _ran(build)


@pytest.mark.slow
def test_timeout_env_reaches_the_engine_on_zensical(tmp_path: Path) -> None:
    page = '# Slow\n\n```python exec="on"\nimport time\ntime.sleep(5)\n```\n'
    _project(tmp_path, BLOCK.format(option=f"timeout: !ENV [{VARIABLE}, 12]"), page)
    build = _zensical(tmp_path, env={VARIABLE: "1"})
    assert build.returncode == 1, build.log[-3000:]
    assert "docs/index.md:4" in build.log and "longer than 1 s" in build.log, build.log[-3000:]


@pytest.mark.slow
def test_inherited_options_reach_zensical(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "plugins:\n  - infotheory:\n      max_output: 20\n", encoding="utf-8"
    )
    page = '# Long\n\n```python exec="on"\nprint("x" * 100)\n```\n'
    _project(
        tmp_path,
        "INHERIT: base.yml\nsite_name: Child\nmarkdown_extensions:\n  - infotheory\n",
        page,
    )
    build = _zensical(tmp_path)
    assert build.returncode == 1, build.log[-3000:]
    assert "docs/index.md:4: output truncated to max_output=20 characters" in build.log


@pytest.mark.slow
def test_an_unreadable_option_stops_zensical_naming_it_once(tmp_path: Path) -> None:
    _project(tmp_path, BLOCK.format(option=f"execute: !ENV {VARIABLE}"))
    (tmp_path / "docs" / "other.md").write_text("# Other\n", encoding="utf-8")
    build = run_build(host_command("zensical"), tmp_path, timeout=600)  # without --strict
    assert build.returncode != 0, build.log[-3000:]
    named = [line for line in build.log.splitlines() if "plugins.infotheory.execute" in line]
    assert len(named) == 1, build.log[-3000:]
    assert named[0].startswith("ERROR") and "mkdocs.yml: plugins.infotheory.execute" in named[0]
    assert "Traceback" not in build.log
    assert not (tmp_path / "site" / "index.html").exists() or not _ran(build)


@pytest.mark.slow
@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_an_env_option_without_a_value_is_refused_on_every_host(tmp_path: Path, host: str) -> None:
    """MkDocs alone would read ``execute: !ENV X`` (X unset) as the default, true: code would
    run although the author wrote a switch to turn it off."""
    extension = "markdown_extensions:\n  - infotheory\n" if host == "zensical" else ""
    plugins = "  - search\n" if host == "mkdocs" else ""
    _project(
        tmp_path,
        f"site_name: Env\n{extension}plugins:\n{plugins}  - infotheory:\n"
        f"      execute: !ENV {VARIABLE}\n",
    )
    build = run_build(host_command(host), tmp_path, timeout=600)
    assert build.returncode != 0, build.log[-3000:]
    assert "execute" in build.log and "no value" in build.log, build.log[-3000:]
    assert not (tmp_path / "site" / "index.html").exists() or not _ran(build)
