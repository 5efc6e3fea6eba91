"""One formatter per fence language: the pipeline asks the registry, never names a language."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from mkdocs_infotheory.core import formatters
from mkdocs_infotheory.core.formatters import FENCE_NAMES, FORMATTERS, Formatter
from mkdocs_infotheory.core.kernel import PageJob, run_page
from mkdocs_infotheory.core.model import CellResult
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.core.render import render_page

CORE = Path(formatters.__file__).resolve().parent.parent
#: Kernel helpers one formatter calls (the bash runner, the doc-test runner): they run their
#: language, so naming it (the `bash` command) is their job.
HELPERS = {"kernel/shell.py", "kernel/doctests.py"}


def test_the_languages_and_their_fence_names_come_from_their_modules() -> None:
    assert set(FORMATTERS) == {"python", "pycon", "bash", "md", "terminal", "pycon_script"}
    assert {FENCE_NAMES[name] for name in ("md", "markdown")} == {"md"}
    assert FENCE_NAMES["console"] == "terminal"
    assert {FENCE_NAMES[name] for name in ("py", "python3", "python")} == {"python"}
    assert {FENCE_NAMES[name] for name in ("sh", "shell", "bash")} == {"bash"}
    for name, formatter in FORMATTERS.items():
        module = sys.modules[f"{formatters.__name__}.{name}"]
        assert module.FORMATTER is formatter


def test_no_core_module_outside_the_formatters_names_a_language() -> None:
    """parse, model, render, engine and the kernel go through the registry."""
    languages = set(FORMATTERS)
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        if "formatters" in path.parts or path.relative_to(CORE).as_posix() in HELPERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in languages - {"python"}:
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def _run_in_process(text: str, tmp_path: Path) -> tuple[str, list[CellResult]]:
    parsed = parse_page(text)
    results: dict[int, CellResult] = {}
    job = PageJob(filename="page.md", source=text, cells=tuple(parsed.cells), cwd=str(tmp_path))
    run_page(job, lambda index, result: results.__setitem__(index, result))
    ordered = [results[cell.index] for cell in parsed.cells]
    return render_page(text, parsed, ordered, lambda html, block: html, "page.md"), ordered


def test_a_new_language_is_one_formatter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Registering a formatter is all it takes for parse, kernel and render to handle it."""

    def execute(cell, context, result) -> None:
        print(cell.code.upper(), end="")

    shout = Formatter(name="shout", fence_names=("yell",), execute=execute, highlight="text")
    monkeypatch.setitem(FORMATTERS, "shout", shout)
    monkeypatch.setitem(FENCE_NAMES, "shout", "shout")
    monkeypatch.setitem(FENCE_NAMES, "yell", "shout")
    markdown, results = _run_in_process('```yell exec="on"\nhello there\n```\n', tmp_path)
    assert results[0].error is None
    assert results[0].output == "HELLO THERE\n"
    assert "```text\nhello there\n```" in markdown
    assert "HELLO THERE" in markdown


def test_pycon_shows_its_transcript_instead_of_its_source(tmp_path: Path) -> None:
    markdown, results = _run_in_process('```pycon exec="on"\n>>> 6 * 7\n42\n```\n', tmp_path)
    assert results[0].mismatches == []
    assert markdown.count(">>> 6 * 7") == 1
