"""Files on disk, in real ``mkdocs build --strict`` runs: the plugin deletes only what it wrote,
reads everything on disk as untrusted, and publishes frozen output only after the checks fresh
output gets.

The promises of the probe suite (tests/build/test_probes.py) hold for every case: the exit code
says what happened, a page's problem is a warning at ``docs/index.md:LINE``, no traceback, the
text around the probe is on the page, the page has no script or event handler; and here also:
**no file outside site/ changed** except the plugin's own (the files its manifests name).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.build.test_probes import AFTER, BEFORE, assert_safe, line_of
from tests.sites import Build, Site, run_build

MANIFEST = ".infotheory-manifest.json"
PAGE = f"""# Probe

{BEFORE}

```python exec="on"
print("frozen " + "output")
```

{AFTER}
"""
CODE_LINE = line_of(PAGE, 'print("frozen')
FROZEN = Path("_freeze") / "index.md.json"


# -- helpers -----------------------------------------------------------------------------------
def snapshot(root: Path) -> dict[str, str]:
    """Every path below ``root`` but the built sites: a hash of each file, a link's target."""
    found: dict[str, str] = {}
    for top, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not (top == str(root) and f.startswith("site"))]
        for name in [*folders, *names]:
            path = Path(top) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[relative] = "folder"
            elif not path.is_file():
                found[relative] = "special"  # a FIFO: reading it would wait forever
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def owned(root: Path) -> set[str]:
    """What the plugin's manifests below ``root`` name (with the manifests themselves)."""
    names: set[str] = set()
    for manifest in root.rglob(MANIFEST):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        folder = manifest.parent.relative_to(root).as_posix()
        names.add(f"{folder}/{MANIFEST}")
        names.update(f"{folder}/{name}" for name in [*data["files"], *data["folders"]])
    return names


def assert_untouched(root: Path, before: dict[str, str], mine: set[str] = frozenset()) -> None:
    """Nothing outside site/ changed or vanished but what the plugin's manifests name (before
    or after the build) and the cache folder's bookkeeping it names in ``mine``."""
    after = snapshot(root)
    ours = owned(root) | mine
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    foreign = [
        name
        for name in changed
        if name not in ours
        and not name.startswith(".cache/")
        and not (name not in before and after[name] == "folder")  # a new folder loses nothing
    ]
    assert foreign == [], f"files the plugin did not write changed: {foreign}"


def limited(gib: int) -> Callable[[], None]:
    """A memory limit for the build: a file read to the end of /dev/zero fails it, fast (a
    limit on data, not address space: KaTeX's V8 reserves more address space than that)."""

    def apply() -> None:
        limit = gib * 2**30
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    return apply


def build(site: Site, *args: str, gib: int | None = None, env: dict[str, str] | None = None):
    site.save_config()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", *args]
    return run_build(
        command, site.root, env=env, preexec_fn=limited(gib) if gib else None, timeout=180
    )


def assert_clean(done: Build) -> None:
    assert "Traceback (most recent call last)" not in done.log, done.log
    assert "RecursionError" not in done.log and "MemoryError" not in done.log, done.log


def assert_page(done: Build) -> None:
    article = done.article()
    text = article.get_text()
    assert BEFORE in text and AFTER in text, "text around the probe was lost"
    assert_safe(article)


def warned_at(done: Build, line: int, *texts: str) -> None:
    warnings = done.warnings()
    assert any(f"docs/index.md:{line}:" in w and all(t in w for t in texts) for w in warnings), (
        warnings
    )


def config_error(done: Build, option: str) -> None:
    assert done.returncode == 1, done.log
    assert_clean(done)
    errors = [line for line in done.log.splitlines() if line.startswith(("ERROR", "Error:"))]
    assert any(f"plugins.infotheory.{option}:" in line for line in errors), done.log


def site_with(make_site: Callable[..., Site], **plugin: Any) -> Site:
    site = make_site(plugin={"math": "none", **plugin})
    site.write("index.md", PAGE)
    site.save_config()
    return site


