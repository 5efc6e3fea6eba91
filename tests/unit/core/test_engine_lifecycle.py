"""An engine serves one build: once closed it runs nothing again, and says so.

Before, a prefetch after :meth:`Engine.close` quietly made a new thread pool (and used the
closed runner), so a host that kept its engine past the end of its build leaked threads and
ran pages nobody would collect.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mkdocs_infotheory.core import Engine, EngineClosed, EngineSettings
from mkdocs_infotheory.hosts.mkdocs.fragments import Fragments

PAGE = '# Page\n\n```python exec="on"\nprint("hello")\n```\n'


def _pool_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("infotheory")]


def test_a_closed_engine_runs_and_processes_nothing(tmp_path: Path) -> None:
    engine = Engine(EngineSettings(cwd=str(tmp_path)))
    first = engine.prepare("docs/first.md", PAGE)
    outcome = engine.process(first, Fragments().placeholder)
    assert "hello" in outcome.markdown
    engine.close()
    threads = _pool_threads()

    later = engine.prepare("docs/later.md", PAGE.replace("hello", "later"))
    with pytest.raises(EngineClosed, match="make a new Engine"):
        engine.prefetch(later)
    with pytest.raises(EngineClosed):
        engine.process(later, Fragments().placeholder)
    with pytest.raises(EngineClosed):
        engine.start_early()
    assert _pool_threads() == threads  # no new pool
    engine.close()  # closing again is harmless
    assert engine.stats.fences_run == 1  # what the build did stays readable
