"""``compat: markdown-exec``: a page written the way markdown-exec's documentation writes them,
built once with markdown-exec itself and once with this plugin, shows the same thing, section
by section, on MkDocs and on Zensical; without ``compat`` the same vocabulary is accepted.

The comparison is of what a reader sees (table cells, which code is shown, tab labels, a
console's prompt and output, the HTML a fence printed, a highlighted result's text), read
from the parsed HTML, not of markup: the two differ in ids and classes by design.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag

from tests.hosts._hosts import HostSite
from tests.sites import Build, Site

#: markdown-exec's documentation style: defaults (source hidden, output as Markdown), then
#: every option of its vocabulary, one section each.
PAGE = r"""
# A markdown-exec page

## Table

```python exec="on"
rows = [("alpha", 1), ("beta", 2)]
print("| name | value |")
print("| --- | --- |")
for name, value in rows:
    print(f"| {name} | {value} |")
```

## Hidden lines

```python exec="true" source="above"
secret = 41  # markdown-exec: hide
print(f"The answer is **{secret + 1}**.")
```

## Block

```python exec="1" source="material-block"
print("Hello from a *block*.")
```

## New block

```python exec="on" source="block"
print("Another *block*.")
```

## Tabs

```python exec="yes" source="tabbed-left" tabs="Code|Output"
print("- one\n- two")
```

## Right tabs

```md exec="on" source="tabbed-right"
**bold** and `code`
```

## Console

```console exec="on" source="console"
$ echo hello console
```

## Shell

```sh exec="on" result="text"
echo "plain shell"
```

## Bash with returncode

```bash exec="on" returncode="3" result="text" source="above"
echo failing on purpose
exit 3
```

## HTML

```python exec="on" html="1"
print('<div class="made-by-code"><em>raw</em></div>')
```

## HTML true

```python exec="on" html="true"
print('<p class="also-by-code">true</p>')
```

## JSON

```python exec="on" result="json" id="json-example" source="above" title="make_json.py"
import json
print(json.dumps({"a": 1, "b": [1, 2]}))
```

## Pycon

```pycon exec="on" source="console"
>>> print("from pycon")
```

## Markdown

```markdown exec="on"
A *rendered* paragraph.
```

## Options

```python exec="on" idprefix="" updatetoc="no" width="50" workdir="sub" session="s1"
import os
print(f"{os.environ['COLUMNS']} columns in", os.path.basename(os.getcwd()))
```

## Literate

````md exec="1" source="tabbed-left" tabs="Markdown|Rendered"
```sh exec="1" source="material-block"
echo Markdown is **cool**
```
````

## Literate console

````md exec="1" source="tabbed-left" tabs="Markdown|Rendered"
```pycon exec="1" source="console"
>>> print("inside")
>>> print("twice")
```
````

## Meta

````md exec="1" source="tabbed-left"
```md exec="1" source="material-block" title="Markdown link"
[Link to *example.com*](https://example.com)
```
````

## Below

```python exec="on" source="below" session="s1"
print("*after* the code")
```
"""

#: What only this plugin does (markdown-exec shows escape codes unless pygments-ansi-color
#: is installed): colours kept as classed spans.
ANSI_PAGE = r"""
# Colours

```python exec="on" result="ansi"
print("\x1b[31mred <tag>\x1b[0m plain")
```
"""

HOSTS = ("mkdocs", "zensical")


def _project(root: Path, host: str, *, reference: bool) -> HostSite:
    """A project built by markdown-exec (``reference``) or by this plugin with ``compat``.

    ``workdir="sub"`` is read from the folder the build runs in by markdown-exec and from the
    docs folder here: both have a ``sub``.
    """
    site = HostSite(root, host)
    (root / "sub").mkdir(exist_ok=True)
    (root / "docs" / "sub").mkdir(exist_ok=True)
    tabbed = {"pymdownx.tabbed": {"alternate_style": True}}
    config: dict[str, Any] = {"site_name": "markdown-exec compat"}
    if reference:
        config["markdown_extensions"] = ["pymdownx.superfences", tabbed, "md_in_html", "tables"]
        config["plugins"] = ["markdown-exec"] if host == "zensical" else ["search", "markdown-exec"]
    elif host == "zensical":
        config["markdown_extensions"] = [{"infotheory": {"compat": "markdown-exec"}}]
    else:
        config["plugins"] = ["search", {"infotheory": {"compat": "markdown-exec"}}]
    if host != "zensical":
        config["theme"] = {"name": "material"}
    site.config = config
    return site


def _sections(article: Tag) -> dict[str, list[tuple[str, ...]]]:
    """What each ``##`` section shows, in order: the kinds and texts a reader sees."""
    for link in article.select("a.headerlink"):
        link.decompose()
    sections: dict[str, list[tuple[str, ...]]] = {}
    current: list[tuple[str, ...]] | None = None
    for node in article.children:
        if not isinstance(node, Tag):
            continue
        if node.name == "h2":
            current = sections.setdefault(node.get_text(strip=True), [])
            continue
        if current is not None:
            current.extend(_shown(node))
    return sections


