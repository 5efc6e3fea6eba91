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
    wall_max: float
    cpu_median: float
    pss_median_mib: float
    pss_max_mib: float
    rss_sum_median_mib: float
    max_rss_median_mib: float
    other_cpu_median: float
    #: Per round: (wall s, CPU s, peak PSS KiB), to pair interleaved rounds in ratios.
    by_round: dict[int, tuple[float, float, int]]


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
            wall_max=max(s.wall_s for s in group),
            cpu_median=statistics.median(s.cpu_s for s in group),
            pss_median_mib=statistics.median(s.peak_tree_pss_kib for s in group) / MIB,
            pss_max_mib=max(s.peak_tree_pss_kib for s in group) / MIB,
            rss_sum_median_mib=statistics.median(s.peak_tree_rss_kib for s in group) / MIB,
            max_rss_median_mib=statistics.median(s.max_rss_kib for s in group) / MIB,
            other_cpu_median=statistics.median(s.other_cpu_s for s in group),
            by_round={s.round: (s.wall_s, s.cpu_s, s.peak_tree_pss_kib) for s in group},
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
            f"{s.wall_min:.2f} – {s.wall_max:.2f}",
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
        "wall min – max (s)",
        "CPU median (s)",
        "peak PSS, tree (MiB)",
        "peak RSS, tree sum (MiB)",
        "max RSS, one process (MiB)",
        "others' CPU (s)",
    )
    return _table(header, rows, ("---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"))


