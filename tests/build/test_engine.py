"""The execution engine on real builds: isolation, limits, cache, doctests, figures, shell,
execute: false. (The serve round trip is in test_serve.py.)"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from mkdocs_infotheory.storage import RETENTION_SECONDS
from tests.sites import Build, Site

CRASH_PAGES = {
    "exit.md": '# Exit\n\n```python exec="on"\nimport os\nprint("hi")\nos._exit(7)\n```\n\n'
    '```python exec="on"\nprint("never")\n```\n',
    "segfault.md": '# Segfault\n\n```python exec="on"\nimport ctypes\nctypes.string_at(0)\n```\n',
    "loop.md": '# Loop\n\n```python exec="on" timeout="1"\nwhile True:\n    pass\n```\n',
    "memory.md": '# Memory\n\n```python exec="on"\nx = bytearray(10**14)\n```\n',
    "huge.md": '# Huge\n\n```python exec="on"\nfor i in range(10**6):\n    print(i)\n```\n',
    "fine.md": '# Fine\n\n```python exec="on"\nprint("unaffected")\n```\n',
}


@pytest.fixture(scope="module")
def crashes(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("crashes"), {"max_output": 1000, "timeout": 20})
    for name, text in CRASH_PAGES.items():
        site.write(name, text)
    site.write("index.md", "# Home\n")
    return site.build()


def warning_for(build: Build, page: str) -> str:
    found = [w for w in build.warnings() if f"docs/{page}.md:" in w]
    assert found, f"no warning for {page}: {build.log}"
    return found[0]


def test_build_survives_every_crash(crashes: Build) -> None:
    assert crashes.returncode == 0, crashes.log
    outputs = [pre.get_text() for pre in crashes.article("fine").select("div.language-text pre")]
    assert outputs == ["unaffected\n"]


def test_os_exit_is_that_fences_error(crashes: Build) -> None:
    assert "docs/exit.md:4: ProcessExit" in warning_for(crashes, "exit")
    assert "status 7" in warning_for(crashes, "exit")
    article = crashes.article("exit")
    assert article.select_one("div.admonition.failure") is not None
    assert "not run" in article.select_one("div.admonition.note").get_text()


def test_segfault_is_reported(crashes: Build) -> None:
    assert "docs/segfault.md:4: ProcessExit" in warning_for(crashes, "segfault")
    assert "SIGSEGV" in warning_for(crashes, "segfault")


def test_timeout_stops_runaway_code(crashes: Build) -> None:
    warning = warning_for(crashes, "loop")
    assert "docs/loop.md:4: TimeoutError" in warning and "1 s" in warning


def test_memory_error_is_reported(crashes: Build) -> None:
    assert "docs/memory.md:4: MemoryError" in warning_for(crashes, "memory")


def test_huge_output_is_truncated_with_note(crashes: Build) -> None:
    assert "truncated" in warning_for(crashes, "huge")
    article = crashes.article("huge")
    output = article.select_one("div.language-text pre").get_text()
    assert len(output) <= 1000 + 1
    assert output.startswith("0\n1\n2\n")
    assert "truncated" in article.select_one("div.admonition.warning").get_text()


def test_summary_line(crashes: Build) -> None:
    summary = [line for line in crashes.info() if "fences run" in line]
    assert len(summary) == 1
    match = re.search(
        r"(\d+) pages with code, (\d+) fences run, (\d+) from cache, (\d+) failures", summary[0]
    )
    assert match and match.groups() == ("6", "7", "0", "4"), summary[
        0
    ]  # truncation warns, is no failure


# -- cache ------------------------------------------------------------------------------
def summary_numbers(build: Build) -> tuple[int, int]:
    line = next(line for line in build.info() if "fences run" in line)
    match = re.search(r"(\d+) fences run, (\d+) from cache", line)
    assert match, line
    return int(match[1]), int(match[2])


def outputs(build: Build, page: str = "index") -> list[str]:
    return [pre.get_text() for pre in build.article(page).select("div.language-text pre")]


def test_cache_reuse_and_invalidation(make_site) -> None:
    site: Site = make_site(plugin={"dependencies": ["helpers.py"]})
    (site.root / "helpers.py").write_text("FACTOR = 2\n")
    site.write(
        "index.md",
        '# A\n\n```python exec="on"\n'
        "import random, helpers\nprint(random.random(), helpers.FACTOR)\n```\n",
    )
    site.write("other.md", '# B\n\n```python exec="on"\nprint("b")\n```\n')
    first = site.build(strict=True)
    assert first.returncode == 0, first.log
    assert summary_numbers(first) == (2, 0)
    second = site.build(strict=True)
    assert summary_numbers(second) == (0, 2)
    assert outputs(second) == outputs(first), "a cache hit shows the stored output"

    # Prose edits and display options reuse the result; code edits re-run only that page.
    site.write(
        "index.md",
        '# A edited\n\nNew prose.\n\n```python exec="on" source="below"\n'
        "import random, helpers\nprint(random.random(), helpers.FACTOR)\n```\n",
    )
    third = site.build(strict=True)
    assert summary_numbers(third) == (0, 2)
    site.write("other.md", '# B\n\n```python exec="on"\nprint("b2")\n```\n')
    fourth = site.build(strict=True)
    assert summary_numbers(fourth) == (1, 1)
    assert outputs(fourth, "other") == ["b2\n"]

    # A listed dependency changes: pages re-run and see the new value.
    (site.root / "helpers.py").write_text("FACTOR = 3\n")
    fifth = site.build(strict=True)
    assert summary_numbers(fifth) == (2, 0)
    assert outputs(fifth)[0].split()[1] == "3"

    # Entries this build did not use stay for the retention period (another configuration
    # sharing the cache may need them); once no build used them for longer, they go.
    exec_dir = site.root / ".cache" / "infotheory" / "exec"
    assert len(list(exec_dir.glob("[!.]*.json"))) == 5
    long_ago = time.time() - RETENTION_SECONDS - 3600
    for entry in exec_dir.glob("[!.]*.json"):
        os.utime(entry, (long_ago, long_ago))
    sixth = site.build(strict=True)
    assert summary_numbers(sixth) == (0, 2), "entries used by this build are kept and reused"
    assert len(list(exec_dir.glob("[!.]*.json"))) == 2


def test_corrupt_cache_entry_is_discarded_with_warning(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", '# A\n\n```python exec="on"\nprint("fresh")\n```\n')
    assert site.build(strict=True).returncode == 0
    (entry,) = (site.root / ".cache" / "infotheory" / "exec").glob("[!.]*.json")
    entry.write_text("{ not json")
    again = site.build()
    assert again.returncode == 0
    assert any("unreadable cache entry" in w for w in again.warnings()), again.log
    assert outputs(again) == ["fresh\n"]
    assert json.loads(entry.read_text())["results"][0]["output"] == "fresh\n"


def test_failing_pages_are_not_cached(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", '# A\n\n```python exec="on"\n1/0\n```\n')
    site.build()
    again = site.build()
    assert summary_numbers(again) == (1, 0)
    assert any("ZeroDivisionError" in w for w in again.warnings())


def test_cache_false_always_runs(make_site) -> None:
    site: Site = make_site(plugin={"cache": False})
    site.write("index.md", '# A\n\n```python exec="on"\nprint(1)\n```\n')
    site.build()
    assert summary_numbers(site.build()) == (1, 0)
    assert not (site.root / ".cache" / "infotheory" / "exec").exists()


# -- execute: false -----------------------------------------------------------------------
def test_execute_false_uses_cache_or_shows_plain_code(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", '# A\n\n```python exec="on"\nprint("cached")\n```\n')
    site.write(
        "new.md",
        '# New\n\n```python exec="on"\nopen("pwned", "w").write("x")\n```\n\n`{python} 6*7`\n',
    )
    site.build()  # warm the cache for index.md (new.md runs too, and writes `pwned`)
    (site.root / "docs" / "pwned").unlink()
    site.write(
        "new.md",
        '# New\n\n```python exec="on"\nopen("pwned2", "w").write("x")\n```\n\nV `{python} 6*7`\n',
    )
    build = site.build(env={"MKDOCS_INFOTHEORY_EXECUTE": "false"})
    assert build.returncode == 0, build.log
    assert outputs(build) == ["cached\n"]
    article = build.article("new")
    assert not (site.root / "docs" / "pwned2").exists(), "no code may run"
    assert "Not executed" in article.select_one("div.admonition.note").get_text()
    assert 'open("pwned2", "w")' in article.get_text()
    assert "{python} 6*7" in [code.get_text() for code in article.find_all("code")]

    off: Site = make_site(plugin={"execute": False})
    off.write("index.md", '# A\n\n```python exec="on"\nprint("x")\n```\n')
    assert outputs(off.build(strict=True)) == []


# -- doctests, figures, shell -------------------------------------------------------------
FEATURES = """
# Features

