"""`mkdocs serve` round trip on a free 127.0.0.1 port: edits re-run only what changed."""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests import sites

PAGE = '# Served\n\n```python exec="on"\nimport helpers\nprint("{word}", helpers.VALUE)\n```\n'
#: A second page that reads a data file of a listed folder (every file in it is watched and
#: hashed, not only Python).
OTHER = (
    '# Other\n\n```python exec="on"\nprint("csv", open("../data/values.csv").read().strip())\n```\n'
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Callable[[], str]]]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "helpers.py").write_text("VALUE = 1\n")
    (tmp_path / "docs" / "index.md").write_text(PAGE.format(word="first"))
    (tmp_path / "docs" / "other.md").write_text(OTHER)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "values.csv").write_text("0.5")
    config = {
        "site_name": "Serve",
        "theme": {"name": "material"},
        "plugins": ["search", {"infotheory": {"dependencies": ["helpers.py", "data"]}}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    with sites.served(tmp_path) as (url, log):
        yield tmp_path, url, log


def output_text(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            html = response.read().decode()
    except OSError:
        return None
    article = BeautifulSoup(html, "html.parser").find("article")
    pre = article.select_one("div.language-text pre") if article else None
    failure = article.select_one("div.admonition.failure") if article else None
    return (pre.get_text() if pre else "") + (failure.get_text() if failure else "")


def wait_for(url: str, predicate: Callable[[str], bool], log: Callable[[], str]) -> str:
    deadline = time.monotonic() + 60
    last = None
    while time.monotonic() < deadline:
        last = output_text(url)
        if last is not None and predicate(last):
            return last
        time.sleep(0.3)
    pytest.fail(f"page never matched; last output {last!r}; serve log:\n{log()}")


def summaries(log: str) -> list[tuple[int, int]]:
    """(fences run, from cache) of every build so far, from the plugin's summary lines."""
    return [
        (int(run), int(cached))
        for run, cached in re.findall(r"(\d+) fences run, (\d+) from cache", log)
    ]


def wait_for_summaries(count: int, log: Callable[[], str]) -> list[tuple[int, int]]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = summaries(log())
        if len(found) >= count:
            return found
        time.sleep(0.3)
    pytest.fail(f"fewer than {count} builds; serve log:\n{log()}")


def test_serve_round_trip(served: tuple[Path, str, Callable[[], str]]) -> None:
    root, url, log = served
    assert wait_for(url, lambda t: "first 1" in t, log)
    assert wait_for(url + "other/", lambda t: "csv 0.5" in t, log)
    assert summaries(log())[0] == (2, 0)

    (root / "docs" / "index.md").write_text(PAGE.format(word="second"))
    wait_for(url, lambda t: "second 1" in t, log)
    # Only the edited page ran again; the other one came from the cache.
    assert wait_for_summaries(2, log)[-1] == (1, 1), log()

    (root / "data" / "values.csv").write_text("0.25")
    wait_for(url + "other/", lambda t: "csv 0.25" in t, log)

    (root / "helpers.py").write_text("VALUE = 2\n")
    wait_for(url, lambda t: "second 2" in t, log)

    (root / "docs" / "index.md").write_text('# Served\n\n```python exec="on"\n1/0\n```\n')
    wait_for(url, lambda t: "ZeroDivisionError" in t, log)

    (root / "docs" / "index.md").write_text(PAGE.format(word="recovered"))
    wait_for(url, lambda t: "recovered 2" in t, log)
    assert "docs/index.md:4: ZeroDivisionError" in log()
    assert "Traceback" not in log(), "author errors never crash the server"