def frozen_site(make_site: Callable[..., Site]) -> Site:
    """A site whose page was frozen by a ``freeze: auto`` build."""
    site = site_with(make_site, freeze="auto")
    first = build(site)
    assert first.returncode == 0, first.log
    assert (site.root / FROZEN).is_file()
    return site


def edit_frozen(site: Site, change: Callable[[dict[str, Any]], None]) -> None:
    path = site.root / FROZEN
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["cells"][0])
    path.write_text(json.dumps(data), encoding="utf-8")


def set_freeze(site: Site, mode: str) -> None:
    site.config["plugins"][1]["infotheory"]["freeze"] = mode
    site.save_config()


# -- principle 1: delete only what you wrote ---------------------------------------------------
QUARTO = {
    "_freeze/posts/hello/execute-results/html.json": '{"hash": "abc", "result": {}}',
    "_freeze/site_libs/clipboard/clipboard.min.js": "/* quarto */",
}
NEIGHBOURS = {
    "package.json": '{"name": "site-tools"}',
    "node_modules/left-pad/package.json": '{"name": "left-pad"}',
    "notes/settings.json": "{}",
}


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_quarto_freeze_folder_is_a_configuration_error_and_kept(make_site) -> None:
    site = site_with(make_site, freeze="auto", freeze_dir="_freeze")
    write_files(site.root, QUARTO)
    before = snapshot(site.root)
    done = build(site)
    config_error(done, "freeze_dir")
    assert "html.json" in done.log, "the message names a file that is not the plugin's"
    assert snapshot(site.root) == before


def test_foreign_files_beside_frozen_pages_survive_every_prune(make_site) -> None:
    site = frozen_site(make_site)
    site.write("other.md", '# Other\n\n```python exec="on"\nprint(2)\n```\n')
    assert build(site).returncode == 0
    # Other tools write into the folder once it is the plugin's: never touched.
    write_files(site.root, QUARTO)
    write_files(site.root / "_freeze", {"stray.md.json": '{"format": 1, "cells": []}'})
    (site.root / "_freeze" / "linked.md.json").symlink_to(site.root / "package.json")
    write_files(site.root, {"package.json": "{}"})
    before = snapshot(site.root)
    (site.root / "docs" / "other.md").unlink()  # its frozen file is the plugin's to delete
    for _ in range(2):
        done = build(site)
        assert done.returncode == 0, done.log
        assert_clean(done)
    assert not (site.root / "_freeze" / "other.md.json").exists()
    assert (site.root / FROZEN).is_file()
    after = snapshot(site.root)
    kept = {k: v for k, v in before.items() if k != "_freeze/other.md.json" and k != "docs"}
    kept.pop("docs/other.md")
    lost = [name for name in kept if after.get(name) != kept[name] and name not in owned(site.root)]
    assert lost == [], lost


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("freeze_dir", ".."),
        ("freeze_dir", "."),
        ("freeze_dir", "docs"),
        ("freeze_dir", "/tmp"),
        ("freeze_dir", "../sibling/_freeze"),
        ("cache_dir", ".."),
        ("cache_dir", "docs"),
        ("cache_dir", "notes"),  # a folder of the author's, with their files
    ],
)
def test_folder_outside_the_project_or_not_its_own_is_a_configuration_error(
    make_site, option: str, value: str
) -> None:
    site = site_with(make_site, freeze="auto", **{option: value})
    write_files(site.root, NEIGHBOURS)
    sibling = site.root.parent / "sibling"
    write_files(sibling, {"package.json": "{}", "_freeze/x.json": "{}"})
    before, sibling_before = snapshot(site.root), snapshot(sibling)
    done = build(site)
    config_error(done, option)
    assert snapshot(site.root) == before
    assert snapshot(sibling) == sibling_before