```pycon exec="on"
>>> bernoulli_entropy(0.99)
np.float64(0.0808)
>>> x = 2
>>> x + 1
3
>>> print("a  b")
a b
>>> 1/0
Traceback (most recent call last):
  ...
ZeroDivisionError: division by zero
```

```pycon exec="on"
>>> 0.1 + 0.2
0.31
```

```python exec="on" caption="Binary entropy <curve>"
import matplotlib.pyplot as plt
p = np.linspace(0.001, 0.999, 50)
plt.plot(p, bernoulli_entropy(p))
```

```python exec="on"
import matplotlib.pyplot as plt
print("open figures:", len(plt.get_fignums()))
```

```python exec="on" caption="A table with a caption" result="markdown" source="none"
print("| a |\\n|---|\\n| 1 |")
```

```bash exec="on"
pwd
echo "data" > made-by-bash.txt
python -c "import mkdocs_infotheory; print('python ok')"
```

```bash exec="on"
exit 4
```
"""


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("features"))
    site.write("index.md", FEATURES)
    return site.build()


def test_doctest_transcript_and_mismatch(features: Build) -> None:
    article = features.article()
    transcripts = [pre.get_text() for pre in article.select("div.language-pycon pre")]
    assert transcripts[0].startswith(">>> bernoulli_entropy(0.99)\nnp.float64(0.0807931")
    assert ">>> x + 1\n3\n" in transcripts[0]
    mismatch = [w for w in features.warnings() if "doctest" in w]
    line = FEATURES.lstrip("\n").splitlines().index(">>> 0.1 + 0.2") + 1
    assert len(mismatch) == 1 and f"docs/index.md:{line}:" in mismatch[0], features.warnings()
    assert "0.30000000000000004" in article.select_one("div.admonition.failure").get_text()


def test_matplotlib_figure_with_numbered_caption(features: Build) -> None:
    article = features.article()
    figures = article.select("figure.infotheory-figure")
    assert [f["id"] for f in figures] == ["figure-1", "figure-2"]
    svg = figures[0].find("svg")
    assert svg is not None and svg["aria-label"] == "Binary entropy <curve>"
    caption = figures[0].find("figcaption").get_text()
    assert caption == "Figure 1. Binary entropy <curve>"
    assert figures[1].find("table") is not None
    assert "open figures: 0\n" in outputs(features), "figures are closed once rendered"


def test_bash_runs_in_docs_dir_with_build_python(features: Build) -> None:
    texts = outputs(features)
    shell = next(t for t in texts if "python ok" in t)
    assert shell.splitlines()[0] == str(features.root / "docs")
    assert (features.root / "docs" / "made-by-bash.txt").read_text() == "data\n"
    assert any("ShellError: bash exited with status 4" in w for w in features.warnings())


def test_missing_matplotlib_gets_a_clear_hint() -> None:
    from mkdocs_infotheory.core.kernel.tracebacks import cell_error

    error = cell_error(ModuleNotFoundError("No module", name="matplotlib"), "docs/x.md", 3)
    assert "mkdocs-infotheory[plot]" in error.summary()


def test_figures_dir_is_not_polluted(features: Build) -> None:
    leftovers = [p.name for p in Path(features.root / "docs").iterdir()]
    assert sorted(leftovers) == ["index.md", "made-by-bash.txt"]


def test_dirty_build_still_skips_unmodified_pages(tmp_path: Path) -> None:
    """The plugin hands MkDocs its own reading of each page (no second read), except under
    ``--dirty``, where a page MkDocs has the text of would count as modified and be rebuilt."""
    site = Site(tmp_path)
    site.write("index.md", '# Home\n\n```python exec="on"\nprint("home")\n```\n')
    site.write("other.md", '# Other\n\n```python exec="on"\nprint("other")\n```\n')
    first = site.build(strict=True)
    assert first.returncode == 0, first.log
    assert "other" in first.article("other").get_text()
    page = first.site / "other" / "index.html"
    built = page.stat().st_mtime_ns
    time.sleep(0.05)
    site.write("index.md", '# Home\n\n```python exec="on"\nprint("home, edited")\n```\n')
    second = site.build("--dirty")
    assert second.returncode == 0, second.log
    assert page.stat().st_mtime_ns == built, "--dirty rebuilt a page nobody touched"
    assert "home, edited" in second.article("index").get_text()


HOOK = """
from mkdocs.plugins import event_priority

