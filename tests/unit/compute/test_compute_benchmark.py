"""Smoke test of benchmarks/compute.py on tiny inputs: it runs and prints a valid table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import markdown
import pytest
from bs4 import BeautifulSoup

SCRIPT = Path(__file__).parents[3] / "benchmarks" / "compute.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compute_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing
    spec.loader.exec_module(module)
    return module


def test_benchmark_prints_a_table_of_four_ratios() -> None:
    bench = _load()
    results = bench.run(bench.make_cases(scale=1e-3), repeats=5)
    html = markdown.markdown(bench.markdown(results, 5), extensions=["tables"])
    table = BeautifulSoup(html, "html.parser").find("table")
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == 4
    for row in rows:
        cells = [td.get_text() for td in row.find_all("td")]
        ours, anchor, ratio, agreement = (
            float(cells[1]),
            float(cells[3]),
            float(cells[4]),
            float(cells[5]),
        )
        assert ours > 0 and anchor > 0 and ratio > 0
        assert agreement <= 1e-9  # both sides computed the same quantity


def test_repeats_below_five_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load()
    with pytest.raises(SystemExit) as exc:
        bench.main(["--repeats", "3"])
    assert exc.value.code == 2
    assert "at least 5" in capsys.readouterr().err