_METRIC_INDEX = {"wall": 0, "cpu": 1, "pss": 2}


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator`` of one metric; ``target`` ``None``: reported, no goal."""

    label: str
    numerator: str
    denominator: str
    target: float | None
    metric: str = "wall"

    def values(self, summaries: dict[str, Summary]) -> RatioValues | None:
        top, bottom = summaries.get(self.numerator), summaries.get(self.denominator)
        if top is None or bottom is None:
            return None
        index = _METRIC_INDEX[self.metric]
        rounds = sorted(set(top.by_round) & set(bottom.by_round))
        paired = [top.by_round[r][index] / bottom.by_round[r][index] for r in rounds]
        if self.metric == "pss":
            median = top.pss_median_mib / bottom.pss_median_mib
            other = top.max_rss_median_mib / bottom.max_rss_median_mib
        else:
            median = top.wall_median / bottom.wall_median
            other = top.wall_min / bottom.wall_min
        cpu = top.cpu_median / bottom.cpu_median
        return RatioValues(median, other, min(paired), max(paired), cpu)


@dataclass(frozen=True)
class RatioValues:
    #: Ratio of the medians: the headline figure.
    median: float
    #: Wall: ratio of the minima; memory: ratio of the median max RSS of one process.
    other: float
    #: Smallest and largest ratio of the same round's two builds (rounds are interleaved).
    round_min: float
    round_max: float
    #: Ratio of the median CPU time (user + system, whole process tree).
    cpu: float


def ratio_table(ratios: Sequence[Ratio], summaries: dict[str, Summary]) -> str:
    rows = []
    for ratio in ratios:
        values = ratio.values(summaries)
        if values is None:
            continue
        if ratio.target is None:
            goal, verdict = "-", ""
        else:
            goal = f"<= {ratio.target:.2f}"
            verdict = "met" if values.median <= ratio.target else "**missed**"
        second = "max RSS, one process" if ratio.metric == "pss" else "minima"
        rows.append(
            (
                ratio.label,
                f"**{values.median:.2f}**",
                f"{values.round_min:.2f} – {values.round_max:.2f}",
                f"{values.other:.2f} ({second})",
                f"{values.cpu:.2f}" if ratio.metric != "pss" else "-",
                goal,
                verdict,
            )
        )
    header = (
        "ratio",
        "medians",
        "per round, min – max",
        "also",
        "CPU (medians)",
        "goal",
        "",
    )
    return _table(header, rows, ("---", "--:", "--:", "--:", "--:", "--:", "---"))


def copies_table(summaries: dict[str, Summary], labels: Sequence[str]) -> str:
    """Each other copy of the plugin (``--plugin-source LABEL=DIR``) against the copy under
    test, case by case: builds of the same round ran back to back, so their ratio is the
    fairest comparison a shared machine allows. Two copies of the same code show what the
    machine alone moves."""
    rows = []
    for label in labels:
        if not label:
            continue
        tag = f" [{label}]"
        for case, other in summaries.items():
            if not case.endswith(tag):
                continue
            ours = summaries.get(case[: -len(tag)])
            if ours is None:
                continue
            rounds = sorted(set(ours.by_round) & set(other.by_round))
            paired = [other.by_round[r][0] / ours.by_round[r][0] for r in rounds]
            if not paired:
                continue
            rows.append(
                (
                    case[: -len(tag)],
                    label,
                    f"**{statistics.median(paired):.3f}**",
                    f"{min(paired):.2f} – {max(paired):.2f}",
                    f"{other.wall_median / ours.wall_median:.3f}",
                    f"{other.cpu_median / ours.cpu_median:.3f}",
                )
            )
    header = (
        "case",
        "copy",
        "copy / under test, median of rounds",
        "per round, min – max",
        "ratio of wall medians",
        "ratio of CPU medians",
    )
    return _table(header, rows, ("---", "---", "--:", "--:", "--:", "--:"))


def scaling_table(summaries: dict[str, Summary], sizes: Sequence[int]) -> str:
    """Median wall time per case and size (ms per page), and the marginal cost of a page.

    The marginal cost, ``(t(large) - t(small)) / (large - small)``, leaves the fixed start-up
    out: it is what one more page costs, and it must stay flat as the site grows.
    """
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
        for small, large in itertools.pairwise(sizes):
            if small in by_size and large in by_size:
                extra = by_size[large].wall_median - by_size[small].wall_median
                cells.append(f"{1000 * extra / (large - small):.1f}")
            else:
                cells.append("-")
        rows.append(cells)
    header = (
        "case",
        *(f"{n} pages" for n in sizes),
        *(f"ms per extra page, {a} → {b}" for a, b in itertools.pairwise(sizes)),
    )
    pairs = len(sizes) - 1
    return _table(header, rows, ("---", *("--:" for _ in sizes), *("--:" for _ in range(pairs))))


def machine_table(machine: dict[str, object]) -> str:
    rows = []
    for key, value in machine.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        rows.append((key, str(value)))
    return _table(("", ""), rows, ("---", "---"))


def memory_breakdown(samples: Sequence[Sample], cases: Sequence[str]) -> str:
    """Each process's own peak PSS in the median-memory build of each case.

    The peaks of different processes need not coincide, so the rows do not add up to the
    tree's peak; they say which process holds what. A page's process is forked from the fork
    server and shows the same command line: the first such process is the server.
    """
    rows = []
    for case in cases:
        group = sorted((s for s in samples if s.case == case), key=lambda s: s.peak_tree_pss_kib)
        if not group:
            continue
        sample = group[len(group) // 2]
        by_command: dict[str, list[int]] = {}
        for process in sample.processes:
            command = str(process["command"])
            peak = int(process["peak_pss_kib"])  # type: ignore[call-overload]
            by_command.setdefault(command, []).append(peak)
        for command, peaks in sorted(by_command.items(), key=lambda item: -max(item[1])):
            if "mkdocs" in command and "build" in command:
                label = "`mkdocs build` (MkDocs, plugins, V8 if any)"
            elif "core.server import serve" in command or "forkserver" in command:
                label = "fork server (numpy and compute preloaded)"
                rows.append((case, label, "1", f"{peaks[0] / MIB:.1f}", ""))
                if len(peaks) > 1:
                    pages = sorted(peaks[1:])
                    rows.append(
                        (
                            case,
                            "pages' processes, forked from it",
                            str(len(pages)),
                            f"{statistics.median(pages) / MIB:.1f} (median)",
                            f"{pages[-1] / MIB:.1f}",
                        )
                    )
                continue
            elif command in ("", "?"):
                label = "processes gone before their command line was read (pages)"
            else:
                label = f"`{command[:60]}`"
            rows.append((case, label, str(len(peaks)), f"{max(peaks) / MIB:.1f}", ""))
        rows.append(
            (
                case,
                "**whole tree, sampled peak**",
                "",
                f"**{sample.peak_tree_pss_kib / MIB:.1f}**",
                "",
            )
        )
    header = ("case", "process", "count", "peak PSS (MiB)", "largest (MiB)")
    return _table(header, rows, ("---", "---", "--:", "--:", "--:"))
