"""The plain Python-Markdown API as a host: `markdown.markdown(text, extensions=["infotheory"])`."""

from __future__ import annotations

import math

import markdown
from bs4 import BeautifulSoup

from mkdocs_infotheory.extension import InfotheoryExtension

TEXT = """\
# Generic host

Entropy of a fair die: `{python} f"{entropy(np.full(6, 1 / 6)):.4f}"` bits.

```python exec="on"
print(sum(range(10)))
```

Math \\( \\log_2 6 \\) and a footnote.[^a]

!!! note "Kept"
    Admonitions come with the defaults.

[^a]: Footnote text.
"""


def test_entry_point_name_runs_code_and_renders_math_without_more_set_up() -> None:
    html = markdown.markdown(TEXT, extensions=["infotheory"])
    soup = BeautifulSoup(html, "html.parser")
    assert f"{math.log2(6):.4f} bits" in soup.get_text()
    assert any(pre.get_text().strip() == "45" for pre in soup.select("pre"))
    assert soup.select(".katex .katex-mathml math")
    assert soup.select(".footnote li") and soup.select(".admonition.note")
    style = soup.select_one("style.infotheory-katex")
    assert style is not None and "KaTeX_Main" in style.get_text()
    assert "url(fonts/" not in style.get_text(), "fonts must be inline, not files the page lacks"


def test_dotted_name_reports_errors_on_the_extension() -> None:
    extension = InfotheoryExtension(filename="post.md")
    page = 'Intro\n\n```python exec="on"\nraise RuntimeError("no")\n```\n'
    markdown.Markdown(extensions=[extension]).convert(page)
    assert [str(d) for d in extension.diagnostics] == ["post.md:4: RuntimeError: no"]
    html = markdown.markdown(page, extensions=["mkdocs_infotheory.extension"])
    box = BeautifulSoup(html, "html.parser").select_one(".infotheory-failure .admonition-title")
    assert box is not None and box.get_text() == "RuntimeError at <markdown>:4"


def test_author_settings_of_a_default_extension_win() -> None:
    html = markdown.markdown(
        "# Heading\n",
        extensions=["infotheory", "toc"],
        extension_configs={"toc": {"permalink": "#", "permalink_class": "mine"}},
    )
    link = BeautifulSoup(html, "html.parser").select_one("h1 a")
    assert link is not None and link.get("class") == ["mine"] and link.get_text() == "#"
