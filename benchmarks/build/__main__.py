"""``python -m benchmarks.build``: generate the corpus, time the builds, print the report.

Default (about 10 minutes on 2 cores): 100 pages of the common shape (two fences, two
formulas) and of a long shape (ten fences, five inline values, dozens of formulas); our plugin
with math off (no ``.cache``, and warm) and with its defaults (build-time KaTeX) against
markdown-exec and hand-typed pages, both with math left to the browser; 5 interleaved rounds.
``--scaling`` adds 10 and 1000 pages, 3 rounds each (100 comes from the main run; ``make
bench`` passes it); ``--profile`` adds cProfile runs of the plugin's builds; ``--heavy`` the
execution-heavy pair (1 and 2 workers).
"""

from __future__ import annotations

import argparse
import json
import pstats
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs_infotheory.hosts.mkdocs.extensions import DEFAULT_EXTENSIONS

from .corpus import empty_trash
from .machine import describe, git_revision
from .measure import (
    Builder,
    Sample,
    build_environment,
    freeze_plugin,
    installed_plugin_source,
    missing_modules,
)
from .plan import (
    MARKDOWN_EXEC,
    OURS_COLD,
    OURS_KATEX_COLD,
    OURS_WARM,
    TYPED,
    Builders,
    Case,
    comparison_cases,
    for_source,
    heavy_cases,
    log,
    run_rounds,
    set_up,
)
from .report import (
    Ratio,
    copies_table,
    machine_table,
    memory_breakdown,
    ratio_table,
    scaling_table,
    summarize,
    timing_table,
)

PROFILER = Path(__file__).resolve().with_name("profiling.py")

