"""A fence's options: the vocabulary (ours and markdown-exec's), the one reader of ``exec``
and the reading of an info string into :class:`~.model.FenceOptions` or an
:class:`~.model.OptionProblem`. :mod:`.parse` finds fences; this module says what they ask for.
"""

from __future__ import annotations

import re

from .formatters import formatter_for
from .model import FenceOptions

ATTRIBUTE = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))?"""
    r"""|(?P<other>[.#][^\s}]+)"""
)
_LANGUAGE = re.compile(r"[^\s{]+")

EXEC_TRUE = ("on", "true", "yes", "1")
EXEC_FALSE = ("off", "false", "no", "0")
#: ``compat: markdown-exec``: the site's defaults and readings are markdown-exec's.
MARKDOWN_EXEC = "markdown-exec"
COMPAT_CHOICES = ("", MARKDOWN_EXEC)
_SOURCE_CHOICES = (
    "above",
    "below",
    "none",
    "block",
    "material-block",
    "tabbed-left",
    "tabbed-right",
    "console",
)
#: ``result=`` values with a meaning of their own; any other is a language (``result="json"``).
RESULT_KEYWORDS = ("text", "markdown", "html", "none")
_RESULT_LANGUAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+#.-]*")
#: Options of the displayed code block that belong to pymdownx.highlight / superfences.
PASSTHROUGH = ("title", "linenums", "hl_lines")
#: markdown-exec's options this plugin reads too (see "Coming from markdown-exec").
MARKDOWN_EXEC_OPTIONS = (
    "html",
    "returncode",
    "id",
    "idprefix",
    "updatetoc",
    "workdir",
    "width",
    "tabs",
    "interactive",
)
KNOWN_OPTIONS = (
    "exec",
    "source",
    "result",
    "session",
    "timeout",
    "caption",
    "label",
    *MARKDOWN_EXEC_OPTIONS,
    *PASSTHROUGH,
)
#: Options only this plugin reads: a fence shown as ordinary code loses them.
OWN_OPTIONS = frozenset(KNOWN_OPTIONS) - frozenset(PASSTHROUGH)
#: Fence languages markdown-exec runs that this plugin does not: they run in the reader's
#: browser (``pyodide``) or draw a file tree (``tree``).
UNSUPPORTED_LANGUAGES = ("pyodide", "tree")
#: A fence label names a figure, a table or (its LaTeX output) an equation (the prefix says
#: which), as in Quarto.
_LABEL = re.compile(r"(?:fig|tbl|eq)-[A-Za-z0-9_-]*[A-Za-z0-9]")
#: The longest timeout a fence (or the plugin) may ask for: 24 hours. Longer is a typo or
#: ``inf``, and would overflow the operating system's timers.
MAX_TIMEOUT_SECONDS = 24 * 3600


def exec_value(value: str, compat: str = "") -> bool | None:
    """What an ``exec`` value asks for: run the fence (True), show it as an ordinary code block
    (False), or neither (None: shown as code, with a warning).

    The one reader of the value. markdown-exec (``compat: markdown-exec``) runs every value but
    its false ones and the empty one; otherwise an unknown value is a question, not a yes.
    """
    word = value.lower()
    if compat == MARKDOWN_EXEC:
        return word not in ("", *EXEC_FALSE)
    if word in EXEC_TRUE:
        return True
    if word in EXEC_FALSE:
        return False
    return None


def _flag(value: str, compat: str) -> bool | None:
    """A yes/no option (``html``, ``updatetoc``, ``interactive``), read as ``exec`` is."""
    return exec_value(value, compat)


def unknown_exec(value: str) -> str:
    return (
        f"exec={value!r} is neither true ({', '.join(EXEC_TRUE)}: the fence runs) nor false "
        f"({', '.join(EXEC_FALSE)}: an ordinary code block); the fence is shown as code and "
        'not run: write exec="on" to run it'
    )


def attribute_text(key: str, value: str) -> str:
    return f"{key}='{value}'" if '"' in value else f'{key}="{value}"'


def parse_info(info: str) -> tuple[str, dict[str, str], str]:
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
    for match in ATTRIBUTE.finditer(info, position):
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


def read_options(
    attributes: dict[str, str], language: str = "python", compat: str = ""
) -> tuple[FenceOptions, str]:
    if not compat:  # markdown-exec passes options it does not know to the code block
        unknown = [key for key in attributes if key not in KNOWN_OPTIONS]
        if unknown:
            return FenceOptions(), (
                f"unknown fence option {unknown[0]!r}; known options: {', '.join(KNOWN_OPTIONS)}"
            )
    formatter = formatter_for(language)
    flags: dict[str, bool] = {}
    for key in ("html", "updatetoc", "interactive"):
        if key in attributes:
            value = _flag(attributes[key], compat)
            if value is None:
                return FenceOptions(), (
                    f"{key}={attributes[key]!r} is neither true ({', '.join(EXEC_TRUE)}) nor "
                    f"false ({', '.join(EXEC_FALSE)})"
                )
            flags[key] = value
    default_source = "none" if compat else (formatter.default_source or "above")
    source = attributes.get("source") or default_source
    if source not in _SOURCE_CHOICES:
        return FenceOptions(), f"source={source!r} is not one of {', '.join(_SOURCE_CHOICES)}"
    if source == "material-block":  # markdown-exec's older name for ``block``
        source = "block"
    default_result = formatter.default_result or ("markdown" if compat else "text")
    result = attributes.get("result") or default_result
    if flags.get("html"):
        result = "html"
    if result not in RESULT_KEYWORDS and not _RESULT_LANGUAGE.fullmatch(result):
        return FenceOptions(), (
            f"result={result!r} is not one of {', '.join(RESULT_KEYWORDS)} nor a language "
            'name to highlight the output as (result="json")'
        )
    numbers: dict[str, int] = {}
    for key, minimum in (("returncode", -(2**31)), ("width", 0)):
        if key in attributes:
            try:
                numbers[key] = int(attributes[key])
            except ValueError:
                numbers[key] = minimum - 1
            if numbers[key] < minimum:
                kind = "a whole number" if key == "returncode" else "a whole number from 0"
                return FenceOptions(), f"{key}={attributes[key]!r} must be {kind}"
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
            result=result,
            session=attributes.get("session", ""),
            timeout=timeout,
            caption=caption if caption else None,
            label=label,
            passthrough=tuple((k, attributes[k]) for k in PASSTHROUGH if k in attributes),
            returncode=numbers.get("returncode", 0),
            tabs=_tabs(attributes.get("tabs", "")),
            workdir=attributes.get("workdir", ""),
            width=numbers.get("width", 0),
            name=attributes.get("id", ""),
            interactive=flags.get("interactive", False),
        ),
        "",
    )


def _tabs(value: str) -> tuple[str, str]:
    """markdown-exec's ``tabs="Source|Result"``: the titles split at the first ``|`` that is
    not written ``\\|``."""
    parts = re.split(r"(?<!\\)\|", value, maxsplit=1)
    if len(parts) != 2:
        return ("Source", "Result")
    source, result = (part.replace("\\|", "|").strip() for part in parts)
    return (source or "Source", result or "Result")
