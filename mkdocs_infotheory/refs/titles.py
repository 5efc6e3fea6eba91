"""A page's title for hosts that do not hand one over (Zensical's site-wide label index).

The order MkDocs uses: the front matter's ``title:``, else the page's first ``<h1>``. Math in
it is read as plain text (``D_KL``), as the navigation shows it.
"""

from __future__ import annotations

from html.parser import HTMLParser


def page_title(source: str, html: str) -> str | None:
    """The title of the page whose Markdown is ``source`` and HTML ``html``."""
    title = _front_matter_title(source) or _first_heading(html)
    if not title:
        return None
    from ..math.plaintext import has_inline_math, text_of_math

    return text_of_math(title, escaped=False) if has_inline_math(title) else title


def _front_matter_title(source: str) -> str | None:
    from ..pages import front_matter

    title = front_matter(source).get("title")
    return str(title) if title else None


def _first_heading(html: str) -> str | None:
    if "<h1" not in html:
        return None
    reader = _HeadingReader()
    reader.feed(html)
    reader.close()
    return "".join(reader.text).strip() or None


class _HeadingReader(HTMLParser):
    """The text of the first ``<h1>``, without its permalink."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._depth = 0  # inside the h1
        self._skip = 0  # inside its permalink
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "h1":
            self._depth += 1
        elif self._depth and tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._done:
            return
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h1" and self._depth:
            self._depth -= 1
            self._done = not self._depth

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip and not self._done:
            self.text.append(data)