def test_two_configurations_sharing_freeze_dir_keep_each_others_pages(make_site) -> None:
    site = site_with(make_site, freeze="auto")
    site.config["exclude_docs"] = "b.md\n"
    for name in ("a", "b"):
        site.write(f"{name}.md", f'# {name}\n\n```python exec="on"\nprint("{name}")\n```\n')
    site.save_config()
    other = site.root / "mkdocs-other.yml"
    other.write_text(
        yaml.safe_dump({"INHERIT": "mkdocs.yml", "exclude_docs": "a.md\n", "site_dir": "site-b"}),
        encoding="utf-8",
    )
    write_files(site.root, NEIGHBOURS)
    frozen = {f"{name}.md.json" for name in ("index", "a", "b")}
    for round_ in range(3):
        for args in ((), ("-f", "mkdocs-other.yml")):
            before = snapshot(site.root)
            done = build(site, *args)
            assert done.returncode == 0, done.log
            assert_clean(done)
            assert_untouched(site.root, before)
            present = {p.name for p in (site.root / "_freeze").glob("*.json")}
            expected = frozen if round_ or args else frozen - {"b.md.json"}
            assert expected <= present, (round_, args, present)
    # A page one configuration no longer has: deleted once no configuration claims it.
    (site.root / "docs" / "a.md").unlink()
    assert build(site).returncode == 0
    assert not (site.root / "_freeze" / "a.md.json").exists()
    assert (site.root / "_freeze" / "b.md.json").exists()


def test_frozen_folder_of_an_older_release_is_adopted(make_site) -> None:
    site = frozen_site(make_site)
    (site.root / "_freeze" / MANIFEST).unlink()  # as an older release left it
    nested = site.root / "_freeze" / "old" / "page.md.json"
    nested.parent.mkdir()
    nested.write_bytes((site.root / FROZEN).read_bytes())
    set_freeze(site, "true")
    done = build(site)
    assert done.returncode == 0, done.log
    assert "frozen output" in done.article().get_text()
    assert {"index.md.json", "old/page.md.json"} <= set(
        json.loads((site.root / "_freeze" / MANIFEST).read_text())["files"]
    )


def test_cache_folder_with_foreign_files_is_an_error_unless_it_is_ours(make_site) -> None:
    site = site_with(make_site)
    assert build(site).returncode == 0
    cache = site.root / ".cache" / "infotheory"
    # Files of an older release (no manifests) are adopted; the build goes on.
    for manifest in cache.rglob(MANIFEST):
        manifest.unlink()
    again = build(site)
    assert again.returncode == 0, again.log
    # A stranger's file in a folder the plugin never claimed: a configuration error.
    for manifest in cache.rglob(MANIFEST):
        manifest.unlink()
    (cache / "exec" / "notes.txt").write_text("mine")
    before = snapshot(site.root)
    done = build(site)
    config_error(done, "cache_dir")
    assert "exec/notes.txt" in done.log
    assert snapshot(site.root) == before


# -- principle 5: everything read from disk is untrusted ----------------------------------------
def entries(site: Site) -> list[Path]:
    return sorted((site.root / ".cache" / "infotheory" / "exec").glob("[0-9a-f]*.json"))


