"""The frozen-results store: what its keys cover, what a check reports, what a file holds."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_infotheory.core.freeze import (
    FreezeStore,
    cell_keys,
    freeze_mode,
    inputs_key,
)
from mkdocs_infotheory.core.model import CellError, CellResult, DoctestMismatch, Figure
from mkdocs_infotheory.core.parse import parse_page

PAGE = """# Page

```python exec="on"
x = 2
print(x)
```

Inline `{python} x + 1`.

```python exec="on" session="other"
print("other")
```
"""

RESULTS = [
    CellResult(output="2\n", seconds=0.25),
    CellResult(value="3", seconds=0.01),
    CellResult(output="other\n", seconds=0.5),
]


def cells(text: str = PAGE):
    return parse_page(text).cells


def store(tmp_path: Path, inputs: str | None = None) -> FreezeStore:
    return FreezeStore(tmp_path / "_freeze", "docs", inputs or inputs_key("src", "pre", 10, "svg"))


def test_modes_from_yaml_booleans_and_words() -> None:
    assert freeze_mode(False) == "false"
    assert freeze_mode(True) == "true"
    assert freeze_mode(" Auto ") == "auto"
    assert freeze_mode("TRUE") == "true"
    assert freeze_mode("yes") is None
    assert freeze_mode("") is None


def test_keys_chain_so_a_change_invalidates_that_cell_and_every_later_one() -> None:
    before = cell_keys(cells(), "inputs")
    after = cell_keys(cells(PAGE.replace("x + 1", "x + 2")), "inputs")
    assert before[0] == after[0]
    assert before[1] != after[1]
    assert before[2] != after[2]  # cell 2 runs after the changed cell, so it may differ


def test_display_options_and_positions_are_not_part_of_the_key() -> None:
    shown = PAGE.replace(
        '```python exec="on"\nx', '```python exec="on" source="below" result="markdown"\nx'
    )
    moved = "Some new prose.\n\nMore prose.\n\n" + PAGE
    assert shown != PAGE
    assert cell_keys(cells(shown), "i") == cell_keys(cells(PAGE), "i")
    assert cell_keys(cells(moved), "i") == cell_keys(cells(PAGE), "i")


def test_session_and_language_are_part_of_the_key() -> None:
    renamed = PAGE.replace('session="other"', 'session="third"')
    assert cell_keys(cells(renamed), "i")[2] != cell_keys(cells(PAGE), "i")[2]


def test_inputs_cover_preamble_sources_and_kernel_settings() -> None:
    base = inputs_key("src", "pre", 10, "svg")
    assert inputs_key("src2", "pre", 10, "svg") != base
    assert inputs_key("src", "pre2", 10, "svg") != base
    assert inputs_key("src", "pre", 11, "svg") != base
    assert inputs_key("src", "pre", 10, "png") != base
    assert inputs_key("src", "pre", 10, "svg") == base


def test_round_trip_keeps_results_and_drops_timings(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    figure = Figure("svg", "<svg>\n<g/>\n</svg>\n")
    results = [
        CellResult(output="2\n", figures=[figure], truncated=True),
        CellResult(value="3"),
        CellResult(output="other\n"),
    ]
    assert frozen.put("docs/posts/a.md", cells(), results)
    check = store(tmp_path).check("docs/posts/a.md", cells())
    assert check.complete
    assert check.results == results
    assert all(result.seconds == 0.0 for result in check.results)


def test_file_is_named_after_the_page_and_portable(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    frozen.put("docs/posts/a.md", cells(), RESULTS)
    path = tmp_path / "_freeze" / "posts" / "a.md.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert str(tmp_path) not in text
    assert "seconds" not in text
    assert text == json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["cells"][0]["result"] == {"output": ["2\n"]}
    assert [cell["kind"] for cell in data["cells"]] == ["fence", "inline", "fence"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_unchanged_results_do_not_rewrite_the_file(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    assert frozen.put("docs/a.md", cells(), RESULTS)
    path = tmp_path / "_freeze" / "a.md.json"
    path.write_text(path.read_text() + " ")  # any difference is rewritten...
    assert store(tmp_path).put("docs/a.md", cells(), RESULTS)
    assert not store(tmp_path).put("docs/a.md", cells(), RESULTS)  # ...none is not


def test_failures_and_skipped_cells_are_never_frozen(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    failed = [CellResult(error=CellError("ValueError", "x", 4)), RESULTS[1], RESULTS[2]]
    mismatch = [CellResult(mismatches=[DoctestMismatch(4, "1", "2", "1")]), *RESULTS[1:]]
    skipped = [CellResult(skipped="not executed"), *RESULTS[1:]]
    for results in (failed, mismatch, skipped):
        assert not frozen.put("docs/a.md", cells(), results)
    assert not (tmp_path / "_freeze").exists()


def test_check_names_why_and_keeps_the_valid_prefix(tmp_path: Path) -> None:
    store(tmp_path).put("docs/a.md", cells(), RESULTS)
    missing = store(tmp_path).check("docs/b.md", cells())
    assert not missing.complete and missing.results == []
    assert "no frozen results" in missing.reason

    edited = store(tmp_path).check("docs/a.md", cells(PAGE.replace("x + 1", "x * 10")))
    assert not edited.complete
    assert len(edited.results) == 1 and edited.results[0].output == "2\n"
    assert "changed" in edited.reason

    added = store(tmp_path).check("docs/a.md", cells(PAGE + '\n```python exec="on"\n1\n```\n'))
    assert not added.complete and len(added.results) == 3
    assert "new" in added.reason

    other_inputs = store(tmp_path, inputs_key("src", "other preamble", 10, "svg"))
    changed = other_inputs.check("docs/a.md", cells())
    assert not changed.complete and changed.results == []
    assert "preamble" in changed.reason


def test_removed_trailing_cells_keep_the_page_current(tmp_path: Path) -> None:
    store(tmp_path).put("docs/a.md", cells(), RESULTS)
    shorter = PAGE[: PAGE.index('```python exec="on" session')]
    check = store(tmp_path).check("docs/a.md", cells(shorter))
    assert check.complete and len(check.results) == 2


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "_freeze" / "a.md.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    frozen = store(tmp_path)
    check = frozen.check("docs/a.md", cells())
    assert not check.complete
    assert frozen.problems and "a.md.json" in frozen.problems[0]


def test_pages_outside_the_project_are_not_frozen(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    assert frozen.name("/elsewhere/a.md") is None
    assert frozen.name("../a.md") is None
    assert frozen.name("notes/a.md") == "notes/a.md.json"
    assert not frozen.put("/elsewhere/a.md", cells(), RESULTS)
    assert "outside" in frozen.check("/elsewhere/a.md", cells()).reason


def test_prune_deletes_files_of_pages_not_kept(tmp_path: Path) -> None:
    frozen = store(tmp_path)
    frozen.put("docs/a.md", cells(), RESULTS)
    frozen.put("docs/sub/b.md", cells(), RESULTS)
    assert frozen.prune({"a.md.json"}) == ["sub/b.md.json"]
    assert (tmp_path / "_freeze" / "a.md.json").exists()
    assert not (tmp_path / "_freeze" / "sub").exists()
