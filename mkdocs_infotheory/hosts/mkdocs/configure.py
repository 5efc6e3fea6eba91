"""``on_config``'s changes to the site's configuration and its checks of the plugin's options
that need the whole site (the plugin's own option table is :mod:`.config`)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ..defaults import EXTENSION_NAMES
from .config import InfotheoryConfig
from .extensions import add_default_extensions
from .logs import plugin_logger
from .settings import SiteSettings

log = plugin_logger()


def adjust_config(options: InfotheoryConfig, config: MkDocsConfig) -> None:
    """Our Markdown extension out (the plugin does its work), the default extensions in, and
    Material's Google fonts off unless asked for."""
    if drop_extension(config):
        log.info(
            "mkdocs.yml: the infotheory plugin does what markdown_extensions: [infotheory] "
            "does, so the extension is left out (each fence runs once)"
        )
    if options.markdown_extensions:
        add_default_extensions(config.markdown_extensions, config.mdx_configs)
    if not options.google_fonts and _theme_name(config) == "material":
        # Material asks Google for Roboto on every page view; system fonts need no network.
        config.theme["font"] = False
        if config.repo_url and "github.com" in config.repo_url:
            log.info(
                "mkdocs.yml: repo_url makes Material's repository widget call api.github.com "
                "on every page view; leave repo_url out for pages that stay private"
            )


def check_site_options(options: InfotheoryConfig, site: SiteSettings) -> None:
    """Warn about ``dependencies`` that resolve to nothing and a ``freeze_dir`` inside the
    docs folder."""
    for problem in site.problems:
        log.warning("mkdocs.yml: plugins.infotheory.dependencies: %s", problem)
    freeze_dir = site.engine.freeze_dir
    if site.engine.freeze != "false" and freeze_dir and freeze_dir.is_relative_to(site.docs_dir):
        log.warning(
            "mkdocs.yml: plugins.infotheory.freeze_dir %s is inside docs_dir: its files "
            "would be published and every write would rebuild `mkdocs serve`; put it "
            "beside mkdocs.yml (the default _freeze)",
            options.freeze_dir,
        )


def checked_macros(options: InfotheoryConfig) -> dict[str, str]:
    """``plugins.infotheory.macros`` as TeX definitions; a value that is not one stops the
    build with what to write instead."""
    for name, definition in options.macros.items():
        if not isinstance(name, str) or not isinstance(definition, (str, int, float)):
            raise PluginError(
                f"mkdocs.yml: plugins.infotheory.macros: {name!r} must map a macro name to "
                f'its TeX definition as a string, e.g. KL: "D_{{\\mathrm{{KL}}}}"'
            )
    return {name: str(definition) for name, definition in options.macros.items()}


def drop_extension(config: MkDocsConfig) -> bool:
    """Remove our own Markdown extension from the config: the plugin runs the same code."""
    kept = [item for item in config.markdown_extensions if not _is_our_extension(item)]
    if len(kept) == len(config.markdown_extensions):
        return False
    config.markdown_extensions[:] = kept
    for name in EXTENSION_NAMES:
        config.mdx_configs.pop(name, None)
    return True


def _is_our_extension(item: object) -> bool:
    if isinstance(item, str):
        return item in EXTENSION_NAMES
    return type(item).__module__.startswith("mkdocs_infotheory.hosts.markdown")


def _theme_name(config: MkDocsConfig) -> str | None:
    return getattr(config.theme, "name", None)
