"""KaTeX's stylesheet for hosts where the plugin cannot add files to the site (Zensical).

Why inline: a Python-Markdown extension only sees one page's Markdown and returns its HTML.
Files it writes into ``site/`` are deleted by Zensical's next build whenever the pages come
from its page cache (the extension is then not called at all), and files written into
``docs/`` would land in the author's sources. A ``<style>`` element in the page itself always
travels with the page, cached or not, and needs no request to any host.

To keep pages small, only the ``@font-face`` rules of the KaTeX font families the page's math
actually uses are embedded (as ``data:`` URIs of the woff2 files). KaTeX_Main (the default
face) is always included; the others are chosen from the CSS rules whose classes appear in
the page's math markup.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from .assets import KATEX_DIR, OWN_CSS_FILE

_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
_FAMILY = re.compile(r"font-family:\s*([^;}]+)")
_WOFF2 = re.compile(r"url\(fonts/([^)]+\.woff2)\)")
_RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")
_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
_DEFAULT_FAMILY = "KaTeX_Main"


@lru_cache(maxsize=2)
def _katex_css(
    katex_dir: Path = KATEX_DIR,
) -> tuple[str, dict[str, list[str]], dict[str, set[str]]]:
    """KaTeX's CSS without its font faces; the faces per family (fonts as data: URIs); and, per
    family, the class names whose rules select it."""
    css = (katex_dir / "katex.min.css").read_text(encoding="utf-8")
    faces: dict[str, list[str]] = {}
    for face in _FONT_FACE.findall(css):
        family = _FAMILY.search(face)
        woff2 = _WOFF2.search(face)
        if not family or not woff2:
            continue
        data = base64.b64encode((katex_dir / "fonts" / woff2[1]).read_bytes()).decode("ascii")
        source = f'src:url(data:font/woff2;base64,{data}) format("woff2")'
        declarations = re.sub(r"src:[^;}]*", source, face)
        faces.setdefault(family[1].strip().strip("\"'"), []).append(declarations)
    rest = _FONT_FACE.sub("", css)
    selectors: dict[str, set[str]] = {}
    for selector, body in _RULE.findall(rest):
        family = _FAMILY.search(body)
        if family:
            names = set(re.findall(r"\.([\w-]+)", selector)) - {"katex"}
            for name in family[1].split(","):
                selectors.setdefault(name.strip().strip("\"'"), set()).update(names)
    return rest, faces, selectors


def page_stylesheet(html: str, katex_dir: Path = KATEX_DIR) -> str:
    """A ``<style>`` element with what ``html``'s rendered math needs, or "" if it has none."""
    if 'class="katex' not in html:
        return ""
    rest, faces, selectors = _katex_css(katex_dir)
    used = {name for value in _CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    families = [_DEFAULT_FAMILY] + [
        family
        for family, names in sorted(selectors.items())
        if family != _DEFAULT_FAMILY and names & used
    ]
    font_faces = "".join(face for family in families for face in faces.get(family, []))
    return f'<style class="infotheory-katex">{font_faces}{rest}\n{_own_css()}</style>'


@lru_cache(maxsize=1)
def _own_css() -> str:
    """Our math stylesheet, read once per process (it goes into every page with math)."""
    return OWN_CSS_FILE.read_text(encoding="utf-8")
