"""``python -m benchmarks.build``: generate the corpus, time the builds, print the report.

Default (about 10 minutes on 2 cores): 100 pages, four variants plus two cache-less ones,
the execution-heavy pair, 5 interleaved rounds. ``--scaling`` adds 10/100/1000 pages (another
15 minutes or so); ``--profile`` adds cProfile runs of the plugin's cold and warm builds.
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

from .machine import describe
from .measure import (
    Builder,
    Sample,
    build_environment,
    freeze_plugin,
    installed_plugin_source,
)
from .plan import (
    Builders,
    Case,
    for_source,
    heavy_cases,
    log,
    main_cases,
    run_rounds,
    scaling_cases,
    set_up,
)
from .report import (
    Ratio,
    machine_table,
    ratio_table,
    scaling_table,
    summarize,
    timing_table,
)

PROFILER = Path(__file__).resolve().with_name("profiling.py")

TARGETS = (
    Ratio("cold build / markdown-exec", "plugin, cold", "markdown-exec", 1.0),
    Ratio("warm build / hand-typed", "plugin, warm", "hand-typed", 1.05),
    Ratio(
        "execution-heavy cold build, 2 workers / 1 worker",
        "heavy, cold, 2 workers",
        "heavy, cold, 1 worker",
        0.65,
    ),
    Ratio(
        "peak memory of the cold build / hand-typed (PSS)",
        "plugin, cold",
        "hand-typed",
        1.5,
        metric="pss",
    ),
)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__)
    parser.add_argument("--pages", type=int, default=100, help="pages of the main corpus")
    parser.add_argument("--rounds", type=int, default=5, help="timed builds per case (>= 5)")
    parser.add_argument("--no-main", action="store_true", help="skip the main comparison")
    parser.add_argument("--no-heavy", action="store_true", help="skip the execution-heavy pair")
    parser.add_argument("--no-fresh", action="store_true", help="skip the cache-less cases")
    parser.add_argument("--scaling", action="store_true", help="also time 10/100/1000 pages")
    parser.add_argument("--scaling-sizes", default="10,100,1000")
    parser.add_argument("--scaling-rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile cold and warm builds")
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
) -> list[Sample]:
    log(f"== {title}")
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
    order = {case.name: index for index, case in enumerate(cases)}
    return sorted(samples, key=lambda sample: (order[sample.case], sample.round))


def _profile(site: Path, label: str, env: dict[str, str], output: Path) -> str:
    out = output / f"profile-{label}.prof"
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


def _targets(labels: list[str]) -> list[Ratio]:
    """The issue's targets, for the plugin under test and again for every other copy."""
    targets = list(TARGETS)
    for label in labels:
        if label:
            suffix = f" [{label}]"
            for ratio in TARGETS:
                heavy = ratio.denominator.startswith("heavy")
                targets.append(
                    replace(
                        ratio,
                        label=ratio.label + suffix,
                        numerator=ratio.numerator + suffix,
                        denominator=ratio.denominator + (suffix if heavy else ""),
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
        sections += [
            f"## {results['pages']} pages, {rounds} interleaved rounds",
            timing_table(summaries),
            "## Targets",
            ratio_table(_targets(labels), summaries),
        ]
    scaling_samples = [Sample(**sample) for sample in results["scaling"]]
    if scaling_samples:
        scaling = summarize(scaling_samples)
        rounds = max(sample.round for sample in scaling_samples)
        sections += [
            f"## Scaling ({rounds} interleaved rounds per size)",
            scaling_table(scaling, results["sizes"]),
            timing_table(scaling),
        ]
    if results["profiles"]:
        sections += ["## Profiles (main thread, cProfile)", *results["profiles"]]
    sections += ["## Machine", machine_table(results["machine"])]
    return "\n\n".join(sections) + "\n"


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
            build_environment(frozen), interval=args.interval, quiet_cores=args.quiet_cores
        )
    machine = describe(sources[0][1])
    log(f"workdir: {workdir}; measuring {sources[0][1]} ({machine['plugin_revision']})")
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
    if not args.no_main:
        cases = main_cases(args.pages, fresh=not args.no_fresh)
        if not args.no_heavy:
            cases += heavy_cases(args.pages)
        title = f"{args.pages} pages"
        samples = _timed(title, cases, workdir / f"main-{args.pages}", builders, args, args.rounds)
        results["main"] = [sample.to_json() for sample in samples]
    if args.scaling:
        for pages in sizes:
            samples = _timed(
                f"scaling: {pages} pages",
                scaling_cases(pages),
                workdir / f"scale-{pages}",
                builders,
                args,
                args.scaling_rounds,
            )
            results["scaling"] += [sample.to_json() for sample in samples]
    if args.profile:
        for case in main_cases(args.pages, fresh=False)[:2]:
            root = set_up([case], workdir / "profile", builders)[case.name]
            case.prepare(root)
            results["profiles"].append(_profile(root, case.cache, builders[""].env, workdir))
    (workdir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    report = render(results)
    (workdir / "report.md").write_text(report, encoding="utf-8")
    print(report)
    log(f"raw samples: {workdir / 'results.json'}; report: {workdir / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
