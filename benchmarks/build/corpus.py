"""Write the generated pages as complete MkDocs sites, one per variant.

Fairness: every variant gets the same theme (Material with ``font: false``, which our plugin
sets by default), the same Markdown extensions (the plugin's defaults, listed explicitly, so
the plugin adds nothing) and the same navigation. The variants differ only in how computed
numbers reach the page and in who renders the math:

* ``plugin``: our fences (``exec="on"``) and inline `` `{python} EXPR` `` values, with the
  plugin's ``math`` option at ``none`` (arithmatex's output left to a script in the browser,
  like the baselines) or at its default ``katex`` (rendered at build time);
* ``markdown_exec``: markdown-exec's fences, and *not* our plugin: what a markdown-exec user
  ships, math left to the browser. markdown-exec has no preamble and no inline syntax: the
  preamble becomes lines hidden from the shown source (its ``# markdown-exec: hide`` marker)
  and each inline sentence becomes a fence printing that sentence as Markdown;
* ``typed``: no execution and not our plugin: outputs typed in (computed once here,
  in-process), math left to the browser.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mkdocs_infotheory.hosts.mkdocs.config import DEFAULT_PREAMBLE
from mkdocs_infotheory.hosts.mkdocs.extensions import DEFAULT_EXTENSIONS

from .content import (
    Evaluator,
    Fence,
    InlineValue,
    PageSpec,
    Prose,
    Shape,
    index_page,
    page_spec,
)

Variant = Literal["plugin", "markdown_exec", "typed"]
VARIANTS: tuple[Variant, ...] = ("plugin", "markdown_exec", "typed")
#: Who renders the math: our plugin at build time (``katex``), or a script in the reader's
#: browser (``none`` for our plugin; always so for the baselines, which do not load it).
MathMode = Literal["katex", "none"]

#: The ``exec`` value of markdown-exec fences: what its documentation writes.
MARKDOWN_EXEC_ON = "on"
_HIDE = "  # markdown-exec: hide"
NOTES_DIR = "notes"
#: Where MkDocs plugins keep caches under the site root (ours: ``.cache/infotheory``).
CACHE = Path(".cache")
#: Where sites and cold builds' caches are moved before being deleted (see :func:`clear_output`).
TRASH = ".trash"
#: Where the plugin keeps executed results under the site root (its ``cache_dir`` + ``exec``).
EXEC_CACHE = CACHE / "infotheory" / "exec"
MANIFEST = "bench-site.json"


@dataclass(frozen=True)
class SiteSpec:
    variant: Variant
    pages: int
    heavy: bool = False
    #: The plugin's ``workers`` option (``None``: its default, the CPU count).
    workers: int | None = None
    shape: Shape = "few"
    #: The plugin's ``math`` option; ignored by the baselines, whose math is left to the browser.
    math: MathMode = "none"
    #: Default extensions left out of every variant's ``mkdocs.yml``: our own ones that an older
    #: copy of the plugin under comparison does not have (see :func:`.measure.missing_modules`),
    #: so that every copy builds the same site.
    omit_extensions: tuple[str, ...] = ()

    @property
    def build_time_math(self) -> bool:
        return self.variant == "plugin" and self.math == "katex"


def render_page(spec: PageSpec, variant: Variant, evaluator: Evaluator | None = None) -> str:
    """The Markdown source of one page in one variant (``typed`` needs an ``evaluator``)."""
    parts = [f"---\ntitle: {spec.title}\n---\n"]
    for block in spec.blocks:
        if isinstance(block, Prose):
            parts.append(block.text)
        elif isinstance(block, InlineValue):
            parts.append(_inline(block, variant, evaluator))
        else:
            parts.append(_fence(block, variant, evaluator))
    return "\n".join(parts)


def _inline(block: InlineValue, variant: Variant, evaluator: Evaluator | None) -> str:
    if variant == "plugin":
        return f"{block.before}`{{python}} {block.expr}`{block.after}\n"
    if variant == "markdown_exec":
        code = f"print({block.before!r} + {block.expr} + {block.after!r})\n"
        return _markdown_exec_fence(code, "")
    assert evaluator is not None
    return f"{block.before}{evaluator.value(block.expr)}{block.after}\n"


def _fence(block: Fence, variant: Variant, evaluator: Evaluator | None) -> str:
    if variant == "plugin":
        shown = (
            'source="above" result="text"'
            if block.result == "text"
            else ('source="none" result="markdown"')
        )
        return f'```python exec="on" {shown}\n{block.code}```\n'
    if variant == "markdown_exec":
        # markdown-exec shows no source by default and renders output as Markdown by default.
        shown = 'source="above" result="text"' if block.result == "text" else ""
        return _markdown_exec_fence(block.code, shown)
    assert evaluator is not None
    output = evaluator.output(block.code)
    if block.result == "markdown":
        return output
    return f"```python\n{block.code}```\n\n```text\n{output}```\n"


def _markdown_exec_fence(code: str, options: str) -> str:
    preamble = "".join(f"{line}{_HIDE}\n" for line in DEFAULT_PREAMBLE.splitlines() if line)
    info = f'python exec="{MARKDOWN_EXEC_ON}" {options}'.strip()
    return f"```{info}\n{preamble}{code}```\n"


def mkdocs_config(spec: SiteSpec) -> dict[str, Any]:
    """The site's ``mkdocs.yml`` as data; only the plugin list differs between variants."""
    plugins: list[Any] = ["search"]
    if spec.variant == "plugin":
        infotheory: dict[str, Any] = {}
        if spec.workers is not None:
            infotheory["workers"] = spec.workers
        if spec.math != "katex":
            infotheory["math"] = spec.math
        plugins.append({"infotheory": infotheory} if infotheory else "infotheory")
    elif spec.variant == "markdown_exec":
        plugins.append("markdown-exec")
    extensions = [
        {name: dict(options)} if options else name
        for name, options in DEFAULT_EXTENSIONS.items()
        if name not in spec.omit_extensions
    ]
    return {
        "site_name": f"Benchmark corpus ({spec.variant}, {spec.pages} pages)",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": extensions,
        "plugins": plugins,
        "nav": ["index.md"],
        "not_in_nav": f"/{NOTES_DIR}/\n",
    }


