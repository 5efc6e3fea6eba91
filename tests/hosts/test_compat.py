"""The private parts of each host the adapters read, pinned to the versions they were checked
against. When one of these tests fails after an upgrade, re-check the named compat module
(and this test's expectations) against the new version before changing the pin."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import markdown
import pytest

from mkdocs_infotheory.hosts.markdown import compat as markdown_compat
from mkdocs_infotheory.hosts.zensical import compat as zensical_compat


def test_zensical_is_the_version_compat_was_checked_against() -> None:
    installed = importlib.metadata.version("zensical")
    assert installed in zensical_compat.TESTED, (
        f"zensical {installed} is installed; mkdocs_infotheory/hosts/zensical/compat.py was "
        f"checked against {zensical_compat.TESTED}: re-check it (rendering context, argv, "
        "exit code), then add the version to TESTED"
    )


def test_markdown_is_the_series_compat_was_checked_against() -> None:
    installed = importlib.metadata.version("markdown")
    series = ".".join(installed.split(".")[:2])
    assert series in markdown_compat.TESTED, (
        f"Python-Markdown {installed} is installed; mkdocs_infotheory/hosts/markdown/compat.py "
        f"was checked against {markdown_compat.TESTED}: re-check Registry._data, then add "
        "the series to TESTED"
    )


def test_zensical_compat_finds_the_page_in_zensicals_own_rendering_context() -> None:
    from zensical.extensions.context import ContextExtension, Page

    config = {"root_dir": "/project", "docs_dir": "docs"}
    md = markdown.Markdown(
        extensions=[ContextExtension(page=Page(url="sub/page/", path="sub/page.md"), config=config)]
    )
    assert zensical_compat.page_path(md) == "sub/page.md"
    assert zensical_compat.site_config(md) is config
    bare = markdown.Markdown()
    assert zensical_compat.page_path(bare) is None
    assert zensical_compat.site_config(bare) is None


@pytest.mark.parametrize(
    ("argv", "serving", "cleaning", "strict"),
    [
        (["zensical", "build"], False, False, False),
        (["zensical", "build", "--strict", "--clean"], False, True, True),
        (["zensical", "build", "-s", "-c"], False, True, True),
        (["zensical", "serve"], True, False, False),
    ],
)
def test_zensical_commands_are_read_from_argv(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], serving: bool, cleaning: bool, strict: bool
) -> None:
    monkeypatch.setattr(sys, "argv", argv)
    assert (zensical_compat.serving(), zensical_compat.cleaning(), zensical_compat.strict()) == (
        serving,
        cleaning,
        strict,
    )


def test_markdown_compat_tells_a_registered_extension_from_a_missing_one() -> None:
    md = markdown.Markdown(extensions=["footnotes"])
    assert markdown_compat.present(md, "footnotes")
    assert not markdown_compat.present(md, "admonition")
    assert ("pre", "normalize_whitespace") in markdown_compat.processor_names(md)


def test_zensical_compat_reads_zensicals_own_parsed_configuration(tmp_path: Path) -> None:
    from zensical.config import parse_config

    (tmp_path / "pages").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Compat\ndocs_dir: pages\nuse_directory_urls: false\n"
        "markdown_extensions:\n  - footnotes\n  - toc:\n      permalink: true\n",
        encoding="utf-8",
    )
    config = parse_config(str(tmp_path / "mkdocs.yml"))
    root, docs = zensical_compat.project_folders(config)
    assert (root, docs) == (tmp_path.resolve(), (tmp_path / "pages").resolve())
    extensions, settings, directory_urls = zensical_compat.markdown_setup(config)
    assert "footnotes" in extensions and settings["toc"]["permalink"] is True
    assert directory_urls is False
