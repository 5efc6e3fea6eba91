"""A build without cached results starts running pages from ``on_config``, before MkDocs
lists its files: it must run the pages MkDocs builds, each exactly once, and no other, and
say nothing MkDocs does not say itself."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from tests.sites import Site

#: Appends the page's name to a log in the project folder (the docs folder is the cwd).
APPENDS = """
# {name}

```python exec="on"
with open("../runs.log", "a") as log:
    print("{name}", file=log)
print("ran {name}")
```
"""


def _runs(site: Site) -> list[str]:
    log = site.root / "runs.log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def test_each_built_page_runs_once_and_excluded_pages_never(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(exclude_docs="private/\n", draft_docs="drafts/\n")
    names = [f"page{number}" for number in range(12)]
    for name in names:
        site.write(f"{name}.md", APPENDS.format(name=name))
    site.write("private/secret.md", APPENDS.format(name="secret"))
    site.write("drafts/draft.md", APPENDS.format(name="draft"))
    site.write(".hidden.md", APPENDS.format(name="hidden"))
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert sorted(_runs(site)) == sorted(names), build.log
    assert "ran page7" in build.html("page7").get_text()


def test_every_cold_build_runs_each_page_once(make_site: Callable[..., Site]) -> None:
    site = make_site()
    for number in range(6):
        site.write(f"p{number}.md", APPENDS.format(name=f"p{number}"))
    for _ in range(2):
        build = site.build(strict=True)
        assert build.returncode == 0, build.log
        shutil.rmtree(site.root / ".cache")
    assert sorted(_runs(site)) == sorted([f"p{number}" for number in range(6)] * 2)


def test_messages_about_the_files_are_not_repeated(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write("index.md", APPENDS.format(name="index"))
    site.write("README.md", "# Read me\n")
    build = site.build()
    assert build.returncode == 0, build.log
    conflicts = [line for line in build.log.splitlines() if "conflicts with" in line]
    assert len(conflicts) == 1, build.log
    assert _runs(site) == ["index"]
