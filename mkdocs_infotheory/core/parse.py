"""Find the executable cells of a Markdown page.

Why a dedicated scanner instead of a Python-Markdown extension: the whole page must be known
before anything runs (its cells share namespaces, the cache key covers all of them, and pages
run in parallel ahead of rendering). The scanner understands just enough Markdown to be exact
about what it touches: fenced code blocks (backtick and tilde, indented inside admonitions and
lists, inside ``>`` blockquotes) and code spans, so that an example of the syntax shown inside
an ordinary fence or a double-backtick span is never executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate

from .fence_options import (
    ATTRIBUTE,
    OWN_OPTIONS,
    PASSTHROUGH,
    UNSUPPORTED_LANGUAGES,
    attribute_text,
    exec_value,
    parse_info,
    read_options,
    unknown_exec,
)
from .formatters import FENCE_NAMES, formatter_for, language_of
from .model import Cell, OptionProblem, PlainFence

_FENCE_OPEN = re.compile(
    r"^(?P<prefix>(?:[ \t]*>[ \t]?)*[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$"
)
_INLINE = re.compile(r"^\{python\}[ \t]+(?P<expr>\S.*?)[ \t]*$", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")

#: The ``exec`` values that run a fence, and those that make it an ordinary code block.


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The cells of a page in document order, plus fences whose options could not be used.

    Frozen, but its lists are filled in while the page is scanned."""

    cells: list[Cell] = field(default_factory=list)
    problems: list[OptionProblem] = field(default_factory=list)
    #: Fences with an ``exec`` value that does not run them: shown as ordinary code.
    plain: list[PlainFence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Fence:
    """A fenced code block as found: offsets into the text, its line there, its parts."""

    start: int
    end: int
    line: int
    prefix: str
    marker: str
    #: Where the opening line ends (before its line break).
    opening_end: int
    info: str
    body: str
    closed: bool


def parse_page(text: str, first_line: int = 1, compat: str = "") -> ParsedPage:
    """Split ``text`` into cells. ``first_line`` is the file line of ``text``'s first line
    (MkDocs hands plugins the page without its YAML front matter); ``compat`` is the site's
    ``compat`` setting (``markdown-exec``: its defaults and readings)."""
    page = ParsedPage()
    offset = 0
    # An inline value needs ``{python}``: most pages have none, and skip the code-span scan.
    inline = "{python}" in text
    for fence in _fences(text):
        if inline:
            _scan_inline(text, offset, fence.start, first_line, page)
        offset = fence.end
        _add_fence(fence, first_line, page, compat)
        if page.cells and page.cells[-1].start == fence.start:
            _add_nested(text, fence, page, compat)
    if inline:
        _scan_inline(text, offset, len(text), first_line, page)
    return page


def _fences(text: str) -> Iterator[_Fence]:
    """Yield every fenced code block; executable or not, none may hold inline cells."""
    lines = text.splitlines(keepends=True)
    starts = [0, *accumulate(map(len, lines))]
    i = 0
    while i < len(lines):
        line = lines[i]
        # Most lines cannot open a fence; a substring test is much cheaper than the pattern.
        if "```" not in line and "~~~" not in line:
            i += 1
            continue
        match = _FENCE_OPEN.match(line.rstrip("\r\n"))
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            i += 1
            continue
        prefix, fence = match["prefix"], match["fence"]
        closing = re.compile(rf"[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        body: list[str] = []
        j = i + 1
        closed = False
        while j < len(lines):
            content = _strip_prefix(lines[j].rstrip("\r\n"), prefix)
            if closing.fullmatch(content):
                closed = True
                break
            body.append(content)
            j += 1
        end_line = j + 1 if closed else j
        yield _Fence(
            start=starts[i],
            end=starts[min(end_line, len(lines))],
            line=i + 1,
            prefix=prefix,
            marker=fence,
            opening_end=starts[i] + len(line.rstrip("\r\n")),
            info=match["info"],
            body="\n".join(body) + ("\n" if body else ""),
            closed=closed,
        )
        i = end_line


def _strip_prefix(line: str, prefix: str) -> str:
    if line.startswith(prefix):
        return line[len(prefix) :]
    if not prefix.strip():
        # Fewer spaces than the fence's own indentation: strip what is there (CommonMark).
        stripped = line.lstrip(" \t")
        removed = len(line) - len(stripped)
        return line[min(removed, len(prefix)) :]
    if line.strip() == prefix.strip():
        return ""
    return re.sub(r"^(?:[ \t]*>[ \t]?)*", "", line)


def _add_fence(fence: _Fence, first_line: int, page: ParsedPage, compat: str = "") -> None:
    if "exec" not in fence.info and not (compat and _maybe_unsupported(fence.info)):
        return  # an ordinary code block: nothing to read
    language, attributes, malformed = parse_info(fence.info)
    line = fence.line + first_line - 1
    if language in UNSUPPORTED_LANGUAGES and ("exec" in attributes or compat):
        # markdown-exec runs these without ``exec``: on a compat site they would silently
        # turn from widgets into plain code, so both cases say so.
        message = (
            f"'{language}' fences (markdown-exec's "
            f"{'in-browser Python' if language == 'pyodide' else 'file trees'}) are not "
            "supported by infotheory; the fence is shown as code"
        )
        page.plain.append(
            PlainFence(line, fence.start, fence.opening_end, _opening(fence), message)
        )
        return
    if "exec" not in attributes:
        return
    runs = exec_value(attributes["exec"], compat)
    if not runs:
        message = "" if runs is False else unknown_exec(attributes["exec"])
        page.plain.append(
            PlainFence(line, fence.start, fence.opening_end, _opening(fence), message)
        )
        return

    def problem(message: str) -> None:
        page.problems.append(
            OptionProblem(line, message, fence.start, fence.end, fence.prefix, fence.body, language)
        )

    executable = language_of(language)
    if executable is None:
        known = ", ".join(sorted(FENCE_NAMES))
        problem(f"cannot execute a '{language or 'plain'}' fence; executable languages: {known}")
        return
    if not fence.closed:
        problem("this executable fence is never closed; add the closing fence")
        return
    if malformed:
        problem(f'cannot read the fence options {malformed!r}; write them as key="value"')
        return
    options, message = read_options(attributes, executable, compat)
    if message:
        problem(message)
        return
    executable = dict(formatter_for(executable).variants).get(compat, executable)
    page.cells.append(
        Cell(
            index=len(page.cells),
            kind="fence",
            language=executable,
            code=fence.body,
            line=line + 1,
            start=fence.start,
            end=fence.end,
            options=options,
            prefix=fence.prefix,
        )
    )


def _add_nested(text: str, fence: _Fence, page: ParsedPage, compat: str) -> None:
    """The executable fences inside an ``md`` fence (markdown-exec's documentation shows a
    fence's Markdown beside its rendering): they are the page's cells too, at their place in
    the file, and the renderer splices their results into the ``md`` fence's output.

    Only where the fence's text stands in the page as is (not indented, not quoted), so that
    the inner cells' positions are positions in the page."""
    outer = page.cells[-1]
    if not formatter_for(outer.language).nests or fence.prefix:
        return
    body_start = text.find("\n", fence.start) + 1
    if text[body_start : body_start + len(fence.body)] != fence.body:
        return
    inner = parse_page(fence.body, outer.line, compat)
    for cell in inner.cells:
        page.cells.append(
            replace(
                cell,
                index=len(page.cells),
                start=cell.start + body_start,
                end=cell.end + body_start,
            )
        )
    for problem in inner.problems:
        page.problems.append(
            replace(problem, start=problem.start + body_start, end=problem.end + body_start)
        )
    for plain in inner.plain:
        page.plain.append(
            replace(plain, start=plain.start + body_start, end=plain.end + body_start)
        )


def _maybe_unsupported(info: str) -> bool:
    return any(name in info for name in UNSUPPORTED_LANGUAGES)


def _opening(fence: _Fence) -> str:
    """The fence's opening line as an ordinary code block: this plugin's own options removed,
    so the highlighter reads it as it reads any fence. The braced form keeps everything else
    (classes, ids, attributes, which attr_list renders); the plain form keeps the language and
    the highlighter's options, the only ones it accepts there."""
    info = fence.info.strip()
    if info.startswith("{") and info.endswith("}"):
        own = [m for m in ATTRIBUTE.finditer(info) if m["key"] in OWN_OPTIONS]
        for match in reversed(own):
            info = info[: match.start()] + info[match.end() :]
        info = re.sub(r"[ \t]+", " ", info).replace("{ ", "{").replace(" }", "}")
        info = "" if info == "{}" else info
    else:
        language, attributes, _ = parse_info(info)
        kept = [attribute_text(key, attributes[key]) for key in PASSTHROUGH if key in attributes]
        info = " ".join([language, *kept]).strip()
    return f"{fence.prefix}{fence.marker}{info}"


def _scan_inline(text: str, start: int, end: int, first_line: int, page: ParsedPage) -> None:
    """Find `` `{python} EXPR` `` code spans between ``start`` and ``end``.

    Code spans follow CommonMark: a run of N backticks is closed by the next run of exactly N
    backticks within the same paragraph. Only single-backtick spans are expressions, so
    ``` `` `{python} x` `` ``` shows the syntax literally.
    """
    position = start
    while True:
        run = _BACKTICKS.search(text, position, end)
        if not run:
            return
        if run.start() > 0 and text[run.start() - 1] == "\\":
            position = run.end()
            continue
        width = run.end() - run.start()
        closing = re.compile(rf"(?<!`)`{{{width}}}(?!`)")
        close = closing.search(text, run.end(), end)
        if not close or _BLANK_LINE.search(text, run.end(), close.start()):
            position = run.end()
            continue
        content = text[run.end() : close.start()]
        match = _INLINE.match(content) if width == 1 else None
        if match:
            expr = " ".join(match["expr"].split("\n"))
            page.cells.append(
                Cell(
                    index=len(page.cells),
                    kind="inline",
                    language="python",
                    code=expr,
                    line=text.count("\n", 0, run.start()) + first_line,
                    start=run.start(),
                    end=close.end(),
                )
            )
        position = close.end()
