"""The data that flows through the core: cells parsed from a page, and their results.

Everything here is plain, picklable and JSON-serialisable, because results cross a process
boundary (the page runs in a child process) and are stored in the on-disk cache. Every record
is a slotted dataclass: frozen, except the result records a page fills in as its cell runs
(:class:`CellResult`, :class:`CellError`) and the engine caps afterwards (an inline value's
length).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .escape import one_line

CellKind = Literal["fence", "inline"]
#: A fence language: the name of a formatter in :mod:`mkdocs_infotheory.core.formatters`.
Language = str
#: Where the source goes: the first three are ours; ``block`` (a source block with its result
#: in a box under it), ``tabbed-left``/``tabbed-right`` (source and result as two tabs) and
#: ``console`` (source and output in one code block) are markdown-exec's.
SourcePosition = Literal[
    "above", "below", "none", "block", "tabbed-left", "tabbed-right", "console"
]
#: How the output shows. Any other value (markdown-exec's ``result=LANG``) is a language: the
#: output in a code block highlighted as it (``ansi``: terminal colours kept).
ResultFormat = str

#: The namespace used by fences without ``session=`` and by every inline expression.
DEFAULT_SESSION = ""


@dataclass(frozen=True, slots=True)
class FenceOptions:
    """What the author asked for on an executable fence (see the authoring contract)."""

    source: SourcePosition = "above"
    result: ResultFormat = "text"
    session: str = DEFAULT_SESSION
    timeout: float | None = None
    caption: str | None = None
    #: ``fig-NAME`` or ``tbl-NAME``: the output becomes a numbered figure or table with this id,
    #: which ``@fig-NAME`` / ``@tbl-NAME`` in prose refer to (see :mod:`mkdocs_infotheory.refs`).
    label: str | None = None
    #: Attributes passed through to the displayed source block (``title``, ``linenums``...).
    passthrough: tuple[tuple[str, str], ...] = ()
    #: The exit status a shell fence is expected to end with (markdown-exec's ``returncode``).
    returncode: int = 0
    #: The two tab titles of ``source="tabbed-left"``/``"tabbed-right"`` (source, result).
    tabs: tuple[str, str] = ("Source", "Result")
    #: Where the fence runs, relative to the docs folder (markdown-exec's ``workdir``).
    workdir: str = ""
    #: The terminal width the code sees in ``COLUMNS`` (markdown-exec's ``width``; 0: unset).
    width: int = 0
    #: How the fence names itself in messages (markdown-exec's ``id``).
    name: str = ""
    #: A ``pycon`` fence run as markdown-exec's ``interactive``: a transcript, nothing compared.
    interactive: bool = False

    def ran_with(self) -> tuple[str, ...]:
        """The options that change what running the fence gives (cache keys hold them): none
        for a fence that sets none, so such a fence keeps the key it always had."""
        changed = (
            ("returncode", self.returncode, 0),
            ("workdir", self.workdir, ""),
            ("width", self.width, 0),
            ("interactive", self.interactive, False),
        )
        return tuple(f"{name}={value}" for name, value, default in changed if value != default)


@dataclass(frozen=True, slots=True)
class Cell:
    """One executable unit of a page: a fence or an inline expression.

    ``start``/``end`` are character offsets into the text that was parsed, so rendering can
    splice results back in without re-parsing. ``line`` is the 1-based line, in the author's
    file, of the first line of ``code``; it is what error messages and tracebacks point at.
    """

    index: int
    kind: CellKind
    language: Language
    code: str
    line: int
    start: int
    end: int
    options: FenceOptions = field(default_factory=FenceOptions)
    #: What stood before the opening fence on its line (indentation, ``> `` markers); the
    #: rendered replacement repeats it on every line so it stays inside its container.
    prefix: str = ""

    @property
    def session(self) -> str:
        return self.options.session if self.kind == "fence" else DEFAULT_SESSION


@dataclass(frozen=True, slots=True)
class OptionProblem:
    """A fence whose options are wrong: reported to the author, the fence is not run."""

    line: int
    message: str
    start: int
    end: int
    prefix: str
    code: str
    language: str


@dataclass(frozen=True, slots=True)
class PlainFence:
    """A fence whose ``exec`` value does not run it: an ordinary code block. ``opening`` is its
    first line without the options only this plugin reads (so the site's highlighter renders
    it as it renders any fence); ``message``, when set, is the warning for an ``exec`` value
    that is neither true nor false."""

    line: int
    start: int
    end: int
    opening: str
    message: str = ""


@dataclass(slots=True)
class CellError:
    """An author error raised by a cell, already mapped to the author's file and line.

    Mutable: the kernel points an error raised by the preamble at the first cell of its
    session (``line``, ``hint``) after it was made."""

    type: str
    message: str
    line: int
    traceback: str = ""
    hint: str = ""

    def summary(self) -> str:
        text = f"{self.type}: {self.message}" if self.message else self.type
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class Figure:
    """A rendered matplotlib figure: SVG markup, or base64 PNG data."""

    format: Literal["svg", "png"]
    data: str


@dataclass(frozen=True, slots=True)
class Display:
    """An object the cell displayed (its last expression, or ``display(obj)``), kept as the one
    representation chosen for it at build time, so a build without the object's library (a
    frozen page on CI without pandas) shows the same thing.

    ``mime`` is the chosen type (``text/html``, ``text/latex``, ``image/png``...; see
    :mod:`mkdocs_infotheory.core.kernel.display`), ``data`` its text (base64 for images), and
    ``position`` the character offset in the cell's printed ``output`` where it was displayed:
    printed text and displayed objects interleave in the order the cell produced them.
    """

    mime: str
    data: str
    position: int


@dataclass(frozen=True, slots=True)
class DoctestMismatch:
    """A ``>>>`` example whose real output differs from the output written under it."""

    line: int
    source: str
    expected: str
    got: str


@dataclass(slots=True)
class CellResult:
    """What running one cell produced. ``value`` is set for inline expressions only.

    Mutable: the kernel fills it in as the cell runs (output, figures, error), and the engine
    cuts a runaway inline value to ``max_output`` before it is cached."""

    output: str = ""
    value: str | None = None
    error: CellError | None = None
    figures: list[Figure] = field(default_factory=list)
    truncated: bool = False
    mismatches: list[DoctestMismatch] = field(default_factory=list)
    displays: list[Display] = field(default_factory=list)
    #: True when the cell was not run (execution off, or an earlier crash ended its process).
    skipped: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.error is not None or bool(self.mismatches)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellResult:
        error = data.get("error")
        return cls(
            output=str(data.get("output", "")),
            value=data.get("value"),
            error=CellError(**error) if error else None,
            figures=[Figure(**f) for f in data.get("figures", [])],
            truncated=bool(data.get("truncated", False)),
            mismatches=[DoctestMismatch(**m) for m in data.get("mismatches", [])],
            displays=[
                Display(str(d["mime"]), str(d["data"]), int(d["position"]))
                for d in data.get("displays", [])
            ],
            skipped=str(data.get("skipped", "")),
            seconds=float(data.get("seconds", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A message for the author. Adapters decide how to log it (MkDocs: a warning)."""

    level: Literal["warning", "info"]
    path: str
    line: int
    message: str
    #: The long form, for hosts that show more than a log line (``pytest --infotheory``):
    #: the traceback in the author's lines, or a doc-test's expected and actual output.
    detail: str = ""

    def __str__(self) -> str:
        """The one log line every host prints: page text and exception messages in it are
        untrusted, so it is escaped and capped (see :func:`.escape.one_line`)."""
        return one_line(f"{self.path}:{self.line}: {self.message}")
