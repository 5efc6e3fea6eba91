"""Executed output never includes a file, and fences are code unless ``exec`` is true, on
every host (MkDocs, ProperDocs and Zensical 0.0.73): the hosts run ``pymdownx.snippets`` at
different moments (the plugin rewrites the page before Python-Markdown's preprocessors; the
extension runs after the snippets preprocessor), so each is built for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts._hosts import HOSTS, HostSite

pytestmark = pytest.mark.slow

SECRET = "hunter2-s3cret-of-the-env-file"

PAGE = """
# Output is data

Before the fences.

```python exec="on" result="markdown"
print('--8<-- ".env"')
print()
print('--8<--')
print('.env')
print('--8<--')
```

```python exec="on"
print('--8<-- ".env"')
```

```python exec="on" result="markdown"
print('--8<--')
```

.env

After the fences.
"""

EXEC_VALUES = """
# Code blocks

```python exec="off"
print("RAN-OFF")
```

## Second section

Text of the second section.

```python exec="maybe"
print("RAN-MAYBE")
```

## Third section

Text of the third section.
"""


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _article(root: Path) -> BeautifulSoup:
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    assert article is not None
    return BeautifulSoup(str(article), "html.parser")


def test_executed_output_never_includes_a_file(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.config["markdown_extensions"] = [
        {"pymdownx.snippets": {"base_path": [".", "docs"]}},
        *site.config.get("markdown_extensions", []),
    ]
    (tmp_path / ".env").write_text(f"SECRET={SECRET}\n", encoding="utf-8")
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    leaked = [
        path.relative_to(tmp_path).as_posix()
        for path in (tmp_path / "site").rglob("*")
        if path.is_file() and SECRET.encode() in path.read_bytes()
    ]
    assert leaked == [], f"{host} published the secret in {leaked}"
    text = _article(tmp_path).get_text()
    assert "Before the fences." in text and "After the fences." in text
    assert '--8<-- ".env"' in text, "the output is not shown as printed"


def test_fences_are_code_unless_exec_is_true(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", EXEC_VALUES)
    build = site.build(strict=True)
    assert build.returncode == 1, build.log  # the unknown value is a warning
    lines = EXEC_VALUES.lstrip("\n").splitlines()
    maybe, off = (1 + next(i for i, t in enumerate(lines) if w in t) for w in ("maybe", "off"))
    assert f"docs/index.md:{maybe}: invalid fence: exec='maybe' is neither true" in build.log
    assert f"docs/index.md:{off}:" not in build.log, "exec=off is not worth a warning"
    article = _article(tmp_path)
    blocks = [b.get_text() for b in article.select("div.highlight pre")]
    assert any('print("RAN-OFF")' in b for b in blocks), blocks
    assert any('print("RAN-MAYBE")' in b for b in blocks), blocks
    assert not any(b.strip() in ("RAN-OFF", "RAN-MAYBE") for b in blocks), "a fence ran"
    headings = [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")]
    assert headings == ["Second section", "Third section"], headings
    text = article.get_text()
    assert "Text of the second section." in text and "Text of the third section." in text
