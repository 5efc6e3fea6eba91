"""Everything the adapter knows about Zensical's internals, in one place.

Zensical has no plugin API for what the extension needs, so it reads these internals:

- the page being rendered: Zensical puts a ``ContextPreprocessor`` (its
  ``zensical.extensions.context``) into every page's ``Markdown``, whose ``page.path`` is the
  docs-relative path and whose ``config`` is Zensical's parsed configuration (``root_dir``,
  ``docs_dir``, ``markdown_extensions``, ``mdx_configs``, ``use_directory_urls``). It is found
  by class name, so a plain Markdown call never imports Zensical;
- the command: ``zensical serve``, ``build --strict`` and ``build --clean`` are read from
  ``sys.argv`` (Zensical tells an extension neither);
- the exit code: Zensical ignores an extension's warnings and exits 0, but it runs Python's
  ``atexit`` handlers after the build, and ``os._exit`` from one sets the process's exit code.

:data:`TESTED` is the Zensical version this was checked against; ``tests/hosts/test_compat.py``
fails when another is installed, as a reminder to check this module again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from markdown import Markdown

#: Zensical versions this module was checked against.
TESTED: tuple[str, ...] = ("0.0.73",)

_CONTEXT_CLASS = "ContextPreprocessor"


def context(md: Markdown) -> Any:
    """Zensical's rendering context of ``md`` (None outside Zensical)."""
    for processor in md.preprocessors:
        if type(processor).__name__ == _CONTEXT_CLASS and hasattr(processor, "page"):
            return processor
    return None


def site_config(md: Markdown) -> dict[str, Any] | None:
    """Zensical's parsed configuration, when ``md`` renders one of its pages."""
    config = getattr(context(md), "config", None)
    return config if isinstance(config, dict) else None


def project_folders(config: dict[str, Any]) -> tuple[Path, Path]:
    """The project folder (of the configuration file) and the docs folder, resolved."""
    root = Path(config.get("root_dir") or ".").resolve()
    return root, (root / Path(config.get("docs_dir") or "docs")).resolve()


def markdown_setup(config: dict[str, Any]) -> tuple[list[Any], dict[str, Any], bool]:
    """The project's Markdown extensions, their settings, and ``use_directory_urls``."""
    return (
        list(config.get("markdown_extensions") or []),
        dict(config.get("mdx_configs") or {}),
        bool(config.get("use_directory_urls", True)),
    )


def page_path(md: Markdown) -> str | None:
    """The docs-relative path of the page ``md`` renders (None outside Zensical)."""
    path = getattr(getattr(context(md), "page", None), "path", None)
    return str(path) if path else None


def serving() -> bool:
    """``zensical serve``: runs until stopped, so messages are printed as pages render."""
    return "serve" in sys.argv[1:2]


def cleaning() -> bool:
    """``zensical build --clean``: Zensical renders every page again."""
    return any(arg in ("--clean", "-c") for arg in sys.argv[1:])


def strict() -> bool:
    """``zensical build --strict``."""
    return any(arg in ("--strict", "-s") for arg in sys.argv[1:])


def exit_now(code: int) -> NoReturn:
    """End the process with ``code``, the only way to set Zensical's exit code from Python
    (raising from a page is a traceback; from an ``atexit`` handler it is ignored)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
