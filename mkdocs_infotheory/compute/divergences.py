"""Quantities of two distributions: cross-entropy, KL and Jensen-Shannon divergence."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._numerics import (
    TARGET,
    TINY,
    bregman_terms,
    direct_kl_is_accurate,
    exact_sum_difference,
    rowdot,
    scalar_or_array,
    summation_error_bound,
)
from ._validate import (
    FloatArray,
    as_float_array,
    log_of_base,
    require_distribution,
    require_same_shape,
)

_LN2 = math.log(2.0)
# JS series: g(d) = (1+d) ln(1+d) + (1-d) ln(1-d) = sum_k d^(2k) / (k (2k - 1)) for |d| <= 1/4.
_JS_COEFFS = tuple(1.0 / (k * (2 * k - 1)) for k in range(1, 15))
_JS_SERIES_LIMIT = 0.25


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[FloatArray, FloatArray, float, float]:
    """Validate two distributions of the same shape; return them and their minima."""
    pa = as_float_array(p, "p")
    qa = as_float_array(q, "q")
    require_same_shape(pa, qa, ("p", "q"))
    return pa, qa, require_distribution(pa, "p"), require_distribution(qa, "q")


def cross_entropy(p: ArrayLike, q: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Cross-entropy of `q` relative to `p`: the cost of coding `p`'s outcomes with `q`.

    \[
    H(p, q) = -\sum_i p_i \log_b q_i = H(p) + D(p \,\|\, q)
    \]

    Terms with \(p_i = 0\) contribute 0; a \(q_i = 0\) where \(p_i > 0\) gives `inf`.

    Parameters
    ----------
    p : array_like
        The true distribution along the last axis (a batch gives one value per row).
    q : array_like
        The model distribution; same shape as `p`.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(H(p, q) \ge H(p)\) in units of `base`, possibly `inf`.

    Raises
    ------
    ValueError
        If `p` and `q` differ in shape, or either is not a valid distribution (empty,
        NaN, inf, negative entries, sum not 1 within 1e-6).
    """
    pa, qa, _, q_min = _pair(p, q)
    log_b = log_of_base(base)
    logq = np.maximum(qa, TINY)
    np.log(logq, out=logq)
    h = 0.0 - rowdot(pa, logq)
    if q_min == 0.0:
        impossible = ((qa == 0.0) & (pa > 0.0)).any(axis=-1)
        h = np.where(impossible, np.inf, h)
    return scalar_or_array(h / log_b)


def _kl_careful(p: FloatArray, q: FloatArray) -> FloatArray:
    """KL in nats along the last axis through non-negative Bregman terms (see ``_numerics``).

    ``sum p ln(p/q) = sum [p ln(p/q) - p + q] + (sum p - sum q)``: the first sum has only
    non-negative, accurate terms; the second is tiny and is computed exactly when it matters.
    """
    batch = p.shape[:-1]
    p2 = p.reshape(-1, p.shape[-1])
    q2 = q.reshape(-1, q.shape[-1])
    bregman = bregman_terms(p2, q2).sum(axis=-1)
    diff = p2 - q2
    total = bregman + diff.sum(axis=-1)
    bound = summation_error_bound(p2.shape[-1]) * 2.0 * np.abs(diff).sum(axis=-1)
    unsure = np.isfinite(total) & ~(bound <= TARGET * np.abs(total))
    if unsure.any():
        total[unsure] = bregman[unsure] + exact_sum_difference(p2[unsure], q2[unsure])
    return np.maximum(total, 0.0).reshape(batch)


