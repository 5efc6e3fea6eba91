"""The Zensical adapter's site-wide label index, unit by unit (before: only through builds)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from mkdocs_infotheory.hosts.markdown.extension import add_default_extensions
from mkdocs_infotheory.hosts.zensical.site_labels import SiteLabels, page_url

HOME = "# Home\n\n$$\nx = 1 \\label{eq-a}\n$$\n\n$$\nz = 3 \\label{eq-b}\n$$\n"
OTHER = """\
---
title: Other
---
# Other

See @eq-b and @eq-a.

$$
y = 2 \\label{eq-a}
$$

```python exec="on" label="fig-plot" caption="A plot"
raise RuntimeError("never run while labels are collected")
```
"""


@pytest.mark.parametrize(
    ("path", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("sub/index.md", True, "sub/"),
        ("sub/page.md", True, "sub/page/"),
        ("sub/page.md", False, "sub/page.html"),
        ("index.md", False, "index.html"),
    ],
)
def test_page_url_is_the_site_url_of_a_page(path: str, directory_urls: bool, url: str) -> None:
    assert page_url(path, directory_urls) == url


def _labels(tmp_path: Path) -> SiteLabels:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "other.md").write_text(OTHER, encoding="utf-8")
    (docs / "index.md").write_text(HOME, encoding="utf-8")
    return SiteLabels(docs, [], {}, True, add_default_extensions, lambda name: False, tmp_path)


def test_every_page_is_numbered_without_running_code(tmp_path: Path) -> None:
    labels = _labels(tmp_path)
    assert labels.urls == {"index.md": "", "sub/other.md": "sub/other/"}
    found = {name: (t.page, t.kind, t.number) for name, t in labels.index.targets.items()}
    # index.md comes first in MkDocs' order, so it keeps eq-a; the fence is a numbered figure.
    assert found == {
        "eq-a": ("index.md", "eq", "1"),
        "eq-b": ("index.md", "eq", "2"),
        "fig-plot": ("sub/other.md", "fig", "1"),
    }


def test_a_page_resolves_against_the_site_and_its_own_labels_first(tmp_path: Path) -> None:
    labels = _labels(tmp_path)
    md = markdown.Markdown(
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    html = md.convert(OTHER.split("---\n", 2)[2])
    numbered = labels.process(html, "sub/other.md")
    links = {
        a.get_text(): a["href"]
        for a in BeautifulSoup(numbered.html, "html.parser").select("a.infotheory-ref")
    }
    assert links == {"Equation\xa0(2) in Home": "../index.md#eq-b", "Equation\xa0(1)": "#eq-a"}
    assert [p.message for p in numbered.problems] == [
        "duplicate label 'eq-a' (first defined in docs/index.md)"
    ]
