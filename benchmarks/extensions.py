"""What each of the plugin's default Markdown extensions costs, page by page.

    .venv/bin/python benchmarks/extensions.py [--pages 100] [--repeats 5] [DOCS_DIR]

MkDocs builds a new ``markdown.Markdown`` with every listed extension for every page, then
converts the page; that pair is what one extension can make slower. This script does the same
in-process over the benchmark corpus (hand-typed pages of the common and the long shape, see
``benchmarks/build``) or over a folder of Markdown files, once with the whole default list and
once without each extension in turn, and reports CPU time per page (``time.process_time``,
which other processes on a shared machine disturb less than wall time). Medians of
``--repeats`` interleaved passes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.build.content import Evaluator, page_spec
from benchmarks.build.corpus import render_page
from mkdocs_infotheory.hosts.mkdocs.extensions import DEFAULT_EXTENSIONS

Extensions = dict[str, dict[str, Any]]


def corpus(pages: int) -> list[str]:
    texts = []
    for shape in ("few", "many"):
        for number in range(1, pages + 1):
            spec = page_spec(number, shape=shape)  # type: ignore[arg-type]
            texts.append(render_page(spec, "typed", Evaluator()).split("---\n", 2)[2])
    return texts


def cpu_per_page(texts: list[str], extensions: Extensions) -> float:
    started = time.process_time()
    for text in texts:
        md = markdown.Markdown(
            extensions=list(extensions),
            extension_configs={name: dict(config) for name, config in extensions.items()},
        )
        md.convert(text)
    return (time.process_time() - started) / len(texts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("docs", nargs="?", type=Path, help="a folder of Markdown pages")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if args.docs:
        texts = [p.read_text(encoding="utf-8") for p in sorted(args.docs.rglob("*.md"))]
    else:
        texts = corpus(args.pages)
    variants: dict[str, Extensions] = {"all defaults": dict(DEFAULT_EXTENSIONS)}
    for name in DEFAULT_EXTENSIONS:
        variants[f"without {name}"] = {k: v for k, v in DEFAULT_EXTENSIONS.items() if k != name}
    highlight = dict(DEFAULT_EXTENSIONS)
    highlight["pymdownx.highlight"] = {}
    variants["pymdownx.highlight without its settings"] = highlight
    variants["a common set of 9 (no abbr, def_list, caption, details, inlinehilite)"] = {
        k: v
        for k, v in DEFAULT_EXTENSIONS.items()
        if k
        not in (
            "abbr",
            "def_list",
            "pymdownx.blocks.caption",
            "pymdownx.details",
            "pymdownx.inlinehilite",
        )
    }
    variants["none"] = {}
    samples: dict[str, list[float]] = {label: [] for label in variants}
    cpu_per_page(texts, DEFAULT_EXTENSIONS)  # warm-up: imports, regex compilation
    for _ in range(args.repeats):
        for label, extensions in variants.items():
            samples[label].append(cpu_per_page(texts, extensions))
    full = statistics.median(samples["all defaults"])
    print(f"{len(texts)} pages, median of {args.repeats} passes, CPU ms per page\n")
    print("| extensions | ms per page | cost of the extension (ms per page) | share |")
    print("|---|--:|--:|--:|")
    for label, values in samples.items():
        value = statistics.median(values)
        cost = full - value if label.startswith("without") else None
        print(
            f"| {label} | {1000 * value:.2f} | "
            + (f"{1000 * cost:.2f} | {100 * cost / full:.0f}% |" if cost is not None else "- | - |")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