def kl_divergence(p: ArrayLike, q: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Kullback-Leibler divergence of `q` from `p` (relative entropy), in bits by default.

    \[
    D(p \,\|\, q) = \sum_i p_i \log_b \frac{p_i}{q_i} \ge 0
    \]

    Argument order is the mathematical one, \(D(p \,\|\, q)\) with `p` the true
    distribution (torch's `kl_div(input, target)` takes them the other way round). Terms with
    \(p_i = 0\) contribute 0; a \(q_i = 0\) where \(p_i > 0\) gives `inf`. The result is never
    negative, also for nearly equal inputs: when the fast formula could lose digits it is
    recomputed from the non-negative terms \(p \ln(p/q) - p + q\) plus the exactly summed
    \(\sum p - \sum q\); if rounding in the *given* inputs would push that below zero, 0 is
    returned.

    Parameters
    ----------
    p : array_like
        The true distribution along the last axis (a batch gives one value per row).
    q : array_like
        The reference distribution; same shape as `p`.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(D(p \,\|\, q) \ge 0\) in units of `base`, possibly `inf`.

    Raises
    ------
    ValueError
        If `p` and `q` differ in shape, or either is not a valid distribution (empty,
        NaN, inf, negative entries, sum not 1 within 1e-6).
    """
    pa, qa, _, q_min = _pair(p, q)
    log_b = log_of_base(base)
    # Direct formula first. max(., TINY) makes 0 * ln(0 / q) = 0 and 0 * ln(0 / 0) = 0 without
    # a branch; subnormal p only perturbs terms below 1e-305. Rows with q = 0 < p are +inf.
    ratio = np.maximum(pa, TINY)
    with np.errstate(over="ignore"):
        ratio /= qa if q_min > 0.0 else np.maximum(qa, TINY)
        np.log(ratio, out=ratio)
    kl = np.asarray(rowdot(pa, ratio))
    impossible = np.zeros(kl.shape, dtype=bool)
    if q_min == 0.0:
        impossible = ((qa == 0.0) & (pa > 0.0)).any(axis=-1)
        kl = np.where(impossible, np.inf, kl)
    # Rows that the error bound cannot certify (nearly equal inputs, or an overflowing ratio
    # from a subnormal q) are recomputed through non-negative terms.
    unsure = ~(direct_kl_is_accurate(kl, pa.shape[-1]) & np.isfinite(kl)) & ~impossible
    if unsure.ndim == 0:
        if unsure:
            kl = _kl_careful(pa, qa)
    elif unsure.any():
        kl[unsure] = _kl_careful(pa[unsure], qa[unsure])
    return scalar_or_array(np.maximum(kl, 0.0) / log_b)


def _js_g(d: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """``(1+d) ln(1+d) + (1-d) ln(1-d)`` with ``a = 1+d``, ``b = 1-d`` given separately."""
    d2 = d * d
    poly = np.full_like(d, _JS_COEFFS[-1])
    for coef in reversed(_JS_COEFFS[:-1]):
        poly *= d2
        poly += coef
    series = d2 * poly
    direct = a * np.log(np.maximum(a, TINY)) + b * np.log(np.maximum(b, TINY))
    return np.maximum(np.where(np.abs(d) <= _JS_SERIES_LIMIT, series, direct), 0.0)


def js_divergence(p: ArrayLike, q: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Jensen-Shannon divergence (not its square root), in bits by default.

    \[
    \mathrm{JS}(p, q) = \tfrac12 D(p \,\|\, m) + \tfrac12 D(q \,\|\, m),
    \qquad m = \tfrac12 (p + q)
    \]

    Symmetric, and \(0 \le \mathrm{JS} \le 1\) bit holds exactly. scipy's `jensenshannon`
    returns the square root of this (a metric) and can return NaN for nearly equal inputs;
    here each term is rewritten with \(s = p_i + q_i\), \(d = (p_i - q_i)/s\) as
    \(\frac{s}{4}\left[(1+d)\ln(1+d) + (1-d)\ln(1-d)\right] \ge 0\), a series in \(d^2\)
    for small \(|d|\), so nearly equal inputs keep full relative precision.

    Parameters
    ----------
    p : array_like
        A distribution along the last axis (a batch gives one value per row).
    q : array_like
        A distribution of the same shape.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(\mathrm{JS}(p, q) \in [0, \log_b 2]\).

    Raises
    ------
    ValueError
        If `p` and `q` differ in shape, or either is not a valid distribution (empty,
        NaN, inf, negative entries, sum not 1 within 1e-6).
    """
    pa, qa, _, _ = _pair(p, q)
    log_b = log_of_base(base)
    s = pa + qa
    with np.errstate(all="ignore"):
        inv = np.where(s > 0.0, 1.0 / s, 0.0)
    d = (pa - qa) * inv
    g = _js_g(d, 2.0 * pa * inv, 2.0 * qa * inv)
    js = np.clip(0.25 * rowdot(s, g), 0.0, _LN2)
    return scalar_or_array(js / log_b)
