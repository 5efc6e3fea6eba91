"""One option table for every host: the Markdown extension's options, names, defaults and help
texts come from the plugin's Config class; and the extension's pure pieces, unit by unit."""

from __future__ import annotations

from mkdocs_infotheory.extension import InfotheoryExtension
from mkdocs_infotheory.hosts.markdown.extension import _locate
from mkdocs_infotheory.hosts.markdown.options import NOT_SHARED, SHARED_OPTIONS, plugin_defaults
from mkdocs_infotheory.hosts.mkdocs.config import OPTION_HELP, InfotheoryConfig


def test_every_plugin_option_has_one_help_text() -> None:
    assert set(OPTION_HELP) == set(plugin_defaults())


def test_the_extension_describes_each_shared_option_with_the_plugins_text() -> None:
    extension = InfotheoryExtension()
    for name in SHARED_OPTIONS:
        assert extension.config[name][1] == OPTION_HELP[name], name
    assert set(SHARED_OPTIONS) | NOT_SHARED == set(plugin_defaults())


def test_plugin_defaults_are_a_fresh_copy_each_time() -> None:
    first = plugin_defaults()
    first["dependencies"].append("changed")
    first["macros"]["x"] = "y"
    again = plugin_defaults()
    assert again["dependencies"] == [] and again["macros"] == {}
    assert InfotheoryExtension().getConfig("dependencies") == []


def test_a_null_option_is_refused_unless_its_default_is_nothing() -> None:
    options = InfotheoryConfig()
    options.load_dict({"execute": None, "workers": None})
    errors, _warnings = options.validate()
    assert [name for name, _error in errors] == ["execute"]


def test_locate_finds_the_page_after_front_matter() -> None:
    source = "---\ntitle: T\n---\n# Title\n\nText.\n"
    assert _locate(source, "# Title\n\nText.\n") == (4, None)


def test_locate_maps_lines_when_the_text_is_not_the_files() -> None:
    source = "# Title\n\n--8<-- 'part.md'\n\nEnd.\n"
    first, lines = _locate(source, "# Title\n\nIncluded.\n\nEnd.\n")
    # The included line is blamed on the --8<-- line (3); "End." is still line 5.
    assert first == 1 and lines is not None
    assert (lines[2], lines[4]) == (3, 5)
