"""The kernel in-process and through the child-process runner."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.core.kernel import PageJob, run_page
from mkdocs_infotheory.core.kernel.doctests import outputs_match
from mkdocs_infotheory.core.model import CellResult
from mkdocs_infotheory.core.parse import parse_page
from mkdocs_infotheory.core.runner import ProcessRunner


def job_for(text: str, **overrides: object) -> PageJob:
    cells = tuple(parse_page(text).cells)
    return PageJob(filename="docs/p.md", source=text, cells=cells, **overrides)  # type: ignore[arg-type]


def run_here(text: str, **overrides: object) -> list[CellResult]:
    results: list[CellResult] = []
    run_page(job_for(text, **overrides), lambda _i, r: results.append(r))
    return results


def test_output_sessions_and_inline_values() -> None:
    text = (
        '```python exec="on"\nx = 2\nprint("x", x, sep=":")\n```\n'
        "`{python} x * 21`\n"
        '```python exec="on" session="s"\nprint("x" in globals())\n```\n'
    )
    results = run_here(text)
    assert [r.output for r in results] == ["x:2\n", "", "False\n"]
    assert results[1].value == "42"


def test_errors_carry_the_file_line() -> None:
    text = '# T\n\n```python exec="on"\na = 1\nraise KeyError("k")\n```\n'
    (result,) = run_here(text)
    assert result.error is not None
    assert (result.error.type, result.error.line) == ("KeyError", 5)
    assert 'File "docs/p.md", line 5' in result.error.traceback


def test_syntax_error_line() -> None:
    (result,) = run_here('\n```python exec="on"\nok = 1\ndef broken(:\n```\n')
    assert result.error is not None and result.error.type == "SyntaxError"
    assert result.error.line == 4


def test_preamble_failure_is_reported_on_the_cell() -> None:
    (result,) = run_here('```python exec="on"\nprint(1)\n```\n', preamble="import nope_not_here")
    assert result.error is not None and "preamble" in result.error.hint


def test_output_limit() -> None:
    (result,) = run_here('```python exec="on"\nprint("y" * 50)\n```\n', max_output=10)
    assert result.output == "y" * 10 and result.truncated


@pytest.mark.parametrize(
    ("want", "got", "ok"),
    [
        ("0.0808", "0.08079313589591118", True),
        ("0.0807", "0.08079313589591118", False),
        ("np.float64(0.0808)", "np.float64(0.08079313589591118)", True),
        ("1.0e-3", "0.00104", True),
        ("1.0e-3", "0.0011", False),
        ("3", "3.4", False),
        ("[1, ...]", "[1, 2, 3]", True),
        ("a b", "a    b", True),
        ("True", "False", False),
    ],
)
def test_doctest_output_comparison(want: str, got: str, ok: bool) -> None:
    assert outputs_match(want + "\n", got + "\n") is ok


@pytest.fixture(scope="module")
def runner() -> ProcessRunner:
    return ProcessRunner()


def test_child_process_state_does_not_leak(runner: ProcessRunner) -> None:
    first = runner.run(
        job_for('```python exec="on"\nimport os\nos.environ["LEAK"] = "1"\nleak = 1\n```\n'),
        lambda c: 30,
    )
    assert first[0].error is None
    second = runner.run(
        job_for(
            '```python exec="on"\nimport os\n'
            'print("leak" in globals(), "LEAK" in os.environ)\n```\n'
        ),
        lambda c: 30,
    )
    assert second[0].output == "False False\n"


def test_timeout_then_remaining_cells_are_skipped(runner: ProcessRunner) -> None:
    text = '```python exec="on"\nimport time\ntime.sleep(60)\n```\n`{python} 1`\n'
    results = runner.run(job_for(text), lambda c: 0.5)
    assert results[0].error is not None and results[0].error.type == "TimeoutError"
    assert results[1].skipped


def test_bash_child_is_stopped_with_the_page(runner: ProcessRunner, tmp_path) -> None:
    marker = tmp_path / "still-running"
    text = f'```bash exec="on"\nsleep 2 && touch {marker}\n```\n'
    results = runner.run(job_for(text, cwd=str(tmp_path)), lambda c: 0.3)
    assert results[0].error is not None and results[0].error.type == "TimeoutError"
    import time

    time.sleep(2.5)
    assert not marker.exists(), "the shell's children die with the page's process group"


def test_an_edited_preloaded_module_is_imported_afresh(tmp_path, monkeypatch) -> None:
    """The fork server preloads modules once; after their source changes (``mkdocs serve``
    while the author edits compute), the next runner must not run pages against the old copy."""
    import os
    import sys

    module = tmp_path / "warm_module_for_test.py"
    module.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = (
        '```python exec="on"\nimport sys\npreloaded = "warm_module_for_test" in sys.modules\n'
        "import warm_module_for_test as m\nprint(preloaded, m.VALUE)\n```\n"
    )
    first = ProcessRunner(("warm_module_for_test",))
    assert first.run(job_for(text), lambda c: 30)[0].output == "True 1\n"
    assert (
        ProcessRunner(("warm_module_for_test",)).run(job_for(text), lambda c: 30)[0].output
        == "True 1\n"
    )

    module.write_text("VALUE = 2\n")
    later = os.stat(module).st_mtime_ns + 2_000_000_000
    os.utime(module, ns=(later, later))
    sys.modules.pop("warm_module_for_test", None)
    again = ProcessRunner(("warm_module_for_test",))
    assert again.run(job_for(text), lambda c: 30)[0].output == "True 2\n"


def test_cache_fingerprint_survives_moving_the_project(tmp_path) -> None:
    from mkdocs_infotheory.core.cache import fingerprint_files

    for name in ("a", "b"):
        (tmp_path / name / "pkg").mkdir(parents=True)
        (tmp_path / name / "pkg" / "m.py").write_text("X = 1\n")
        (tmp_path / name / "helpers.py").write_text("Y = 2\n")
    assert fingerprint_files([tmp_path / "a" / "pkg", tmp_path / "a" / "helpers.py"]) == (
        fingerprint_files([tmp_path / "b" / "pkg", tmp_path / "b" / "helpers.py"])
    )
    (tmp_path / "b" / "pkg" / "m.py").write_text("X = 3\n")
    assert fingerprint_files([tmp_path / "a" / "pkg"]) != fingerprint_files(
        [tmp_path / "b" / "pkg"]
    )