def write_site(root: Path, spec: SiteSpec) -> Path:
    """Create (or replace) the site under ``root``; returns the path of its ``mkdocs.yml``."""
    if root.exists():
        shutil.rmtree(root)
    notes = root / "docs" / NOTES_DIR
    notes.mkdir(parents=True)
    (root / "docs" / "index.md").write_text(index_page(spec.pages), encoding="utf-8")
    for number in range(1, spec.pages + 1):
        page = page_spec(number, spec.heavy, spec.shape)
        evaluator = Evaluator() if spec.variant == "typed" else None
        text = render_page(page, spec.variant, evaluator)
        (notes / f"{page.slug}.md").write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    # JSON is valid YAML, and MkDocs reads mkdocs.yml with a YAML loader.
    config.write_text(json.dumps(mkdocs_config(spec), indent=2) + "\n", encoding="utf-8")
    (root / MANIFEST).write_text(
        json.dumps(
            {
                "variant": spec.variant,
                "pages": spec.pages,
                "heavy": spec.heavy,
                "shape": spec.shape,
                "math": spec.math if spec.variant == "plugin" else "browser",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    return config


def page_paths(root: Path) -> Iterable[Path]:
    return sorted((root / "docs" / NOTES_DIR).glob("*.md"))


def clear_output(root: Path, cache: bool) -> None:
    """Before every timed build: no ``site`` folder left by an earlier build (a CI runner has
    none, and MkDocs would otherwise first delete its files one by one, a cost that grows with
    what a variant writes); with ``cache``, no ``.cache`` folder either: a cold build, as on a
    fresh CI runner.

    Both are moved aside, not deleted: deleting a few hundred files just before a build
    leaves the file system writing that back during the build (measured: the templates
    phase of a 100-page build 0.33-0.48 s instead of 0.31-0.35 s). :func:`empty_trash`
    deletes them once the timed builds are over.
    """
    trash = root.parent / TRASH
    trash.mkdir(exist_ok=True)
    for name in (CACHE, Path("site")) if cache else (Path("site"),):
        if (root / name).exists():
            os.replace(root / name, trash / f"{root.name}-{name.name}-{uuid.uuid4().hex}")


def empty_trash(workdir: Path) -> None:
    """Delete what :func:`clear_output` moved aside under ``workdir``."""
    for trash in workdir.rglob(TRASH):
        shutil.rmtree(trash, ignore_errors=True)
