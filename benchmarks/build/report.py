"""Turn samples into the tables of docs/reference/benchmarks.md."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .measure import Sample

MIB = 1024
#: "plugin, cold, 100 pages [fix]": a scaling case's kind, size and plugin copy.
_SIZED = re.compile(r"^(?P<kind>.*), (?P<pages>\d+) pages(?P<source> \[.*\])?$")


@dataclass(frozen=True)
class Summary:
    case: str
    runs: int
    wall_median: float
    wall_min: float
    cpu_median: float
    pss_median_mib: float
    rss_sum_median_mib: float
    max_rss_median_mib: float
    other_cpu_median: float


def summarize(samples: Iterable[Sample]) -> dict[str, Summary]:
    by_case: dict[str, list[Sample]] = {}
    for sample in samples:
        by_case.setdefault(sample.case, []).append(sample)
    return {
        case: Summary(
            case=case,
            runs=len(group),
            wall_median=statistics.median(s.wall_s for s in group),
            wall_min=min(s.wall_s for s in group),
            cpu_median=statistics.median(s.cpu_s for s in group),
            pss_median_mib=statistics.median(s.peak_tree_pss_kib for s in group) / MIB,
            rss_sum_median_mib=statistics.median(s.peak_tree_rss_kib for s in group) / MIB,
            max_rss_median_mib=statistics.median(s.max_rss_kib for s in group) / MIB,
            other_cpu_median=statistics.median(s.other_cpu_s for s in group),
        )
        for case, group in by_case.items()
    }


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def timing_table(summaries: dict[str, Summary]) -> str:
    rows = [
        (
            s.case,
            str(s.runs),
            f"{s.wall_median:.2f}",
            f"{s.wall_min:.2f}",
            f"{s.cpu_median:.2f}",
            f"{s.pss_median_mib:.0f}",
            f"{s.rss_sum_median_mib:.0f}",
            f"{s.max_rss_median_mib:.0f}",
            f"{s.other_cpu_median:.1f}",
        )
        for s in summaries.values()
    ]
    header = (
        "case",
        "runs",
        "wall median (s)",
        "wall min (s)",
        "CPU median (s)",
        "peak PSS, tree (MiB)",
        "peak RSS, tree sum (MiB)",
        "max RSS, one process (MiB)",
        "others' CPU (s)",
    )
    return _table(header, rows, ("---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"))


@dataclass(frozen=True)
class Ratio:
    label: str
    numerator: str
    denominator: str
    target: float
    metric: str = "wall"

    def values(self, summaries: dict[str, Summary]) -> tuple[float, float] | None:
        top, bottom = summaries.get(self.numerator), summaries.get(self.denominator)
        if top is None or bottom is None:
            return None
        if self.metric == "wall":
            return top.wall_median / bottom.wall_median, top.wall_min / bottom.wall_min
        if self.metric == "pss":
            return top.pss_median_mib / bottom.pss_median_mib, (
                top.max_rss_median_mib / bottom.max_rss_median_mib
            )
        raise ValueError(self.metric)


def ratio_table(ratios: Sequence[Ratio], summaries: dict[str, Summary]) -> str:
    rows = []
    for ratio in ratios:
        values = ratio.values(summaries)
        if values is None:
            continue
        main, other = values
        verdict = "met" if main <= ratio.target else "**missed**"
        second = "max RSS ratio" if ratio.metric == "pss" else "ratio of minima"
        rows.append(
            (
                ratio.label,
                f"{main:.2f}x",
                f"{other:.2f}x ({second})",
                f"<= {ratio.target}x",
                verdict,
            )
        )
    header = ("comparison", "measured (medians)", "also", "target", "")
    return _table(header, rows, ("---", "--:", "--:", "--:", "---"))


def scaling_table(summaries: dict[str, Summary], sizes: Sequence[int]) -> str:
    """Median wall time per case and size, with ms per page and growth between sizes."""
    kinds: dict[str, dict[int, Summary]] = {}
    for summary in summaries.values():
        match = _SIZED.match(summary.case)
        if match is None:
            continue
        kind = match["kind"] + (match["source"] or "")
        kinds.setdefault(kind, {})[int(match["pages"])] = summary
    rows = []
    for kind, by_size in kinds.items():
        cells = [kind]
        for pages in sizes:
            s = by_size.get(pages)
            cells.append(
                f"{s.wall_median:.2f} s ({1000 * s.wall_median / pages:.1f} ms/page)" if s else "-"
            )
        growth = []
        for small, large in itertools.pairwise(sizes):
            if small in by_size and large in by_size:
                factor = by_size[large].wall_median / by_size[small].wall_median
                growth.append(f"{factor:.1f}x for {large // small}x pages")
        cells.append("; ".join(growth))
        rows.append(cells)
    header = ("case", *(f"{n} pages" for n in sizes), "growth")
    return _table(header, rows, ("---", *("--:" for _ in sizes), "---"))


def machine_table(machine: dict[str, object]) -> str:
    rows = []
    for key, value in machine.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        rows.append((key, str(value)))
    return _table(("", ""), rows, ("---", "---"))
