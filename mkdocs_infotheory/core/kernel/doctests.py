"""Run a ``pycon exec="on"`` fence: ``>>>`` examples whose written output is checked.

Output comparison, in order (documented for authors in "Using the plugin"):

1. doctest's own rules with ELLIPSIS and NORMALIZE_WHITESPACE (``...`` matches anything);
2. otherwise token by token, where a number written with a decimal point matches any value
   that rounds to it at the written precision (``0.0808`` matches ``0.08079313589591118``;
   ``1.0e-3`` matches ``0.00104``), and every other token must be equal.
"""

from __future__ import annotations

import doctest
import re
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..model import DoctestMismatch

_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_TOKEN = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\w+|\S")
_TRACEBACK_HEADER = "Traceback (most recent call last):"


def outputs_match(want: str, got: str) -> bool:
    if _CHECKER.check_output(want, got, _FLAGS):
        return True
    wanted, gotten = _TOKEN.findall(want), _TOKEN.findall(got)
    if len(wanted) != len(gotten):
        return False
    return all(_token_match(w, g) for w, g in zip(wanted, gotten, strict=True))


def _token_match(want: str, got: str) -> bool:
    if want == got:
        return True
    mantissa = want.lower().split("e")[0]
    if "." not in mantissa:
        return False
    try:
        written, actual = Decimal(want), Decimal(got)
    except InvalidOperation:
        return False
    decimals = len(mantissa.split(".")[1])
    exponent = int(want.lower().split("e")[1]) if "e" in want.lower() else 0
    half_unit = Decimal(5).scaleb(exponent - decimals - 1)
    return abs(actual - written) <= half_unit


def run_examples(
    code: str,
    first_line: int,
    compile_at: Callable[[str, int, str], Any],
    namespace: dict[str, Any],
) -> tuple[str, list[DoctestMismatch]]:
    """Run every example; return the transcript with real outputs, and the mismatches.

    ``compile_at(source, line, mode)`` compiles with the author's file name and line numbers.
    """
    transcript: list[str] = []
    mismatches: list[DoctestMismatch] = []
    parser = doctest.DocTestParser()
    for example in parser.get_examples(code):
        line = first_line + example.lineno
        got = _run_one(example.source, line, compile_at, namespace)
        prompt = example.source.rstrip("\n").split("\n")
        transcript.append(">>> " + prompt[0])
        transcript.extend("... " + rest for rest in prompt[1:])
        if got:
            transcript.append(got.rstrip("\n"))
        want = example.want
        if want.startswith(_TRACEBACK_HEADER) and got.startswith(_TRACEBACK_HEADER):
            ok = want.rstrip().splitlines()[-1] == got.rstrip().splitlines()[-1]
        else:
            ok = outputs_match(want, got)
        if not ok:
            mismatches.append(DoctestMismatch(line, example.source.rstrip("\n"), want, got))
    return "\n".join(transcript) + "\n", mismatches


def _run_one(
    source: str,
    line: int,
    compile_at: Callable[[str, int, str], Any],
    namespace: dict[str, Any],
) -> str:
    from .capture import LimitedWriter
    from .tracebacks import safe_text

    writer = LimitedWriter(1_000_000)
    saved = sys.stdout, sys.displayhook
    sys.stdout = writer
    sys.displayhook = sys.__displayhook__
    try:
        exec(compile_at(source, line, "single"), namespace)
    except Exception as exc:  # the transcript shows it, as the REPL would
        shown = safe_text(exc)
        last = f"{type(exc).__name__}: {shown}" if shown else type(exc).__name__
        writer.write(f"{_TRACEBACK_HEADER}\n  ...\n{last}\n")
    finally:
        sys.stdout, sys.displayhook = saved
    return writer.getvalue()
