"""A pandas table as the theme's own table: the cells and their structure, nothing else.

pandas writes ``border="1" class="dataframe"``, ``style="text-align: right;"`` and (for a
Styler, or in a notebook) a ``<style>`` block: attributes that fight the theme (a light
border, no dark variant) and keep Material from recognising a content table (it styles and
scrolls ``table:not([class])``). What is kept: the table elements, ``colspan``/``rowspan``
(a MultiIndex spans cells), and ``scope`` on header cells so a screen reader knows which
header a value belongs to. Text is escaped again on the way out.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_ELEMENTS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
_SPANS = ("colspan", "rowspan")


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._depth = 0  # inside how many kept <table>s
        self._section = ""
        self._skip = 0  # inside <style>/<script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
            return
        if tag not in _ELEMENTS or (tag != "table" and not self._depth):
            return
        if tag == "table":
            self._depth += 1
        if tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        kept = [
            f' {name}="{html.escape(value or "")}"'
            for name, value in attrs
            if name in _SPANS and (value or "").isdigit()
        ]
        if tag == "th":
            kept.append(' scope="col"' if self._section == "thead" else ' scope="row"')
        self.parts.append(f"<{tag}{''.join(kept)}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
            return
        if tag not in _ELEMENTS or not self._depth:
            return
        self.parts.append(f"</{tag}>")
        if tag == "table":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip and data.strip():
            self.parts.append(html.escape(data, quote=False))


def clean_table(markup: str) -> str:
    """The tables of ``markup`` (pandas' HTML) without attributes, styles or anything else."""
    cleaner = _Cleaner()
    cleaner.feed(markup)
    cleaner.close()
    return "".join(cleaner.parts)
