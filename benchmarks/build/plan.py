"""Which builds to time, and in what order.

A *case* is one site plus what happens to its caches before each timed build:

* ``cold``: the plugin's executed results are deleted (the math cache is kept, as in every
  other variant, so that the comparison isolates execution);
* ``fresh``: the whole ``.cache`` folder is deleted (execution *and* math start from nothing);
* ``warm``: nothing is deleted; the cache comes from the previous identical build.

Every case has its own copy of its site, so deleting one case's cache never disturbs another,
and the order of cases is shuffled in every round (seeded), so that slow drifts of the machine
spread over all cases instead of biasing the one that always runs last.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from .corpus import SiteSpec, clear_exec_cache, write_site
from .measure import Builder, Sample
from .verify import check_site

Cache = Literal["cold", "fresh", "warm", "none"]


@dataclass(frozen=True)
class Case:
    name: str
    site: SiteSpec
    cache: Cache
    #: Label of the plugin copy that builds it ("" for the one under test).
    source: str = ""

    def prepare(self, root: Path) -> None:
        if self.cache == "cold":
            clear_exec_cache(root)
        elif self.cache == "fresh":
            shutil.rmtree(root / ".cache", ignore_errors=True)


def main_cases(pages: int, fresh: bool = True) -> list[Case]:
    cases = [
        Case("plugin, cold", SiteSpec("plugin", pages), "cold"),
        Case("plugin, warm", SiteSpec("plugin", pages), "warm"),
        Case("markdown-exec", SiteSpec("markdown_exec", pages), "none"),
        Case("hand-typed", SiteSpec("typed", pages), "none"),
    ]
    if fresh:
        cases += [
            Case("plugin, fresh (no caches)", SiteSpec("plugin", pages), "fresh"),
            Case("hand-typed, fresh (no math cache)", SiteSpec("typed", pages), "fresh"),
        ]
    return cases


def heavy_cases(pages: int) -> list[Case]:
    return [
        Case(
            f"heavy, cold, {workers} worker{'s' if workers > 1 else ''}",
            SiteSpec("plugin", pages, heavy=True, workers=workers),
            "cold",
        )
        for workers in (1, 2)
    ]


def scaling_cases(pages: int) -> list[Case]:
    return [
        Case(f"plugin, cold, {pages} pages", SiteSpec("plugin", pages), "cold"),
        Case(f"plugin, warm, {pages} pages", SiteSpec("plugin", pages), "warm"),
        Case(f"markdown-exec, {pages} pages", SiteSpec("markdown_exec", pages), "none"),
        Case(f"hand-typed, {pages} pages", SiteSpec("typed", pages), "none"),
    ]


def for_source(cases: Sequence[Case], label: str) -> list[Case]:
    """The cases that run our plugin's execution, again, against another copy of the plugin."""
    return [
        replace(case, name=f"{case.name} [{label}]", source=label)
        for case in cases
        if case.site.variant == "plugin"
    ]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def contention(sample: Sample) -> float:
    """CPUs that other processes used on average while ``sample`` was being built."""
    return sample.other_cpu_s / sample.wall_s if sample.wall_s > 0 else 0.0


def _least_contended(
    case: Case, root: Path, builder: Builder, number: int, limit: float, retries: int
) -> Sample:
    best: Sample | None = None
    for attempt in range(retries + 1):
        case.prepare(root)
        sample = builder.build(root, case.name, number)
        if best is None or contention(sample) < contention(best):
            best = sample
        if contention(sample) <= limit:
            break
        log(
            f"  {case.name}: other processes used {contention(sample):.2f} CPUs meanwhile"
            + ("; building again" if attempt < retries else "; keeping the quietest attempt")
        )
    assert best is not None
    return best


Builders = dict[str, Builder]


def set_up(cases: Sequence[Case], workdir: Path, builders: Builders) -> dict[str, Path]:
    """Write every case's site, build it once untimed and check what it built."""
    roots: dict[str, Path] = {}
    for case in cases:
        root = workdir / _slug(case.name)
        log(f"setting up {case.name!r} in {root}")
        write_site(root, case.site)
        # Untimed: compiles bytecode, fills the math cache (and, for warm, the exec cache).
        builders[case.source].build(root, case.name)
        check_site(root, case.site)
        roots[case.name] = root
    return roots


def run_rounds(
    cases: Sequence[Case],
    roots: dict[str, Path],
    builders: Builders,
    rounds: int,
    seed: int = 0,
    on_sample: Callable[[Sample], None] | None = None,
    max_contention: float = 0.25,
    retries: int = 3,
) -> list[Sample]:
    """Time every case ``rounds`` times, in a shuffled order per round.

    A build during which other processes used more than ``max_contention`` CPUs on average is
    repeated (up to ``retries`` times; the least contended attempt is kept): on a shared
    machine, someone else's test suite must not decide the median.
    """
    rng = random.Random(seed)
    samples: list[Sample] = []
    for number in range(1, rounds + 1):
        order = list(cases)
        rng.shuffle(order)
        for case in order:
            root = roots[case.name]
            builder = builders[case.source]
            sample = _least_contended(case, root, builder, number, max_contention, retries)
            samples.append(sample)
            log(
                f"round {number}/{rounds}  {case.name:<40} {sample.wall_s:7.2f} s wall "
                f"{sample.cpu_s:7.2f} s CPU  {sample.peak_tree_pss_kib / 1024:6.0f} MiB PSS"
                f"  (others used {sample.other_cpu_s:.1f} s CPU)"
            )
            if on_sample:
                on_sample(sample)
    return samples
