"""The Python-Markdown adapter renders the same results without MkDocs."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from mkdocs_infotheory.extension import InfotheoryExtension

TEXT = """# Post

```python exec="on"
print("<i>escaped</i>")
```

```python exec="on" result="html"
print('<div class="raw">raw</div>')
```

Value `{python} bernoulli_entropy(0.5)`.

```python exec="on"
1/0
```
"""


def test_extension_executes_and_reports() -> None:
    extension = InfotheoryExtension(filename="post.md")
    html = markdown.markdown(TEXT, extensions=["pymdownx.superfences", extension])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("i") is None
    assert "<i>escaped</i>" in soup.get_text()
    assert soup.select_one("div.raw").get_text() == "raw"
    assert "Value 1.0." in soup.get_text()
    assert soup.select_one("div.admonition.failure") is not None
    (diagnostic,) = extension.diagnostics
    assert (diagnostic.path, diagnostic.line) == ("post.md", 14)
    assert "ZeroDivisionError" in diagnostic.message


def test_extension_loads_by_name() -> None:
    html = markdown.markdown("A `{python} 6 * 7`.", extensions=["mkdocs_infotheory.extension"])
    assert BeautifulSoup(html, "html.parser").get_text() == "A 42."
