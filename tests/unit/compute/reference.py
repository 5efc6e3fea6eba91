"""Independent high-precision references (mpmath), written as the textbook formulas.

The float inputs are converted exactly to mpmath numbers, so a reference is the exact value
of the formula *for the given float inputs* (nothing is renormalised), evaluated with
``dps`` significant digits. Extreme inputs (1e-300 next to 0.3) need more digits than 50 to
represent sums like ``0.3 + 1e-300`` exactly, so those tests pass a larger ``dps``.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath as mp
import numpy as np

DPS = 50


def _mp(values: Sequence[float] | np.ndarray) -> list[mp.mpf]:
    return [mp.mpf(float(v)) for v in np.asarray(values, dtype=np.float64).ravel()]


def _to_base(value: mp.mpf, base: float) -> float:
    return float(value / mp.log(mp.mpf(base)))


def entropy_ref(p: Sequence[float], base: float = 2, dps: int = DPS) -> float:
    with mp.workdps(dps):
        return _to_base(-mp.fsum(x * mp.log(x) for x in _mp(p) if x > 0), base)


def bernoulli_ref(p: float, base: float = 2, dps: int = DPS) -> float:
    with mp.workdps(dps):
        x = mp.mpf(float(p))
        terms = [-(x * mp.log(x)) if x > 0 else 0, -((1 - x) * mp.log(1 - x)) if x < 1 else 0]
        return _to_base(mp.fsum(terms), base)


def cross_entropy_ref(p: Sequence[float], q: Sequence[float], base: float = 2) -> float:
    with mp.workdps(DPS):
        terms = [-(a * mp.log(b)) for a, b in zip(_mp(p), _mp(q), strict=True) if a > 0]
        return _to_base(mp.fsum(terms), base)


def kl_ref(p: Sequence[float], q: Sequence[float], base: float = 2, dps: int = DPS) -> float:
    with mp.workdps(dps):
        terms = [a * mp.log(a / b) for a, b in zip(_mp(p), _mp(q), strict=True) if a > 0]
        return _to_base(mp.fsum(terms), base)


def js_ref(p: Sequence[float], q: Sequence[float], base: float = 2, dps: int = DPS) -> float:
    with mp.workdps(dps):
        ps, qs = _mp(p), _mp(q)
        ms = [(a + b) / 2 for a, b in zip(ps, qs, strict=True)]
        kl_pm = mp.fsum(a * mp.log(a / m) for a, m in zip(ps, ms, strict=True) if a > 0)
        kl_qm = mp.fsum(b * mp.log(b / m) for b, m in zip(qs, ms, strict=True) if b > 0)
        return _to_base((kl_pm + kl_qm) / 2, base)


def _rows(table: np.ndarray) -> list[list[mp.mpf]]:
    arr = np.asarray(table, dtype=np.float64)
    return [_mp(row) for row in arr]


def conditional_entropy_ref(table: np.ndarray, base: float = 2, dps: int = DPS) -> float:
    """H(Y|X) = sum_x p(x) H(Y|X=x), rows are X, marginals summed exactly."""
    with mp.workdps(dps):
        total = mp.mpf(0)
        for row in _rows(table):
            px = mp.fsum(row)
            total += mp.fsum(v * mp.log(px / v) for v in row if v > 0)
        return _to_base(total, base)


def mutual_information_ref(table: np.ndarray, base: float = 2, dps: int = DPS) -> float:
    with mp.workdps(dps):
        rows = _rows(table)
        px = [mp.fsum(r) for r in rows]
        py = [mp.fsum(c) for c in zip(*rows, strict=True)]
        terms = [
            v * mp.log(v / (px[i] * py[j]))
            for i, r in enumerate(rows)
            for j, v in enumerate(r)
            if v > 0
        ]
        return _to_base(mp.fsum(terms), base)


def logsumexp_ref(x: Sequence[float]) -> float:
    with mp.workdps(DPS):
        return float(mp.log(mp.fsum(mp.exp(v) for v in _mp(x))))


def rel_err(got: float, ref: float) -> float:
    if ref == 0:
        return abs(float(got))
    return abs(float(got) - ref) / abs(ref)
