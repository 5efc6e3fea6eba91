"""Fixtures for the build-time math tests: a real KaTeX renderer and real arithmatex HTML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import markdown
import pytest
from pymdownx.arithmatex import arithmatex_fenced_format

from mkdocs_infotheory.math import KatexRenderer


@pytest.fixture(scope="session")
def renderer() -> KatexRenderer:
    return KatexRenderer()


MarkdownToHtml = Callable[..., str]


@pytest.fixture
def md() -> MarkdownToHtml:
    """Markdown -> HTML exactly as a site using arithmatex's generic mode produces it."""

    def convert(source: str, **arithmatex: Any) -> str:
        config = {"generic": True, **arithmatex}
        fence = {
            "name": "math",
            "class": "arithmatex",
            "format": arithmatex_fenced_format(mode="generic" if config["generic"] else "mathjax"),
        }
        return markdown.markdown(
            source,
            extensions=["pymdownx.arithmatex", "pymdownx.superfences", "md_in_html"],
            extension_configs={
                "pymdownx.arithmatex": config,
                "pymdownx.superfences": {"custom_fences": [fence]},
            },
        )

    return convert
