"""Splice results back into the page's Markdown.

Everything is rendered as Markdown where Markdown can express it (source and text output as
fenced code, so they get the site's highlighting; ``result="markdown"`` output verbatim, so one
Markdown pass renders it with the page's own extensions), and as raw HTML where it cannot
(``result="html"``, figures, error boxes). Raw HTML goes through ``placeholder``, which the
adapter supplies: the MkDocs plugin swaps in tokens it replaces in the page's HTML, a
Python-Markdown extension would use its ``htmlStash``. That keeps the core free of both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .displayed import EQUATION_PREFIX, display_blocks
from .escape import ERROR_BOX_LIMIT, code_fence, html_text, inline_text, one_line, safe_lines
from .fence_options import RESULT_KEYWORDS
from .figure_theme import is_matplotlib_png, is_matplotlib_svg, png_size, themed_svg
from .formatters import formatter_for
from .inline_context import ATTRIBUTE_FAILED, MATH_FAILED, inline_context
from .layout import console_block as _console_block
from .layout import highlighted_result as _highlighted_result
from .layout import laid_out as _laid_out
from .layout import source_block as _layout_source_block
from .model import Cell, CellError, CellResult, OptionProblem
from .parse import ParsedPage
from .provenance import with_provenance

#: (html, is_block) -> text to put in the Markdown where that HTML belongs.
Placeholder = Callable[[str, bool], str]

#: Class of text-output blocks, so themes can set them apart from the code above them.
OUTPUT_CLASS = "infotheory-output"


@dataclass(slots=True)
class _Figures:
    """Captioned figures and tables numbered so far on the page."""

    count: int = 0
    tables: int = 0


def render_page(
    text: str,
    parsed: ParsedPage,
    results: Sequence[CellResult],
    placeholder: Placeholder,
    filename: str,
) -> str:
    """Return ``text`` with every cell replaced by its rendered result."""
    pieces: list[tuple[int, int, str]] = []
    figures = _Figures()
    nesting: list[tuple[Cell, CellResult]] = []
    for cell, result in zip(parsed.cells, results, strict=True):
        if cell.kind == "fence" and formatter_for(cell.language).nests:
            nesting.append((cell, result))  # after the fences inside it
        elif cell.kind == "inline":
            shown = _inline(cell, result, placeholder, text)
            if _provenance_fits(cell, result, text):
                shown = with_provenance(shown, cell, filename)
            pieces.append((cell.start, cell.end, shown))
        else:
            blocks = _fence_blocks(cell, result, placeholder, filename, figures)
            pieces.append((cell.start, cell.end, _indent(blocks, cell.prefix, _around(text, cell))))
    for problem in parsed.problems:
        box = _problem(problem, placeholder, filename, _around(text, problem))
        pieces.append((problem.start, problem.end, box))
    for plain in parsed.plain:  # exec off (or unknown): the opening line without our options
        pieces.append((plain.start, plain.end, plain.opening))
    for cell, result in sorted(nesting, key=lambda item: item[0].end - item[0].start):
        pieces, result = _nested(text, cell, result, pieces)  # innermost first
        blocks = _fence_blocks(cell, result, placeholder, filename, figures)
        pieces.append((cell.start, cell.end, _indent(blocks, cell.prefix, _around(text, cell))))
    pieces.sort()
    out: list[str] = []
    position = 0
    for start, end, replacement in pieces:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)


def _nested(
    text: str, cell: Cell, result: CellResult, pieces: list[tuple[int, int, str]]
) -> tuple[list[tuple[int, int, str]], CellResult]:
    """An ``md`` fence's output with the results of the fences inside it spliced in (they are
    taken out of the page's pieces: they are shown where the ``md`` fence's output is)."""
    inside = [piece for piece in pieces if cell.start < piece[0] and piece[1] <= cell.end]
    if not inside or result.skipped or result.error is not None:
        return pieces, result
    body_start = text.find("\n", cell.start) + 1
    out: list[str] = []
    position = body_start
    for start, end, replacement in sorted(inside):
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position : body_start + len(cell.code)])
    rest = [piece for piece in pieces if not (cell.start < piece[0] and piece[1] <= cell.end)]
    return rest, replace(result, output="".join(out))


def _around(text: str, span: Cell | OptionProblem) -> tuple[bool, bool]:
    """Whether the lines just before and after ``span`` hold content (not blank, not a bare
    ``>``), i.e. whether a separating blank line is needed on each side.

    Only the adjacent line counts: a second blank line where the author wrote one would end a
    footnote (Python-Markdown closes a footnote at two blank lines) and drop the fence out.
    """
    # Found in place, not by slicing off everything before or after the span (a copy of the
    # page per cell).
    stop = span.start
    if stop > 0 and text[stop - 1] == "\n":
        stop -= 1
    before = text[text.rfind("\n", 0, stop) + 1 : stop]
    line_end = text.find("\n", span.end)
    after = text[span.end : len(text) if line_end < 0 else line_end]
    return bool(before.strip(" \t>")), bool(after.strip(" \t>"))


def _indent(blocks: list[str], prefix: str, neighbours: tuple[bool, bool]) -> str:
    """Join blocks with blank lines and repeat the fence's prefix on every line.

    Blank lines separate what we emit from neighbouring content so it cannot merge with a
    paragraph; they are added only where there is a neighbour, because a blank ``>`` line
    closing a blockquote would make Python-Markdown wrap a fence before it in a paragraph.
    """
    lines = "\n\n".join(block.rstrip("\n") for block in blocks if block.strip()).split("\n")
    blank = prefix.rstrip()
    body = "\n".join(prefix + line if line.strip() else blank for line in lines)
    before, after = neighbours
    return ("" if not before else f"{blank}\n") + body + "\n" + (f"{blank}\n" if after else "")


#: Shown after an inline value cut to ``max_output`` characters.
INLINE_TRUNCATED = " [… value truncated to the plugin's max_output limit]"

_ATX_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*")


def _inline(cell: Cell, result: CellResult, placeholder: Placeholder, text: str) -> str:
    if result.skipped:
        return text[cell.start : cell.end]
    if result.error is not None:
        summary = result.error.summary()
        where = inline_context(text, cell.start)
        if where == "math":
            # The formula still typesets; the message is in the warning, not set as TeX.
            return MATH_FAILED
        if where == "attribute":
            # Alt text, a link's title or URL, an attribute: an element there breaks the tag.
            return ATTRIBUTE_FAILED
        if _in_heading(text, cell):
            # A heading's text also becomes the page title and its table-of-contents entry,
            # which are built from the Markdown: a placeholder token would show there as is.
            return inline_text(summary)
        message = html_text(summary)
        return placeholder(
            f'<span class="infotheory-error" title="{message}">{message}</span>', False
        )
    value = inline_text(result.value or "")
    return value + inline_text(INLINE_TRUNCATED) if result.truncated else value


def _provenance_fits(cell: Cell, result: CellResult, text: str) -> bool:
    """Whether an inline value can carry its expression (see :mod:`.provenance`): in prose,
    not in a heading, a formula or an attribute (alt text, a link's URL or title)."""
    if result.skipped or result.error is not None or result.value is None:
        return False
    return not _in_heading(text, cell) and inline_context(text, cell.start) == "prose"


def _in_heading(text: str, cell: Cell) -> bool:
    """Whether ``cell`` sits in an ATX (``# ...``) or setext (underlined) heading."""
    line_start = text.rfind("\n", 0, cell.start) + 1
    line_end = text.find("\n", cell.start)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    content = re.sub(r"^(?:[ \t]*>[ \t]?)*", "", line)
    if _ATX_HEADING.match(content):
        return True
    if line_end < 0:
        return False
    following_end = text.find("\n", line_end + 1)
    following = text[line_end + 1 : len(text) if following_end < 0 else following_end]
    following = re.sub(r"^(?:[ \t]*>[ \t]?)*", "", following)
    return bool(content.strip()) and bool(_SETEXT_UNDERLINE.fullmatch(following))


def _source_block(cell: Cell) -> str:
    return _layout_source_block(cell)


def _fence_blocks(
    cell: Cell,
    result: CellResult,
    placeholder: Placeholder,
    filename: str,
    figures: _Figures,
) -> list[str]:
    options = cell.options
    if result.skipped:
        note = _admonition("note", "Not executed", result.skipped)
        return [_source_block(cell), placeholder(note, True)]
    outputs: list[str] = []
    formatter = formatter_for(cell.language)
    own = formatter.text_output(cell, result)
    if options.source == "console" and formatter.shows_source:
        outputs.append(_console_block(cell, result.output, placeholder))
    elif own is not None:
        outputs.extend(own)
    elif result.displays and options.result != "none":

        def printed(text: str) -> str | None:
            return _printed(text, options.result, placeholder)

        outputs.extend(
            display_blocks(result, options, printed, placeholder, _figure_html, OUTPUT_CLASS)
        )
    else:
        printed_block = _printed(result.output, options.result, placeholder)
        if printed_block is not None:
            outputs.append(printed_block)
    label = options.caption or "Figure generated by the code on this page"
    for figure in result.figures:
        outputs.append(placeholder(_figure_html(figure.format, figure.data, label), True))
    if result.truncated:
        outputs.append(
            placeholder(
                _admonition(
                    "warning",
                    "Output truncated",
                    "This fence printed more than the plugin's max_output limit; "
                    "only the beginning is shown.",
                ),
                True,
            )
        )
    label = None if (options.label or "").startswith(EQUATION_PREFIX) else options.label
    if (options.caption or label) and outputs:
        outputs = _captioned(outputs, options.caption, label, placeholder, figures)
    if result.error is not None:
        outputs.append(placeholder(_error_html(result.error, filename), True))
    for mismatch in result.mismatches:
        body = f"Expected:\n{mismatch.expected.rstrip()}\n\nGot:\n{mismatch.got.rstrip()}"
        outputs.append(
            placeholder(
                _admonition(
                    "failure",
                    f"Doctest mismatch at {filename}:{mismatch.line}",
                    body,
                    preformatted=True,
                ),
                True,
            )
        )
    if not formatter.shows_source:
        return outputs
    return _laid_out(cell, outputs, placeholder)


def _printed(text: str, result: str, placeholder: Placeholder) -> str | None:
    """What a fence printed, shown as its ``result=`` option asks (None: nothing to show)."""
    if not text or result == "none":
        return None
    if result == "markdown":
        return text
    if result == "html":
        return placeholder(f'<div class="infotheory-html">{text}</div>', True)
    if result not in RESULT_KEYWORDS:  # markdown-exec's result=LANG: highlighted as LANG
        return _highlighted_result(result, text, placeholder)
    return code_fence(text, "text", classes=(OUTPUT_CLASS,))


def _captioned(
    outputs: list[str],
    caption: str | None,
    label: str | None,
    placeholder: Placeholder,
    figures: _Figures,
) -> list[str]:
    """Wrap a fence's outputs in a numbered ``<figure>``: "Figure n." (caption below), or with a
    ``tbl-`` label "Table n." (caption above, as tables have them). The id is the label, so
    ``@fig-NAME`` can link to it; the page-wide numbering pass (:mod:`mkdocs_infotheory.refs`)
    renumbers these together with the page's other figures and tables."""
    table = label is not None and label.startswith("tbl-")
    if table:
        figures.tables += 1
        number, kind = figures.tables, "table"
    else:
        figures.count += 1
        number, kind = figures.count, "figure"
    anchor = label or f"{kind}-{number}"
    text = f" {_caption_html(caption)}" if caption else ""
    figcaption = (
        f'<figcaption><span class="infotheory-{kind}-number">{kind.title()} {number}.</span>'
        f"{text}</figcaption>"
    )
    opening = f'<figure class="infotheory-{kind}" id="{anchor}">'
    if table:
        return [placeholder(opening + figcaption, True), *outputs, placeholder("</figure>", True)]
    return [placeholder(opening, True), *outputs, placeholder(f"{figcaption}</figure>", True)]


#: ``\(TeX\)`` in a caption (the caption is an attribute value, so no Markdown runs on it).
_CAPTION_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)