def _shown(node: Tag) -> list[tuple[str, ...]]:
    items: list[tuple[str, ...]] = []
    for element in [node, *node.find_all(True)]:
        classes = element.get("class") or []
        if element.find_parent(["pre", "table"]) is not None:
            continue
        if element.name == "table":
            cells = tuple(cell.get_text(strip=True) for cell in element.find_all(["th", "td"]))
            items.append(("table", *cells))
        elif "made-by-code" in classes or "also-by-code" in classes:
            items.append(("printed html", element.name, element.get_text(strip=True)))
        elif element.name == "pre":
            items.append(("code", element.get_text().strip()))
        elif element.name == "label" and element.find_parent(class_="tabbed-labels"):
            items.append(("tab", element.get_text(strip=True)))
        elif element.name in ("p", "li", "em", "strong", "code"):
            items.append((element.name, element.get_text(strip=True)))
        elif element.name == "div" and "result" in classes:
            items.append(("result box",))
    return items


def _build(site: HostSite, host: str) -> Build:
    build = site.build()
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module", params=HOSTS)
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    host = request.param
    builds = []
    for reference in (True, False):
        root = tmp_path_factory.mktemp(f"{host}-{'reference' if reference else 'compat'}")
        site = _project(root, host, reference=reference)
        site.write("index.md", PAGE)
        builds.append(_build(site, host))
    return host, builds[0], builds[1]


def test_every_section_shows_what_markdown_exec_shows(both: Any) -> None:
    host, reference, ours = both
    expected = _sections(reference.article())
    got = _sections(ours.article())
    assert list(got) == list(expected)
    for title, shown in expected.items():
        assert got[title] == shown, f"{host}: section {title!r} differs"


def test_the_reference_shows_what_the_page_asks(both: Any) -> None:
    """The comparison above is only worth something if markdown-exec really ran: spot-check
    the reference (and so ours) against what each option means."""
    host, _reference, ours = both
    for build in both[1:]:
        sections = _sections(build.article())
        assert ("table", "name", "value", "alpha", "1", "beta", "2") in sections["Table"]
        assert not any(kind == "code" for kind, *_ in sections["Table"])  # source hidden
        hidden = sections["Hidden lines"]
        assert ("code", 'print(f"The answer is **{secret + 1}**.")') in hidden
        assert ("strong", "42") in hidden
        assert ("result box",) in sections["Block"] and ("result box",) in sections["New block"]
        assert [item for item in sections["Tabs"] if item[0] == "tab"] == [
            ("tab", "Code"),
            ("tab", "Output"),
        ]
        assert [item for item in sections["Right tabs"] if item[0] == "tab"] == [
            ("tab", "Result"),
            ("tab", "Source"),
        ]
        assert ("code", "$ echo hello console\nhello console") in sections["Console"]
        assert ("code", "failing on purpose") in sections["Bash with returncode"]
        assert ("printed html", "div", "raw") in sections["HTML"]
        assert ("printed html", "p", "true") in sections["HTML true"]
        assert ("code", '{"a": 1, "b": [1, 2]}') in sections["JSON"]
        assert ("code", '>>> print("from pycon")\nfrom pycon') in sections["Pycon"]
        assert ("em", "rendered") in sections["Markdown"]
        assert ("p", "50 columns in sub") in sections["Options"]
        assert sections["Below"][-1][0] == "code"
        literate = sections["Literate"]  # a fence inside an md fence runs, in the Result tab
        assert ("strong", "cool") in literate and ("result box",) in literate
        assert ("tab", "Markdown") in literate and ("tab", "Rendered") in literate
        console = '>>> print("inside")\n>>> print("twice")\ninside\ntwice'
        assert ("code", console) in sections["Literate console"]
        meta = sections["Meta"]  # an md fence in an md fence: both render
        assert ("em", "example.com") in meta and ("result box",) in meta
    assert not [line for line in ours.warnings() if "infotheory" in line], ours.log
    if host == "mkdocs":  # the title passes through to the shown source
        titles = [span.get_text() for span in ours.article().select(".filename")]
        assert "make_json.py" in titles


