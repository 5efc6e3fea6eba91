"""One prepared-page record per page: prefetch and process share it, so a page runs once."""

from __future__ import annotations

from pathlib import Path

from mkdocs_infotheory.core import Engine, EngineSettings
from mkdocs_infotheory.hosts.mkdocs.fragments import Fragments

PAGE = """\
# Counted

```python exec="on"
with open("runs.log", "a") as log:
    print("ran", file=log)
print("hello")
```
"""


def _engine(tmp_path: Path, cwd: str) -> Engine:
    return Engine(EngineSettings(workers=1, cwd=cwd, cache_dir=None))


def test_prefetch_then_process_runs_the_page_once(tmp_path: Path) -> None:
    engine = _engine(tmp_path, str(tmp_path))
    page = engine.prepare("docs/counted.md", PAGE, 3)
    assert [cell.line for cell in page.cells] == [6]
    assert page.key
    engine.prefetch(page)
    outcome = engine.process(page, Fragments().placeholder)
    engine.close()
    assert outcome.diagnostics == []
    assert "hello" in outcome.markdown
    assert (tmp_path / "runs.log").read_text() == "ran\n"
    assert engine.stats.fences_run == 1


def test_a_page_whose_text_changed_is_run_again_and_the_stale_run_discarded(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path, str(tmp_path))
    stale = engine.prepare("docs/counted.md", PAGE)
    engine.prefetch(stale)
    engine.discard(stale)
    fresh = engine.prepare("docs/counted.md", PAGE.replace("hello", "again"))
    assert fresh.key != stale.key
    outcome = engine.process(fresh, Fragments().placeholder)
    engine.close()
    assert "again" in outcome.markdown
    assert engine.stats.fences_run == 1


def test_relative_cwd_means_the_same_folder_for_python_and_bash(
    tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "data.txt").write_text("42\n")
    monkeypatch.chdir(tmp_path)
    engine = _engine(tmp_path, "docs")
    text = (
        '```python exec="on"\nprint(open("data.txt").read().strip())\n```\n\n'
        '```bash exec="on"\ncat data.txt\n```\n'
    )
    outcome = engine.process_text("docs/page.md", text, Fragments().placeholder)
    engine.close()
    assert outcome.diagnostics == []
    assert outcome.markdown.count("42") == 2
