"""Benchmark ``mkdocs_infotheory.compute`` against the libraries readers know.

One command, one process: ``python benchmarks/compute.py`` (``--repeats N``, default 7).
Each case times our function and its anchor alternately (interleaved, the order flipping
every round so neither side always runs on a warm cache), takes the median of the rounds,
and reports ``ours / anchor`` (below 1.0 means we are faster). Both sides get the same,
already valid input; both results are compared so a fast wrong answer cannot pass.

The anchors (scipy, scikit-learn) are benchmark-only dependencies: ``pip install .[bench]``.
The output is a Markdown table followed by a description of the machine, ready to paste into
``docs/reference/compute.md``.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import mutual_info_score

from mkdocs_infotheory.compute import entropy, kl_divergence, mutual_information_from_samples


@dataclass
class Case:
    """One comparison: what is measured, our call, the anchor's call."""

    name: str
    anchor_name: str
    ours: Callable[[], Any]
    anchor: Callable[[], Any]


def make_cases(seed: int = 0, scale: float = 1.0) -> list[Case]:
    """The four comparisons of the issue; ``scale`` shrinks the inputs (for the smoke test)."""
    rng = np.random.default_rng(seed)
    n, rows, samples = int(10**7 * scale), max(int(10**4 * scale), 1), int(10**6 * scale)
    p = rng.random(n)
    p /= p.sum()
    q = rng.random(n)
    q /= q.sum()
    batch = rng.random((rows, 10**3))
    batch /= batch.sum(axis=1, keepdims=True)
    x = rng.integers(0, 100, samples)
    y = (x + rng.integers(0, 30, samples)) % 100
    return [
        Case(
            "entropy, 10^7 elements",
            "scipy.stats.entropy(p, base=2)",
            lambda: entropy(p),
            lambda: stats.entropy(p, base=2),
        ),
        Case(
            "entropy, batch 10^4 x 10^3",
            "scipy.stats.entropy(P, base=2, axis=1)",
            lambda: entropy(batch),
            lambda: stats.entropy(batch, base=2, axis=1),
        ),
        Case(
            "kl_divergence, 10^7 elements",
            "scipy.stats.entropy(p, q, base=2)",
            lambda: kl_divergence(p, q),
            lambda: stats.entropy(p, q, base=2),
        ),
        Case(
            "mutual_information_from_samples, 10^6 samples, 100 x 100 labels",
            "sklearn.metrics.mutual_info_score(x, y)",
            lambda: mutual_information_from_samples(x, y, base=math.e),
            lambda: mutual_info_score(x, y),
        ),
    ]


def _time(func: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run(cases: list[Case], repeats: int) -> list[tuple[Case, float, float, float]]:
    """Return ``(case, median ours [s], median anchor [s], max relative difference)``."""
    results = []
    for case in cases:
        a, b = np.asarray(case.ours(), dtype=float), np.asarray(case.anchor(), dtype=float)
        difference = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))
        ours, anchor = [], []
        for round_ in range(repeats):
            if round_ % 2 == 0:
                ours.append(_time(case.ours))
                anchor.append(_time(case.anchor))
            else:
                anchor.append(_time(case.anchor))
                ours.append(_time(case.ours))
        results.append((case, statistics.median(ours), statistics.median(anchor), difference))
    return results


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas() -> str:
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        return "unknown"


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


_LOAD_AT_START = _load()


def machine_description() -> list[str]:
    env = {
        k: os.environ[k]
        for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if k in os.environ
    }
    settings = ", ".join(f"{k}={v}" for k, v in env.items())
    return [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} logical cores ({platform.machine()})",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {np.__version__} ({_blas()}), "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}",
        f"- Environment: {settings or 'no BLAS/thread variables set'}",
        f"- Load average before the run (1/5/15 min): {_LOAD_AT_START}",
    ]


def markdown(results: list[tuple[Case, float, float, float]], repeats: int) -> str:
    lines = [
        "| case | ours (ms) | anchor | anchor (ms) | ours / anchor | results agree to |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for case, ours, anchor, difference in results:
        lines.append(
            f"| {case.name} | {ours * 1e3:.1f} | `{case.anchor_name}` | {anchor * 1e3:.1f} | "
            f"**{ours / anchor:.2f}** | {difference:.0e} |"
        )
    lines += [
        "",
        f"Median of {repeats} interleaved rounds, one process; "
        f"measured {time.strftime('%Y-%m-%d')} with `python benchmarks/compute.py`.",
        "",
        *machine_description(),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds per case (>= 5)")
    args = parser.parse_args(argv)
    if args.repeats < 5:
        parser.error("--repeats must be at least 5 (the median needs them)")
    results = run(make_cases(), args.repeats)
    print(markdown(results, args.repeats))
    worst = max(ours / anchor for _, ours, anchor, _ in results)
    print(f"\nworst ratio: {worst:.2f} (target <= 1.00)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
