"""Which builds to time, and in what order.

A *case* is one site plus what happens to its caches before each timed build:

* ``cold``: the whole ``.cache`` folder is deleted, as on a fresh CI runner (neither executed
  results nor rendered math survive). The baselines are built the same way, although they
  keep no cache;
* ``warm``: the cache comes from the previous identical build.

In both, the ``site`` folder the last build wrote is gone too (every build writes a site from
scratch, as on a CI runner).

Every case has its own copy of its site, so deleting one case's cache never disturbs another,
and the order of cases is shuffled in every round (seeded), so that slow drifts of the machine
spread over all cases instead of biasing the one that always runs last.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from .content import Shape
from .corpus import SiteSpec, clear_output, write_site
from .measure import Builder, Sample
from .verify import check_site, compare_sites

Cache = Literal["cold", "warm"]


@dataclass(frozen=True)
class Case:
    name: str
    site: SiteSpec
    cache: Cache
    #: Label of the plugin copy that builds it ("" for the one under test).
    source: str = ""

    def prepare(self, root: Path) -> None:
        clear_output(root, cache=self.cache == "cold")


#: Names of the cases the headline ratios compare (the ``few`` shape); other shapes and sizes
#: append ``", many fences"`` or ``", N pages"``.
OURS_COLD = "ours, math: none, no .cache"
OURS_WARM = "ours, math: none, warm cache"
OURS_KATEX_COLD = "ours, defaults (build-time KaTeX), no .cache"
OURS_KATEX_WARM = "ours, defaults (build-time KaTeX), warm cache"
MARKDOWN_EXEC = "markdown-exec (browser math)"
TYPED = "hand-typed (browser math)"


def _suffix(shape: Shape, pages: int | None) -> str:
    return (", many fences" if shape == "many" else "") + (f", {pages} pages" if pages else "")


def comparison_cases(
    pages: int, shape: Shape = "few", sized: bool = False, katex_warm: bool = True
) -> list[Case]:
    """Our plugin (math off, cold and warm; defaults, cold) against both baselines."""
    suffix = _suffix(shape, pages if sized else None)
    cases = [
        Case(OURS_COLD + suffix, SiteSpec("plugin", pages, shape=shape), "cold"),
        Case(OURS_WARM + suffix, SiteSpec("plugin", pages, shape=shape), "warm"),
        Case(
            OURS_KATEX_COLD + suffix, SiteSpec("plugin", pages, shape=shape, math="katex"), "cold"
        ),
    ]
    if katex_warm:
        katex = SiteSpec("plugin", pages, shape=shape, math="katex")
        cases.append(Case(OURS_KATEX_WARM + suffix, katex, "warm"))
    cases += [
        Case(MARKDOWN_EXEC + suffix, SiteSpec("markdown_exec", pages, shape=shape), "cold"),
        Case(TYPED + suffix, SiteSpec("typed", pages, shape=shape), "cold"),
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
    """Write every case's site, build it once untimed and check what it built.

    Then every site's pages are compared with the hand-typed site of the same shape and size
    (when one is among ``cases``): same text, same formulas, tables, code blocks, admonitions
    and footnotes. A variant that built something else would make its timing meaningless.
    """
    roots: dict[str, Path] = {}
    for case in cases:
        root = workdir / _slug(case.name)
        log(f"setting up {case.name!r} in {root}")
        write_site(root, case.site)
        # Untimed: compiles bytecode and, for warm cases, fills the caches.
        builders[case.source].build(root, case.name)
        check_site(root, case.site)
        roots[case.name] = root
    references = {
        (case.site.shape, case.site.pages, case.site.heavy): roots[case.name]
        for case in cases
        if case.site.variant == "typed"
    }
    for case in cases:
        reference = references.get((case.site.shape, case.site.pages, case.site.heavy))
        if reference is not None and reference != roots[case.name]:
            compare_sites(reference, roots[case.name], case.site.pages)
    if references:
        log(f"every variant built the same pages as the hand-typed site ({len(cases)} sites)")
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
