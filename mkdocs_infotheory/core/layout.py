"""Where a fence's source goes relative to its output, and how a highlighted result shows.

Our positions are ``above``, ``below`` and ``none``; markdown-exec's are ours too: ``block``
(the source, then its result in a ``div.result`` box under it, as Material's documentation
shows examples), ``tabbed-left``/``tabbed-right`` (source and result as two tabs of
pymdownx.tabbed, so they take the theme's tab style) and ``console`` (the source and its output
in one code block, as a terminal shows them). Everything is still Markdown blocks (raw HTML
through the renderer's placeholder), so the page's one Markdown pass renders it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .ansi import ansi_to_html
from .escape import code_fence, html_text
from .fence_options import RESULT_KEYWORDS
from .formatters import formatter_for
from .model import Cell

Placeholder = Callable[[str, bool], str]

#: A source line with this comment runs but is not shown (markdown-exec's marker, which it
#: finds anywhere in the line, whatever the language's comment sign).
_HIDDEN = re.compile(r"markdown-exec:\s*hide\b")
#: Class of the box under a ``source="block"`` source.
RESULT_CLASS = "result"


def shown_source(cell: Cell) -> str:
    """The source as the reader sees it: as the language displays it (a console's prompts),
    without the lines marked ``# markdown-exec: hide``."""
    shown = formatter_for(cell.language).displayed(cell.code)
    return "\n".join(line for line in shown.split("\n") if not _HIDDEN.search(line))


def source_block(cell: Cell) -> str:
    attributes = " ".join(f'{key}="{value}"' for key, value in cell.options.passthrough)
    return code_fence(shown_source(cell), formatter_for(cell.language).source_language, attributes)


def highlighted_result(language: str, output: str, placeholder: Placeholder) -> str:
    """``result=LANG``: the output in a code block highlighted as ``LANG``; ``ansi`` keeps the
    terminal's colours (escaped text, colours as classed spans)."""
    if language == "ansi":
        return placeholder(_ansi_block(output), True)
    return code_fence(output, language)


def _ansi_block(text: str) -> str:
    return (
        f'<div class="highlight infotheory-ansi"><pre><code>{ansi_to_html(text)}</code></pre></div>'
    )


def console_block(cell: Cell, output: str, placeholder: Placeholder) -> str:
    """``source="console"``: the shown source and then the output, in one block highlighted as
    ``result=LANG`` when given (markdown-exec's rule), else as the fence's language."""
    source = shown_source(cell).rstrip("\n")
    text = f"{source}\n{output}" if output else source
    language = cell.options.result
    if language == "ansi":
        return placeholder(_ansi_block(text), True)
    if language in RESULT_KEYWORDS:
        language = formatter_for(cell.language).source_language
    return code_fence(text, language)


def laid_out(cell: Cell, outputs: list[str], placeholder: Placeholder) -> list[str]:
    """The fence's blocks: its source placed as ``source=`` asks, around ``outputs``."""
    position = cell.options.source
    if position == "none" or position == "console":  # a console block holds the source
        return outputs
    source = source_block(cell)
    if position == "above":
        return [source, *outputs]
    if position == "below":
        return [*outputs, source]
    if position == "block":
        box = placeholder(f'<div class="{RESULT_CLASS}">', True)
        return [source, box, *outputs, placeholder("</div>", True)] if outputs else [source]
    source_title, result_title = cell.options.tabs
    tabs = [(source_title, [source]), (result_title, outputs)]
    if position == "tabbed-right":
        tabs.reverse()
    return [_tabbed(tabs)]


def _tabbed(tabs: list[tuple[str, list[str]]]) -> str:
    """pymdownx.tabbed's syntax: ``=== "Title"`` and the tab's blocks indented under it."""
    parts: list[str] = []
    for title, blocks in tabs:
        body = "\n\n".join(block.rstrip("\n") for block in blocks if block.strip())
        indented = "\n".join(f"    {line}" if line.strip() else "" for line in body.split("\n"))
        heading = f'=== "{_tab_title(title)}"'
        parts.append(f"{heading}\n\n{indented}" if body else heading)
    return "\n\n".join(parts)


def _tab_title(title: str) -> str:
    """The title as pymdownx.tabbed reads it (one line; its Markdown is rendered)."""
    return " ".join(html_text(title).split())
