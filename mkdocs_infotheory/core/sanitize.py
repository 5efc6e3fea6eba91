"""The one check every result passes before it is rendered: fresh, cached and frozen alike.

Why one check at one point: a result read back from the cache or from a frozen file (which
arrives in a pull request, where reviewers read JSON, not HTML) is exactly as trustworthy as
what the page printed, and anything that is published unchecked on one path is an injection on
every path. The figure markup is the dangerous part, since it is inserted as HTML:

- PNG data must be strict base64 (alphabet and padding only) of bytes that start with the PNG
  signature, so it cannot leave the ``src`` attribute it is put in;
- SVG must parse as XML (no document type, entities, CDATA or processing instructions, so the
  HTML parser reading it later sees the same tree) and contain no script, no
  ``foreignObject``, no event-handler attribute (``on*``), no animation of an attribute into
  a handler or a link, and no link to ``javascript:`` or to ``data:`` other than an image.
  Matplotlib's SVG has none of these and passes unchanged; a figure that fails is refused,
  not rewritten, with an error at the cell's line (``--strict`` fails).

Output types are checked (text where text is expected), and ``max_output`` is applied to
output read from disk as the kernel applies it to fresh output.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import replace

from .model import Cell, CellError, CellResult, Figure

#: The error type of a refused output (shown in the page's error box and the warning).
REFUSED = "UnsafeOutput"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
#: Markup an XML parser and an HTML parser read differently, or that pulls in other content.
#: (Comments stay, matplotlib writes them; ``<!-->`` ends a comment early for HTML only.)
_SVG_REFUSED_MARKUP = re.compile(
    r"<!(?!--)|<!---?>|<\?|&(?!(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)"
)
_ELEMENTS_REFUSED = {
    *("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"),
    # HTML elements: in a page, these end the <svg> and are read as HTML.
    *("meta", "link", "base", "form", "input", "button", "textarea", "img"),
    *("frame", "frameset", "applet", "noscript", "template", "body", "head", "html", "br"),
    *("b", "big", "blockquote", "center", "code", "dd", "div", "dl", "dt", "em", "font"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "listing", "menu", "nobr", "ol"),
    *("p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table"),
    *("tt", "u", "ul", "var"),
}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion"}
_LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "from", "to", "values", "by"}
_LINK_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_IMAGE_DATA = re.compile(r"^\s*data\s*:\s*image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]")


def checked_results(
    cells: Sequence[Cell], results: list[CellResult], max_output: int
) -> tuple[list[CellResult], int]:
    """``results`` with each one checked (see the module docstring), and how many were refused
    (each refusal is an error at its cell's line)."""
    checked: list[CellResult] = []
    refused = 0
    for cell, result in zip(cells, results, strict=False):
        safe = checked_result(cell, result, max_output)
        refused += safe.error is not None and result.error is None
        checked.append(safe)
    return checked + results[len(checked) :], refused


def checked_result(cell: Cell, result: CellResult, max_output: int) -> CellResult:
    """One result, checked: cut to ``max_output``, figures validated (a bad one refused)."""
    changes: dict[str, object] = {}
    output = result.output if isinstance(result.output, str) else ""
    if len(output) > max_output:
        changes.update(output=output[:max_output], truncated=True)
    elif output is not result.output:
        changes["output"] = output
    value = result.value
    if value is not None and not isinstance(value, str):
        changes["value"] = value = None
    if value is not None and len(value) > max_output:
        changes.update(value=value[:max_output], truncated=True)
    problems: list[str] = []
    figures: list[Figure] = []
    for number, figure in enumerate(result.figures, start=1):
        problem = figure_problem(figure)
        if problem is None:
            figures.append(figure)
        else:
            problems.append(f"figure {number}: {problem}")
    if len(figures) != len(result.figures):
        changes["figures"] = figures
    if problems and result.error is None:
        changes["error"] = CellError(
            REFUSED,
            "; ".join(problems) + " (the figure is left out of the page: re-run the page, "
            "or if it came from a frozen file, check who changed that file)",
            cell.line,
        )
    return replace(result, **changes) if changes else result  # type: ignore[arg-type]


def figure_problem(figure: object) -> str | None:
    """Why ``figure`` must not be published (None when it may)."""
    if not isinstance(figure, Figure) or not isinstance(figure.data, str):
        return "not figure data"
    if figure.format == "png":
        return _png_problem(figure.data)
    if figure.format == "svg":
        return _svg_problem(figure.data)
    return f"unknown format {figure.format!r}"


def _png_problem(data: str) -> str | None:
    if len(data) % 4 or not _BASE64.fullmatch(data):
        return "PNG data is not base64"
    try:
        raw = base64.b64decode(data[: 4 * 8], validate=True)
    except (binascii.Error, ValueError):
        return "PNG data is not base64"
    if not raw.startswith(_PNG_SIGNATURE):
        return "PNG data is not a PNG image"
    return None


def _svg_problem(data: str) -> str | None:
    if not data.lstrip().startswith("<svg"):
        return "SVG data does not start with <svg"
    if _SVG_REFUSED_MARKUP.search(data):
        return "SVG has a document type, entity, CDATA section or processing instruction"
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError, RecursionError) as exc:
        return f"SVG does not parse ({str(exc)[:120]})"
    for element in root.iter():
        tag = _local(element.tag).lower() if isinstance(element.tag, str) else ""
        if tag in _ELEMENTS_REFUSED:
            return f"SVG has a <{_local(element.tag)}> element"
        if tag == "style" and _risky_style(element.text or ""):
            return "SVG has a style sheet that imports or runs code"
        for key, value in element.attrib.items():
            name = _local(key).lower()
            if name.startswith("on"):
                return f"SVG has an event-handler attribute {name}"
            if name == "style" and _risky_style(value):
                return "SVG has a style that imports or runs code"
            if tag in _ANIMATIONS and name == "attributename":
                target = _local(value).strip().lower()
                if target.startswith("on") or target in _LINK_ATTRIBUTES:
                    return f"SVG animates the attribute {target}"
            if name in _LINK_ATTRIBUTES and _risky_link(value):
                return f"SVG links to {value.strip()[:40]!r}"
    return None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _risky_link(value: str) -> bool:
    compact = _CONTROL.sub("", value)
    return bool(_LINK_SCHEMES.match(compact)) and not _IMAGE_DATA.match(compact)


def _risky_style(text: str) -> bool:
    lowered = _CONTROL.sub("", text).lower()
    if any(word in lowered for word in ("javascript:", "@import", "expression(")):
        return True
    return bool(re.search(r"url\((?![\"']?#)", lowered))  # only links inside the figure
