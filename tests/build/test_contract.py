"""The authoring contract (issue: foundation), checked on real MkDocs builds."""

from __future__ import annotations

import pytest
from bs4 import Tag

from mkdocs_infotheory.compute import bernoulli_entropy, entropy
from tests.sites import Build, Site

CONTRACT_PAGE = r"""
# Contract

Inline before any fence: `{python} round(float(entropy([0.25] * 4)), 6)` bits.

```python exec="on"
import sys
value = 6 * 7
print("answer", value, sep="=")
sys.stdout.write("written directly\n")
print("<script>alert('x')</script>")
```

Inline after the fence: `{python} value * 2` and escaped `{python} "<script>bad()</script>"`.

```python exec="on" source="below"
print("source below")
```

```python exec="on" source="none" result="markdown"
print("| p | H |")
print("|---|---|")
for p in (0.5, 0.9):
    print(f"| {p} | {bernoulli_entropy(p):.6f} |")
print()
print(r"\[ H_{\mathrm{generated}} = 1 \]")
```

```python exec="on" result="html"
print('<div class="raw-html-output"><em>raw</em></div>')
```

```python exec="on" result="none"
print("this must not appear")
hidden = "set by a hidden fence"
```

```python exec="on" session="other"
print("value" in globals(), "np" in globals())
```

```python exec="on" session="other"
other_name = 1
print("other-session", "other_name" in globals())
```

```python exec="on"
print("main sees other_name:", "other_name" in globals(), hidden)
```

```python
print("an ordinary fence is never run")
```

``this `{python} 1/0` is shown literally``

!!! note "Admonition"

    Inside an admonition: `{python} value + 1`

| name | value |
|---|---|
| table cell | `{python} value - 2` |

A footnote.[^1]

[^1]: Footnote value `{python} value + 3`.
"""

ISOLATION_PAGE = r"""
# Isolation

```python exec="on"
print("value" in globals())
```
"""


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("contract"))
    site.write("index.md", CONTRACT_PAGE)
    site.write("isolation.md", ISOLATION_PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    return build


def code_blocks(article: Tag, language: str) -> list[str]:
    return [div.get_text().strip() for div in article.select(f"div.language-{language} pre")]


def test_strict_build_has_no_warnings(contract: Build) -> None:
    assert contract.warnings() == []


def test_fence_output_is_captured_in_order_and_escaped(contract: Build) -> None:
    article = contract.article()
    outputs = code_blocks(article, "text")
    assert outputs[0].splitlines() == [
        "answer=42",
        "written directly",
        "<script>alert('x')</script>",
    ]
    assert not article.find("script"), "executed output must never become a script element"


def test_source_positions(contract: Build) -> None:
    article = contract.article()
    blocks = [div for div in article.find_all("div") if "highlight" in div.get("class", [])]
    texts = [div.get_text() for div in blocks]
    below = next(i for i, text in enumerate(texts) if text.strip() == "source below")
    assert 'print("source below")' in texts[below + 1]
    assert 'print("| p | H |")' not in article.get_text(), "source=none hides the code"


def test_inline_values(contract: Build) -> None:
    text = contract.article().get_text()
    assert f"{round(float(entropy([0.25] * 4)), 6)} bits" in text
    assert "84 and escaped <script>bad()</script>" in text
    assert "Inside an admonition: 43" in text
    footnotes = contract.article().select_one("div.footnote")
    assert footnotes is not None and "Footnote value 45" in footnotes.get_text()
    cells = [td.get_text() for td in contract.article().find_all("td")]
    assert "40" in cells


def test_inline_value_is_not_markup(contract: Build) -> None:
    article = contract.article()
    assert not article.find("script")
    assert len(article.select("div.admonition.note")) == 1


def test_markdown_result_is_rendered_with_page_extensions(contract: Build) -> None:
    article = contract.article()
    table = next(t for t in article.find_all("table") if "p" in t.find("tr").get_text())
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    assert rows == [[str(p), f"{bernoulli_entropy(p):.6f}"] for p in (0.5, 0.9)]
    annotations = [node.get_text() for node in article.select(".katex-display annotation")]
    assert any(r"H_{\mathrm{generated}} = 1" in text for text in annotations)


def test_html_result_is_raw(contract: Build) -> None:
    raw = contract.article().select_one("div.raw-html-output > em")
    assert raw is not None and raw.get_text() == "raw"


def test_result_none_hides_output(contract: Build) -> None:
    article = contract.article()
    # Not in any output block, whatever else the block holds; and on the page only once, in
    # the fence's displayed source (the quoted string in ``print(...)``).
    assert not any("this must not appear" in block for block in code_blocks(article, "text"))
    assert article.get_text().count("this must not appear") == 1


def test_sessions_share_within_and_isolate_between(contract: Build) -> None:
    outputs = code_blocks(contract.article(), "text")
    assert "False True" in outputs, "a new session starts from the preamble only"
    assert "other-session True" in outputs
    assert "main sees other_name: False set by a hidden fence" in outputs


def test_pages_are_isolated(contract: Build) -> None:
    outputs = code_blocks(contract.article("isolation"), "text")
    assert outputs == ["False"]


def test_ordinary_fences_and_double_backtick_spans_do_not_run(contract: Build) -> None:
    article = contract.article()
    assert 'print("an ordinary fence is never run")' in article.get_text()
    assert not any("never run" in block for block in code_blocks(article, "text"))
    assert article.get_text().count("an ordinary fence is never run") == 1
    literal = [code.get_text() for code in article.find_all("code")]
    assert "this `{python} 1/0` is shown literally" in literal


def test_minimal_config_gets_math_tables_footnotes_admonitions(make_site) -> None:
    site: Site = make_site()
    site.write(
        "index.md",
        r"""
        # Minimal

        Math \( x^2 \) and

        \[ \sum_{i=1}^n i \]

        | a | b |
        |---|---|
        | 1 | 2 |

        !!! warning "Careful"
            Text.[^n]

        ![alt](pic.png){ width="10" }
        /// caption
        A caption
        ///

        [^n]: Note.
        """,
    )
    (site.root / "docs" / "pic.png").write_bytes(b"")
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    article = build.article()
    assert article.select(".katex") and article.select(".katex-display")
    assert article.find("math") is not None, "MathML for screen readers"
    assert article.find("table") is not None
    assert article.select_one("div.admonition.warning") is not None
    assert article.select_one("div.footnote a.footnote-backref") is not None
    assert article.select_one("figure figcaption") is not None
    assert article.select_one("img[width='10']") is not None


def test_author_extension_settings_win_and_opt_out(make_site) -> None:
    site: Site = make_site(markdown_extensions=[{"toc": {"permalink": "#"}}])
    site.write("index.md", "# Title\n\n## Section\n")
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    link = build.article().select_one("h2 a.headerlink")
    assert link is not None and link.get_text() == "#"

    opted_out: Site = make_site(plugin={"markdown_extensions": False})
    opted_out.write("index.md", "# Title\n\n!!! note\n    Not an admonition.\n")
    build = opted_out.build(strict=True)
    assert build.returncode == 0, build.log
    assert build.article().select_one("div.admonition") is None


def test_preamble_option(make_site) -> None:
    site: Site = make_site(plugin={"preamble": "GREETING = 'hello from the preamble'"})
    site.write(
        "index.md", "# P\n\nValue: `{python} GREETING`; numpy: `{python} 'np' in globals()`\n"
    )
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert "Value: hello from the preamble; numpy: False" in build.article().get_text()