def make_hostile(kind: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.unlink()
        if kind == "dev-zero":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "deep":
            path.write_text("[" * 200_000 + "]" * 200_000)
        elif kind == "deep-object":
            path.write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
        elif kind == "huge":
            with path.open("wb") as stream:
                stream.truncate(300 << 20)  # sparse: larger than any cap, costs no disk
        else:
            raise AssertionError(kind)

    return damage


HOSTILE = ["dev-zero", "fifo", "deep", "deep-object", "huge"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_cache_entry_is_a_warning_and_a_recompute(make_site, kind: str) -> None:
    site = site_with(make_site)
    assert build(site).returncode == 0
    [entry] = entries(site)
    make_hostile(kind)(entry)
    done = build(site, gib=4)
    assert_clean(done)
    assert done.returncode == 1, "an unreadable cache entry is a warning"
    assert any(str(entry) in w for w in done.warnings()), done.warnings()
    assert "frozen output" in done.article().get_text(), "the page ran again"
    assert_page(done)
    if kind in ("dev-zero", "fifo"):
        assert os.path.lexists(entry), "what the plugin did not write is left alone"


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_math_cache_is_a_warning(make_site, kind: str) -> None:
    site = make_site()
    site.write("index.md", f"# Math\n\n{BEFORE}\n\nEntropy $H(X)$.\n\n{AFTER}\n")
    assert build(site).returncode == 0
    path = site.root / ".cache" / "infotheory" / "math.json"
    make_hostile(kind)(path)
    done = build(site, gib=4)
    assert_clean(done)
    assert done.returncode == 1
    assert any("math cache" in w and str(path) in w for w in done.warnings()), done.warnings()
    assert done.article().select(".katex"), "the formula was rendered again"
    assert_page(done)


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("mode", ["auto", "true"])
def test_hostile_frozen_file_is_refused_at_its_line(make_site, kind: str, mode: str) -> None:
    site = frozen_site(make_site)
    make_hostile(kind)(site.root / FROZEN)
    set_freeze(site, mode)
    before = snapshot(site.root)
    done = build(site, gib=4)
    assert_clean(done)
    assert done.returncode == 1
    assert any(str(site.root / FROZEN) in w for w in done.warnings()), done.warnings()
    if mode == "true":
        warned_at(done, CODE_LINE, "not frozen")
    else:
        assert "frozen output" in done.article().get_text(), "the page ran again"
    assert_page(done)
    assert os.path.lexists(site.root / FROZEN)
    assert_untouched(site.root, before)


WRONG_RESULTS = {
    "result-null": lambda cell: cell.update(result=None),
    "result-list": lambda cell: cell.update(result=["x"]),
    "output-number": lambda cell: cell["result"].update(output=42),
    "output-list-of-numbers": lambda cell: cell["result"].update(output=[1, 2]),
    "value-object": lambda cell: cell["result"].update(value={"x": 1}),
    "figures-string": lambda cell: cell["result"].update(figures="<svg onload=alert(1)>"),
    "figure-without-data": lambda cell: cell["result"].update(figures=[{"format": "svg"}]),
    "figure-unknown-format": lambda cell: cell["result"].update(
        figures=[{"format": "html", "data": "<script>alert(1)</script>"}]
    ),
    "truncated-string": lambda cell: cell["result"].update(truncated="yes"),
    "cells-not-objects": lambda cell: cell.clear(),
}


@pytest.mark.parametrize("change", WRONG_RESULTS, ids=list(WRONG_RESULTS))
def test_frozen_result_of_the_wrong_type_is_refused_at_its_line(make_site, change: str) -> None:
    site = frozen_site(make_site)
    edit_frozen(site, WRONG_RESULTS[change])
    set_freeze(site, "true")
    done = build(site)
    assert_clean(done)
    assert done.returncode == 1, done.log
    warned_at(done, CODE_LINE, "not frozen")
    assert_page(done)
    assert "alert" not in str(done.article())


# -- principle 2 (data half): frozen output gets the checks fresh output gets -------------------
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()
BAD_FIGURES = {
    "png-breaks-out-of-src": {"format": "png", "data": 'x" onerror="alert(1)'},
    "png-not-png": {"format": "png", "data": base64.b64encode(b"<svg onload=alert(1)>").decode()},
    "png-trailing-junk": {"format": "png", "data": PNG + '"><img src=x onerror=alert(1)>'},
    "svg-onload": {"format": "svg", "data": '<svg onload="alert(1)"><rect/></svg>'},
    "svg-script": {"format": "svg", "data": "<svg><script>alert(1)</script></svg>"},
    "svg-foreign-object": {
        "format": "svg",
        "data": '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        "<img src='x' onerror='alert(1)'/></div></foreignObject></svg>",
    },
    "svg-javascript-link": {
        "format": "svg",
        "data": '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="java\tscript:'
        'alert(1)"><text>x</text></a></svg>',
    },
    "svg-data-html-link": {
        "format": "svg",
        "data": '<svg><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">'
        "<text>x</text></a></svg>",
    },
    "svg-animated-handler": {
        "format": "svg",
        "data": '<svg><a><set attributeName="href" to="javascript:alert(1)"/>'
        "<text>x</text></a></svg>",
    },
    "svg-closes-early": {"format": "svg", "data": "<svg></svg><img src=x onerror=alert(1)>"},
    "svg-cdata": {
        "format": "svg",
        "data": "<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]></svg>",
    },
    "svg-comment-trick": {
        "format": "svg",
        "data": "<svg><!--><img src=x onerror=alert(1)>--></svg>",
    },
    "svg-entity": {
        "format": "svg",
        "data": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    },
    "svg-html-breakout": {
        "format": "svg",
        "data": '<svg><p/><meta http-equiv="refresh" content="0;url=https://example.com"/></svg>',
    },
}


@pytest.mark.parametrize("figure", BAD_FIGURES, ids=list(BAD_FIGURES))
def test_malicious_frozen_figure_is_refused_at_its_line(make_site, figure: str) -> None:
    site = frozen_site(make_site)
    edit_frozen(site, lambda cell: cell["result"].update(figures=[BAD_FIGURES[figure]]))
    set_freeze(site, "true")
    done = build(site)
    assert_clean(done)
    assert done.returncode == 1, done.log
    warned_at(done, CODE_LINE, "UnsafeOutput")
    assert_page(done)
    article = done.article()
    assert "alert(1)" not in str(article.find_all(["svg", "img"]))
    assert not article.find_all("meta"), "an SVG must not bring HTML elements"
    assert "frozen output" in article.get_text(), "the rest of the result is shown"


def test_oversize_frozen_output_is_cut_to_max_output(make_site) -> None:
    site = frozen_site(make_site)
    edit_frozen(site, lambda cell: cell["result"].update(output=["x" * 200 + "\n"] * 1000))
    set_freeze(site, "true")
    done = build(site)
    assert_clean(done)
    assert done.returncode == 1, done.log
    warned_at(done, CODE_LINE, "truncated to max_output=100000")
    assert_page(done)
    assert len(done.article().get_text()) < 110_000


def test_oversize_cached_inline_value_is_cut_to_max_output(make_site) -> None:
    site = make_site(plugin={"math": "none", "max_output": 50})
    site.write("index.md", f"# Probe\n\n{BEFORE}\n\nValue: `{{python}} 'v' * 10`.\n\n{AFTER}\n")
    assert build(site).returncode == 0
    [entry] = entries(site)
    data = json.loads(entry.read_text())
    data["results"][0]["value"] = "v" * 5000
    entry.write_text(json.dumps(data))
    done = build(site)
    assert_clean(done)
    assert done.returncode == 1
    warned_at(done, line_of(done.root.joinpath("docs/index.md").read_text(), "Value:"))
    assert "v" * 51 not in done.article().get_text()


@pytest.mark.parametrize("figure_format", ["svg", "png"])
def test_real_matplotlib_figures_pass_unchanged(make_site, figure_format: str) -> None:
    site = make_site(plugin={"math": "none", "freeze": "auto", "figure_format": figure_format})
    site.write(
        "index.md",
        f"# Plot\n\n{BEFORE}\n\n"
        '```python exec="on"\nimport matplotlib.pyplot as plt\n'
        "fig, ax = plt.subplots()\nax.plot([0, 1, 4], label=r'$x^2$ & <y>')\n"
        "ax.fill_between([0, 1, 2], [0, 1, 2], hatch='//', alpha=0.3)\n"
        "ax.set_title('Entropy <H> & \"bits\"')\nax.legend()\n```\n\n"
        f"{AFTER}\n",
    )
    fresh = build(site)
    assert fresh.returncode == 0, fresh.log
    set_freeze(site, "true")
    frozen = build(site)
    assert frozen.returncode == 0, frozen.log
    for done in (fresh, frozen):
        plot = done.article().select_one("div.infotheory-plot")
        assert plot is not None
        assert plot.find("svg" if figure_format == "svg" else "img") is not None
    stored = json.loads((site.root / FROZEN).read_text())["cells"][0]["result"]["figures"][0]
    data = "".join(stored["data"])
    plot = frozen.article().select_one("div.infotheory-plot")
    if figure_format == "svg":
        assert plot.find("path") is not None
        assert data.count("<path") == str(plot).count("<path")
    else:
        assert data in str(plot)
