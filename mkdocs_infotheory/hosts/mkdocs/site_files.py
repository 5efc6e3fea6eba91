"""Files the plugin adds to every site (stylesheets, scripts), copied from the package."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ASSETS = Path(__file__).resolve().parent / "assets"
#: Site-relative path of the plugin's own stylesheet (output blocks, plots, inline errors).
STYLESHEET = "assets/infotheory/infotheory.css"
#: ... and of its one script (keyboard access to code blocks that scroll, previews of
#: references; nothing for math).
SCRIPT = "assets/infotheory/infotheory.js"
#: Every file the plugin adds to every site, whatever its math mode.
SITE_FILES = ((ASSETS / "infotheory.css", STYLESHEET), (ASSETS / "infotheory.js", SCRIPT))


def add_files(files: Files, config: MkDocsConfig, assets: Iterable[tuple[Path, str]]) -> None:
    """Add ``(source file, site-relative destination)`` pairs to the build, once each."""
    for source, destination in assets:
        if files.get_file_from_path(destination) is None:
            files.append(File.generated(config, destination, abs_src_path=str(source)))


def link_stylesheets(config: MkDocsConfig, stylesheets: Iterable[str]) -> None:
    for stylesheet in stylesheets:
        if stylesheet not in config.extra_css:
            config.extra_css.append(stylesheet)


def link_scripts(config: MkDocsConfig, scripts: Iterable[str]) -> None:
    present = {str(script) for script in config.extra_javascript}
    for script in scripts:
        if script not in present:
            config.extra_javascript.append(script)