#: The issue's four ratios (a)-(d), then one reported without a goal.
TARGETS = (
    Ratio("(a) ours, math: none, no .cache / markdown-exec", OURS_COLD, MARKDOWN_EXEC, 1.00),
    Ratio("(b) ours, math: none, warm cache / hand-typed", OURS_WARM, TYPED, 1.03),
    Ratio(
        "(c) ours, defaults (build-time KaTeX), no .cache / markdown-exec (browser math)",
        OURS_KATEX_COLD,
        MARKDOWN_EXEC,
        1.10,
    ),
    Ratio(
        "(d) peak PSS of the tree, ours, math: none, no .cache / hand-typed",
        OURS_COLD,
        TYPED,
        1.50,
        "pss",
    ),
    Ratio(
        "peak PSS of the tree, ours, defaults, no .cache / hand-typed",
        OURS_KATEX_COLD,
        TYPED,
        None,
        "pss",
    ),
    Ratio("markdown-exec / hand-typed (for scale)", MARKDOWN_EXEC, TYPED, None),
)
HEAVY_TARGET = Ratio(
    "execution-heavy, no .cache, 2 workers / 1 worker",
    "heavy, cold, 2 workers",
    "heavy, cold, 1 worker",
    0.65,
)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__)
    parser.add_argument("--pages", type=int, default=100, help="pages of the main corpus")
    parser.add_argument("--rounds", type=int, default=5, help="timed builds per case (>= 5)")
    parser.add_argument("--no-main", action="store_true", help="skip the main comparison")
    parser.add_argument("--no-many", action="store_true", help="skip the many-fences shape")
    parser.add_argument("--heavy", action="store_true", help="add the execution-heavy pair")
    parser.add_argument("--scaling", action="store_true", help="also time 10/100/1000 pages")
    parser.add_argument("--scaling-sizes", default="10,100,1000")
    parser.add_argument(
        "--scaling-rounds",
        type=int,
        default=3,
        help="rounds at the other sizes (the main run's size reuses its rounds)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the plugin's builds")
    parser.add_argument("--workdir", type=Path, help="where sites go (default: a temp dir)")
    parser.add_argument(
        "--plugin-source",
        action="append",
        default=[],
        metavar="[LABEL=]DIR",
        help="a folder holding a mkdocs_infotheory/ to measure instead of the installed one; "
        "repeat it to compare copies (e.g. a fix): the plugin's cases then run once per copy, "
        "interleaved, and later copies are named by LABEL",
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        metavar="RESULTS_JSON",
        help="print the report of an earlier run from its results.json, and run nothing",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the round order")
    parser.add_argument("--interval", type=float, default=0.05, help="memory sampling period")
    parser.add_argument(
        "--max-contention",
        type=float,
        default=0.25,
        help="rebuild when other processes used more CPUs than this during a build",
    )
    parser.add_argument("--retries", type=int, default=3, help="rebuilds allowed per sample")
    parser.add_argument(
        "--quiet-timeout", type=float, default=20.0, help="longest wait for quiet (seconds)"
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=-10,
        help="run builds at this niceness, ahead of other work where permitted (0: ordinary)",
    )
    parser.add_argument(
        "--cases",
        default="",
        metavar="TEXT|TEXT",
        help="time only the cases whose name contains one of these (e.g. 'KaTeX|markdown-exec')",
    )
    parser.add_argument(
        "--quiet-cores",
        type=float,
        default=0.3,
        help="before each build wait until other processes use fewer CPUs than this (0: off)",
    )
    return parser.parse_args(argv)


def _timed(
    title: str,
    cases: list[Case],
    workdir: Path,
    builders: Builders,
    args: argparse.Namespace,
    rounds: int,
    omit: tuple[str, ...] = (),
) -> list[Sample]:
    log(f"== {title}")
    cases = [replace(case, site=replace(case.site, omit_extensions=omit)) for case in cases]
    if args.cases:
        wanted = [text.strip() for text in args.cases.split("|") if text.strip()]
        cases = [case for case in cases if any(text in case.name for text in wanted)]
    cases = cases + [c for label in builders if label for c in for_source(cases, label)]
    roots = set_up(cases, workdir, builders)
    samples = run_rounds(
        cases,
        roots,
        builders,
        rounds,
        args.seed,
        max_contention=args.max_contention,
        retries=args.retries,
    )
    empty_trash(workdir)
    order = {case.name: index for index, case in enumerate(cases)}
    return sorted(samples, key=lambda sample: (order[sample.case], sample.round))


def _profile(site: Path, label: str, env: dict[str, str], output: Path) -> str:
    out = output / f"profile-{''.join(c if c.isalnum() else '-' for c in label)}.prof"
    completed = subprocess.run(
        [sys.executable, str(PROFILER), str(site), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        return f"profiling {label} failed:\n{completed.stderr[-2000:]}"
    stats = pstats.Stats(str(out))
    lines = [f"### {label}: {completed.stdout.strip()}", ""]
    rows = []
    for (filename, line, function), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "mkdocs_infotheory" in filename:
            short = filename.split("mkdocs_infotheory/", 1)[1]
            rows.append((cumtime, tottime, calls, f"{short}:{line}({function})"))
    rows.sort(reverse=True)
    lines.append("| cumulative (s) | own (s) | calls | function |")
    lines.append("|--:|--:|--:|---|")
    lines += [f"| {c:.3f} | {t:.3f} | {n} | `{name}` |" for c, t, n, name in rows[:15]]
    return "\n".join(lines)


def _sources(given: list[str]) -> list[tuple[str, Path]]:
    """``[(label, folder)]``; the first copy is the one under test and has no label."""
    if not given:
        return [("", installed_plugin_source())]
    sources = []
    for index, item in enumerate(given):
        label, _, folder = item.rpartition("=")
        label = "" if index == 0 else (label or f"copy {index + 1}")
        sources.append((label, Path(folder).resolve()))
    return sources


def _targets(labels: list[str], suffix: str = "", heavy: bool = False) -> list[Ratio]:
    """The issue's ratios for the cases named with ``suffix``, for every copy of the plugin."""
    base = [
        replace(r, numerator=r.numerator + suffix, denominator=r.denominator + suffix)
        for r in TARGETS
    ]
    if heavy:
        base.append(HEAVY_TARGET)
    targets = list(base)
    for label in labels:
        if label:
            tag = f" [{label}]"
            for ratio in base:
                both = ratio.denominator.startswith("heavy")
                targets.append(
                    replace(
                        ratio,
                        label=ratio.label + tag,
                        numerator=ratio.numerator + tag,
                        denominator=ratio.denominator + (tag if both else ""),
                    )
                )
    return targets


def render(results: dict[str, Any]) -> str:
    """The Markdown report of a run (also from a saved ``results.json``)."""
    labels: list[str] = results["labels"]
    sections: list[str] = []
    main_samples = [Sample(**sample) for sample in results["main"]]
    if main_samples:
        summaries = summarize(main_samples)
        rounds = max(sample.round for sample in main_samples)
        heavy = any(name.startswith("heavy") for name in summaries)
        sections += [
            f"## {results['pages']} pages, {rounds} interleaved rounds",
            timing_table(summaries),
            "## The four ratios (common pages: two fences, two formulas)",
            ratio_table(_targets(labels, heavy=heavy), summaries),
        ]
        if any(labels[1:]):
            sections += [
                "## Each copy of the plugin against the one under test (paired by round)",
                copies_table(summaries, labels),
            ]
        if any(sample.processes for sample in main_samples):
            sections += [
                "## Where the memory goes (each process's own peak, median-memory build)",
                memory_breakdown(main_samples, [OURS_COLD, OURS_KATEX_COLD, MARKDOWN_EXEC, TYPED]),
            ]
        if any(name.endswith(", many fences") for name in summaries):
            sections += [
                "## The same ratios, long pages (ten fences, five inline values, 35 formulas)",
                ratio_table(_targets(labels, ", many fences"), summaries),
            ]
    scaling_samples = [Sample(**sample) for sample in results["scaling"]]
    if scaling_samples:
        scaling = summarize(scaling_samples)
        per_size = {
            pages: max(
                (s.round for s in scaling_samples if s.case.endswith(f", {pages} pages")), default=0
            )
            for pages in results["sizes"]
        }
        rounds = ", ".join(f"{n} at {pages} pages" for pages, n in per_size.items())
        sections += [
            f"## Scaling (interleaved rounds: {rounds})",
            scaling_table(scaling, results["sizes"]),
        ]
        for pages in results["sizes"]:
            sections += [
                f"### Ratios at {pages} pages",
                ratio_table(_targets(labels, f", {pages} pages"), scaling),
            ]
        sections.append(timing_table(scaling))
    if results["profiles"]:
        sections += ["## Profiles (main thread, cProfile)", *results["profiles"]]
    sections += ["## Machine", machine_table(results["machine"])]
    return "\n\n".join(sections) + "\n"


def _sized(samples: list[Sample], pages: int, names: set[str]) -> list[Sample]:
    """The main run's samples of ``names``, renamed as the scaling run's ``pages`` size."""
    return [replace(s, case=f"{s.case}, {pages} pages") for s in samples if s.case in names]


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if args.from_results:
        print(render(json.loads(args.from_results.read_text(encoding="utf-8"))))
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="infotheory-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sources = _sources(args.plugin_source)
    builders: Builders = {}
    for index, (label, source) in enumerate(sources):
        frozen = freeze_plugin(workdir / f"frozen-plugin-{index}", source)
        builders[label] = Builder(
            build_environment(frozen),
            interval=args.interval,
            quiet_cores=args.quiet_cores,
            quiet_timeout=args.quiet_timeout,
            niceness=args.nice,
        )
    machine = describe(sources[0][1])
    log(f"workdir: {workdir}; measuring {sources[0][1]} ({machine['plugin_revision']})")
    for label, source in sources[1:]:
        machine[f"copy [{label}]"] = f"{source} ({git_revision(source)})"
    omit = missing_modules(DEFAULT_EXTENSIONS, (source for _, source in sources))
    if omit:
        machine["extensions left out (a copy lacks them)"] = ", ".join(omit)
        log(f"every site leaves out {', '.join(omit)}: a copy of the plugin does not have it")
    sizes = [int(size) for size in args.scaling_sizes.split(",")]
    results: dict[str, Any] = {
        "machine": machine,
        "args": {key: str(value) for key, value in vars(args).items()},
        "labels": list(builders),
        "pages": args.pages,
        "sizes": sizes,
        "main": [],
        "scaling": [],
        "profiles": [],
    }
    main_samples: list[Sample] = []
    if not args.no_main:
        cases = comparison_cases(args.pages)
        if not args.no_many:
            cases += comparison_cases(args.pages, shape="many", katex_warm=False)
        if args.heavy:
            cases += heavy_cases(args.pages)
        title = f"{args.pages} pages"
        main_samples = _timed(
            title, cases, workdir / f"main-{args.pages}", builders, args, args.rounds, omit
        )
        results["main"] = [sample.to_json() for sample in main_samples]
    if args.scaling:
        for pages in sizes:
            cases = comparison_cases(pages, sized=True, katex_warm=False)
            if pages == args.pages and main_samples:
                unsized = {c.name for c in comparison_cases(pages, katex_warm=False)}
                unsized |= {f"{n} [{label}]" for n in unsized for label in builders if label}
                samples = _sized(main_samples, pages, unsized)
            else:
                samples = _timed(
                    f"scaling: {pages} pages",
                    cases,
                    workdir / f"scale-{pages}",
                    builders,
                    args,
                    args.scaling_rounds,
                    omit,
                )
            results["scaling"] += [sample.to_json() for sample in samples]
    if args.profile:
        for case in comparison_cases(args.pages)[:3]:
            root = set_up([case], workdir / "profile", builders)[case.name]
            case.prepare(root)
            results["profiles"].append(_profile(root, case.name, builders[""].env, workdir))
    every = [Sample(**sample) for sample in results["main"] + results["scaling"]]
    results["machine"]["builds ran at niceness"] = ", ".join(
        str(value) for value in sorted({sample.niceness for sample in every})
    )
    (workdir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    report = render(results)
    (workdir / "report.md").write_text(report, encoding="utf-8")
    print(report)
    log(f"raw samples: {workdir / 'results.json'}; report: {workdir / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
