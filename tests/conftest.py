from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.sites import Site


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """``make_site(plugin={...}, **mkdocs_config)``: a scratch project in ``tmp_path``."""
    counter = iter(range(1000))

    def factory(plugin: dict[str, Any] | None = None, **config: Any) -> Site:
        return Site(tmp_path / f"site{next(counter)}", plugin, **config)

    return factory