def _caption_html(caption: str) -> str:
    """The caption, escaped, with each ``\\(...\\)`` as arithmatex marks inline math, so the
    page's math step typesets it like any formula of the page."""
    parts: list[str] = []
    position = 0
    for match in _CAPTION_MATH.finditer(caption):
        parts.append(html_text(caption[position : match.start()]))
        tex = html.escape(match.group(0), quote=False)
        parts.append(f'<span class="arithmatex">{tex}</span>')
        position = match.end()
    parts.append(html_text(caption[position:]))
    return "".join(parts)


def _figure_html(fmt: str, data: str, label: str) -> str:
    # The accessible name is text: math in a caption is given its plain-text reading
    # ("\\(\\frac{1}{2}\\)" reads "1/2"), as headings are in the table of contents.
    from ..math.plaintext import text_of_math  # pure text functions, no renderer

    alt = html_text(text_of_math(label, escaped=False))
    if fmt == "svg":
        svg = themed_svg(data) if is_matplotlib_svg(data) else data
        svg = svg.replace("<svg", f'<svg role="img" aria-label="{alt}"', 1)
        return f'<div class="infotheory-plot">{svg}</div>'
    size = png_size(data)
    # Rendered at twice its size (kernel/figures.py): shown at its size, sharp on dense screens.
    width = f' width="{size[0] // 2}"' if size else ""
    themed = ' class="infotheory-themed"' if is_matplotlib_png(data) else ""
    image = f'<img alt="{alt}"{themed}{width} src="data:image/png;base64,{data}">'
    return f'<div class="infotheory-plot">{image}</div>'


def _error_html(error: CellError, filename: str) -> str:
    title = one_line(f"{error.type} at {filename}:{error.line}")
    body = error.traceback or error.summary()
    if error.hint:
        body = f"{body}\n\nHint: {error.hint}"
    # Control characters shown as \x1b, as in the log (a copied message must not carry them).
    return _admonition("failure", title, safe_lines(body, ERROR_BOX_LIMIT), preformatted=True)


def _admonition(kind: str, title: str, body: str, preformatted: bool = False) -> str:
    text = html_text(body)
    content = f"<pre><code>{text}</code></pre>" if preformatted else f"<p>{text}</p>"
    return (
        f'<div class="admonition {kind} infotheory-{kind}">'
        f'<p class="admonition-title">{html_text(title)}</p>{content}</div>'
    )


def _problem(
    problem: OptionProblem,
    placeholder: Placeholder,
    filename: str,
    neighbours: tuple[bool, bool],
) -> str:
    box = _admonition("failure", f"Fence options at {filename}:{problem.line}", problem.message)
    language = problem.language if problem.language else ""
    blocks = [placeholder(box, True), code_fence(problem.code, language)]
    return _indent(blocks, problem.prefix, neighbours)
