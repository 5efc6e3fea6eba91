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
from dataclasses import dataclass, field
from itertools import accumulate

from .formatters import FENCE_NAMES, language_of
from .model import Cell, FenceOptions, OptionProblem, PlainFence

_FENCE_OPEN = re.compile(
    r"^(?P<prefix>(?:[ \t]*>[ \t]?)*[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$"
)
_ATTRIBUTE = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))?"""
    r"""|(?P<other>[.#][^\s}]+)"""
)
_LANGUAGE = re.compile(r"[^\s{]+")
_INLINE = re.compile(r"^\{python\}[ \t]+(?P<expr>\S.*?)[ \t]*$", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")

#: The ``exec`` values that run a fence, and those that make it an ordinary code block.
EXEC_TRUE = ("on", "true", "yes", "1")
EXEC_FALSE = ("off", "false", "no", "0")
_SOURCE_CHOICES = ("above", "below", "none")
_RESULT_CHOICES = ("text", "markdown", "html", "none")
#: Options of the displayed code block that belong to pymdownx.highlight / superfences.
PASSTHROUGH = ("title", "linenums", "hl_lines")
KNOWN_OPTIONS = ("exec", "source", "result", "session", "timeout", "caption", "label", *PASSTHROUGH)
#: Options only this plugin reads: a fence shown as ordinary code loses them.
_OWN_OPTIONS = frozenset(KNOWN_OPTIONS) - frozenset(PASSTHROUGH)
#: A fence label names a figure, a table or (its LaTeX output) an equation (the prefix says
#: which), as in Quarto.
_LABEL = re.compile(r"(?:fig|tbl|eq)-[A-Za-z0-9_-]*[A-Za-z0-9]")
#: The longest timeout a fence (or the plugin) may ask for: 24 hours. Longer is a typo or
#: ``inf``, and would overflow the operating system's timers.
MAX_TIMEOUT_SECONDS = 24 * 3600


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


def parse_page(text: str, first_line: int = 1) -> ParsedPage:
    """Split ``text`` into cells. ``first_line`` is the file line of ``text``'s first line
    (MkDocs hands plugins the page without its YAML front matter)."""
    page = ParsedPage()
    offset = 0
    # An inline value needs ``{python}``: most pages have none, and skip the code-span scan.
    inline = "{python}" in text
    for fence in _fences(text):
        if inline:
            _scan_inline(text, offset, fence.start, first_line, page)
        offset = fence.end
        _add_fence(fence, first_line, page)
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


def _add_fence(fence: _Fence, first_line: int, page: ParsedPage) -> None:
    if "exec" not in fence.info:  # an ordinary code block: nothing to read
        return
    language, attributes, malformed = _parse_info(fence.info)
    if "exec" not in attributes:
        return
    line = fence.line + first_line - 1
    runs = exec_value(attributes["exec"])
    if not runs:
        message = "" if runs is False else _unknown_exec(attributes["exec"])
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
    options, message = _options(attributes)
    if message:
        problem(message)
        return
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


def exec_value(value: str) -> bool | None:
    """What an ``exec`` value asks for: run the fence (True), show it as an ordinary code block
    (False), or neither (None: shown as code, with a warning).

    The one reader of the value, so that another reading (markdown-exec runs every value but
    its false ones) is a switch here, not a hunt through the parser.
    """
    word = value.lower()
    if word in EXEC_TRUE:
        return True
    if word in EXEC_FALSE:
        return False
    return None


def _unknown_exec(value: str) -> str:
    return (
        f"exec={value!r} is neither true ({', '.join(EXEC_TRUE)}: the fence runs) nor false "
        f"({', '.join(EXEC_FALSE)}: an ordinary code block); the fence is shown as code and "
        'not run: write exec="on" to run it'
    )


def _opening(fence: _Fence) -> str:
    """The fence's opening line as an ordinary code block: this plugin's own options removed,
    so the highlighter reads it as it reads any fence. The braced form keeps everything else
    (classes, ids, attributes, which attr_list renders); the plain form keeps the language and
    the highlighter's options, the only ones it accepts there."""
    info = fence.info.strip()
    if info.startswith("{") and info.endswith("}"):
        own = [m for m in _ATTRIBUTE.finditer(info) if m["key"] in _OWN_OPTIONS]
        for match in reversed(own):
            info = info[: match.start()] + info[match.end() :]
        info = re.sub(r"[ \t]+", " ", info).replace("{ ", "{").replace(" }", "}")
        info = "" if info == "{}" else info
    else:
        language, attributes, _ = _parse_info(info)
        kept = [_attribute(key, attributes[key]) for key in PASSTHROUGH if key in attributes]
        info = " ".join([language, *kept]).strip()
    return f"{fence.prefix}{fence.marker}{info}"


def _attribute(key: str, value: str) -> str:
    return f"{key}='{value}'" if '"' in value else f'{key}="{value}"'


def _parse_info(info: str) -> tuple[str, dict[str, str], str]:
    """Read ``python exec="on"`` or ``{.python exec="on"}`` into (language, attributes)."""
    info = info.strip()
    braced = info.startswith("{") and info.endswith("}")
    if braced:
        info = info[1:-1].strip()
    attributes: dict[str, str] = {}
    language = ""
    position = 0
    leftovers: list[str] = []
    if not braced:
        head = _LANGUAGE.match(info)
        if head:
            language = head.group(0)
            position = head.end()
        rest = info[position:].strip()
        if rest.startswith("{") and rest.endswith("}"):
            info, position = rest[1:-1], 0
    for match in _ATTRIBUTE.finditer(info, position):
        leftovers.append(info[position : match.start()])
        position = match.end()
        if match["other"]:
            if braced and match["other"].startswith(".") and not language:
                language = match["other"][1:]
            continue
        value = match["dq"] if match["dq"] is not None else match["sq"]
        if value is None:
            value = match["bare"] if match["bare"] is not None else ""
        attributes[match["key"]] = value
    leftovers.append(info[position:])
    malformed = "".join(leftovers).strip()
    return language.lower(), attributes, malformed


def _options(attributes: dict[str, str]) -> tuple[FenceOptions, str]:
    unknown = [key for key in attributes if key not in KNOWN_OPTIONS]
    if unknown:
        return FenceOptions(), (
            f"unknown fence option {unknown[0]!r}; known options: {', '.join(KNOWN_OPTIONS)}"
        )
    source = attributes.get("source", "above")
    if source not in _SOURCE_CHOICES:
        return FenceOptions(), f"source={source!r} is not one of {', '.join(_SOURCE_CHOICES)}"
    result = attributes.get("result", "text")
    if result not in _RESULT_CHOICES:
        return FenceOptions(), f"result={result!r} is not one of {', '.join(_RESULT_CHOICES)}"
    timeout: float | None = None
    if "timeout" in attributes:
        try:
            timeout = float(attributes["timeout"])
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= MAX_TIMEOUT_SECONDS:  # also false for nan
            return FenceOptions(), (
                f"timeout={attributes['timeout']!r} must be a number of seconds above 0 and "
                f"at most {MAX_TIMEOUT_SECONDS} (24 hours)"
            )
    caption = attributes.get("caption")
    label = attributes.get("label")
    if label is not None and not _LABEL.fullmatch(label):
        return FenceOptions(), (
            f"label={label!r} must be fig-NAME (a figure), tbl-NAME (a table) or eq-NAME (the "
            "fence's formula), NAME made of letters, digits, - and _"
        )
    return (
        FenceOptions(
            source=source,  # type: ignore[arg-type]
            result=result,  # type: ignore[arg-type]
            session=attributes.get("session", ""),
            timeout=timeout,
            caption=caption if caption else None,
            label=label,
            passthrough=tuple((k, attributes[k]) for k in PASSTHROUGH if k in attributes),
        ),
        "",
    )


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