def test_the_compat_switch_is_what_changes_the_defaults(tmp_path: Path) -> None:
    """Without ``compat``, our defaults stay: source above and output as text."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    site = Site(tmp_path)
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    table = _sections(build.article())["Table"]
    assert table[0][0] == "code" and table[0][1].startswith("rows = ")
    assert ("code", "| name | value |\n| --- | --- |\n| alpha | 1 |\n| beta | 2 |") in table


def test_the_vocabulary_is_accepted_without_compat(tmp_path: Path) -> None:
    """Every option keeps markdown-exec's meaning without ``compat`` (no invalid-fence
    warning, ``--strict`` passes): only the defaults are ours."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    site = Site(tmp_path)
    site.write("index.md", PAGE)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    assert not build.warnings(), build.log
    sections = _sections(build.article())
    assert ("result box",) in sections["Block"]
    assert [item[1] for item in sections["Tabs"] if item[0] == "tab"] == ["Code", "Output"]
    assert ("code", "$ echo hello console\nhello console") in sections["Console"]
    assert ("printed html", "div", "raw") in sections["HTML"]
    assert ("code", '{"a": 1, "b": [1, 2]}') in sections["JSON"]
    hidden = [text for kind, text, *_ in sections["Hidden lines"] if kind == "code"]
    assert hidden and "secret = 41" not in hidden[0]
    assert ("code", "50 columns in sub") in sections["Options"]
    assert ("em", "rendered") in sections["Markdown"]  # a markdown fence renders, source above
    assert ("code", "A *rendered* paragraph.") in sections["Markdown"]


@pytest.mark.parametrize("host", HOSTS)
def test_terminal_colours_are_kept_and_escaped(tmp_path: Path, host: str) -> None:
    site = _project(tmp_path, host, reference=False)
    site.write("index.md", ANSI_PAGE)
    build = _build(site, host)
    block = build.article().select_one(".infotheory-ansi pre code")
    assert block is not None, build.log
    red = block.select_one("span.ansi-red")
    assert red is not None and red.get_text() == "red <tag>"
    assert "\x1b" not in block.get_text()
    assert block.get_text().strip() == "red <tag> plain"


@pytest.mark.parametrize("host", HOSTS)
def test_a_wrong_returncode_fails_at_its_line(tmp_path: Path, host: str) -> None:
    site = _project(tmp_path, host, reference=False)
    site.write("index.md", '# Exit\n\n```bash exec="on" returncode="2"\nexit 3\n```\n')
    build = site.build()
    assert "index.md:4" in build.log and "status 3 (expected 2)" in build.log, build.log


@pytest.mark.parametrize("host", HOSTS)
def test_browser_and_tree_fences_are_refused_at_their_line(tmp_path: Path, host: str) -> None:
    site = _project(tmp_path, host, reference=False)
    site.write(
        "index.md",
        '# Widgets\n\n```pyodide\nprint(1)\n```\n\n```tree exec="on"\nroot/\n  a.txt\n```\n',
    )
    build = site.build()
    assert "index.md:3" in build.log and "'pyodide' fences" in build.log, build.log
    assert "index.md:7" in build.log and "'tree' fences" in build.log, build.log
    shown = [pre.get_text() for pre in build.article().find_all("pre")]
    assert any("print(1)" in text for text in shown)
    assert any("a.txt" in text for text in shown)


def test_on_zensical_with_both_configured_infotheory_runs_the_fence(tmp_path: Path) -> None:
    """Zensical maps ``plugins: [markdown-exec]`` to a superfences fence; the infotheory
    extension reads the page first, so each executable fence runs once, here: its
    namespace is a ``__main__`` module (markdown-exec names it after the code block)."""
    site = _project(tmp_path, "zensical", reference=True)
    site.config["markdown_extensions"].append({"infotheory": {"compat": "markdown-exec"}})
    site.write("index.md", '# Both\n\n```python exec="on"\nprint(f"ran in `{__name__}`")\n```\n')
    build = _build(site, "zensical")
    assert build.article().find("code", string="__main__") is not None, build.log