FENCE = '```python exec="on"\\nprint("from the hook", 6 * 7)\\n```'


@event_priority({priority})
def on_page_markdown(markdown, page, **kwargs):
    return markdown.replace("HOOK_FENCE", FENCE)
"""


@pytest.mark.parametrize(("priority", "runs_first"), [(100, True), (-100, False)])
def test_pages_another_plugin_edits_before_or_after(
    tmp_path: Path, priority: int, runs_first: bool
) -> None:
    """A plugin that edits the Markdown before ours (here a hook of higher priority) gets its
    edit run; one that runs after ours sees our output. Built twice: the second build's results
    all come from the cache (prepared in ``on_files`` from the page as read, so a page edited
    before ours reaches it must be prepared again)."""
    (tmp_path / "hook.py").write_text(HOOK.format(priority=priority), encoding="utf-8")
    site = Site(tmp_path, hooks=["hook.py"])
    site.write("index.md", '# Home\n\n```python exec="on"\nprint("home", 1 + 1)\n```\n')
    site.write("edited.md", '# Edited\n\n```python exec="on"\nprint("page")\n```\n\nHOOK_FENCE\n')
    for round_ in range(2):
        build = site.build(strict=True)
        assert build.returncode == 0, build.log
        assert "home 2" in build.article("index").get_text()
        edited = build.article("edited").get_text()
        assert "page" in edited
        if runs_first:
            assert "from the hook 42" in edited, edited
        else:  # after ours: the fence it adds is shown, not run
            assert "from the hook" in edited and "from the hook 42" not in edited, edited
        if round_ == 1:  # every page once, every fence from the cache
            cached = 3 if runs_first else 2
            summary = f"2 pages with code, 0 fences run, {cached} from cache"
            assert any(summary in line for line in build.info()), build.log
