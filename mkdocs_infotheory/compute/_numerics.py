"""Numerical kernels shared by the public functions.

Why this module exists: every quantity here is a sum of ``p log(p/q)``-like terms, and the
textbook formulas lose digits (or even the sign) exactly where posts like to look: nearly
equal distributions, nearly deterministic ones, tiny probabilities. The kernels below rewrite
those sums into forms whose terms are all non-negative and accurate, so that summing them
is well conditioned:

* :func:`xlogx_sum` — ``sum p ln p`` with ``0 ln 0 = 0`` and no warnings.
* :func:`d_minus_log1p` — ``d - ln(1 + d)``, accurate for tiny ``|d|`` (series) and beyond.
* :func:`bregman_terms` — ``p ln(p/q) - p + q >= 0`` term by term; summed, it equals the KL
  divergence up to ``sum(p) - sum(q)``, which :func:`exact_sum_difference` supplies exactly.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._validate import FloatArray

#: The smallest positive float64. ``ln(max(x, TINY))`` is finite for ``x = 0`` and exact for
#: every positive ``x`` (subnormals included), so ``x * ln(max(x, TINY))`` is ``0 ln 0 = 0``
#: without a branch or a RuntimeWarning.
TINY = float(np.nextafter(0.0, 1.0))
EPS = float(np.finfo(np.float64).eps)

# d - log1p(d) = u*d - 2 u^3 (1/3 + u^2/5 + u^4/7 + ...), u = d / (2 + d); |u| <= 0.1 needs
# nine terms for full double precision (u^18 / 19 < 1e-19).
_ATANH_TAIL = tuple(1.0 / (2 * k + 3) for k in range(9))
_SERIES_LIMIT = 0.1


def scalar_or_array(x: FloatArray | np.float64) -> np.float64 | FloatArray:
    """Return a numpy scalar for 0-d results so authors get ``np.float64``, not 0-d arrays."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x[()]
    return x


def rowdot(a: FloatArray, b: FloatArray) -> np.float64 | FloatArray:
    """``sum(a * b)`` along the last axis without a temporary (BLAS for 1-D input)."""
    if a.ndim == 1:
        return np.dot(a, b)
    return np.einsum("...i,...i->...", a, b)


def xlogx_sum(p: FloatArray) -> np.float64 | FloatArray:
    """``sum_i p_i ln p_i`` along the last axis, with ``0 ln 0 = 0`` and no warning.

    Every term has the same sign for ``p <= 1``, so plain (pairwise/BLAS) summation is
    accurate to a few ulps relative to the result.
    """
    logp = np.maximum(p, TINY)
    np.log(logp, out=logp)
    return rowdot(p, logp)


def d_minus_log1p(d: FloatArray) -> FloatArray:
    r"""``d - ln(1 + d) >= 0`` for ``d > -1``, to full relative precision.

    Direct evaluation cancels catastrophically for small ``|d|`` (the result is ``~ d^2/2``).
    With ``u = d / (2 + d)`` we have ``ln(1 + d) = 2 atanh(u)`` and ``d - 2u = u d`` exactly,
    so ``d - ln(1 + d) = u d - 2u^3 (1/3 + u^2/5 + ...)`` where the subtracted series is at
    most 4% of ``u d``: no cancellation. Outside ``|u| <= 0.1`` the direct form loses at most
    a factor ~10 (a digit), far inside our 1e-9 budget.
    """
    d = np.asarray(d, dtype=np.float64)
    with np.errstate(all="ignore"):
        u = d / (2.0 + d)
        u2 = u * u
        tail = np.full_like(u, _ATANH_TAIL[-1])
        for coef in reversed(_ATANH_TAIL[:-1]):
            tail *= u2
            tail += coef
        series = u * d - 2.0 * u * u2 * tail
        direct = d - np.log1p(d)
    out = np.where(np.abs(u) <= _SERIES_LIMIT, series, direct)
    return np.maximum(out, 0.0)


def bregman_terms(
    p: FloatArray, q: FloatArray | NDArray[np.longdouble], d: FloatArray | None = None
) -> FloatArray:
    r"""Element-wise ``p ln(p/q) - p + q``, each term ``>= 0``, accurate even for ``p ~ q``.

    ``p = 0`` gives ``q``; ``q = 0 < p`` gives ``inf``. Where ``q/p`` is within ``[1/2, 2]`` we
    use ``p * d_minus_log1p((q - p)/p)`` (``q - p`` is exact there, by Sterbenz's lemma);
    elsewhere ``p (ln p - ln q) + (q - p)``, which has no cancellation worth a digit and no
    overflow even for subnormal ``p``. A caller that knows ``q`` more precisely than float64
    passes it as ``longdouble`` (the result then is ``longdouble`` too) together with
    ``d = (q - p)/p`` computed in that precision.
    """
    with np.errstate(all="ignore"):
        if d is None:
            d = (q - p) / p
        close = (d >= -0.5) & (d <= 1.0)
        near = p * d_minus_log1p(np.where(close, d, 0.0))
        far = p * (np.log(p) - np.log(q)) + (q - p)
        out = np.where(close, near, far)
    out = np.where(p > 0.0, out, q)
    out = np.where((q == 0.0) & (p > 0.0), np.inf, out)
    return np.maximum(out, 0.0)


#: Results must be within 1e-9 relative; a fast formula is trusted only when its error bound
#: is a hundred times tighter than that.
TARGET = 1e-11


def summation_error_bound(n: int) -> float:
    """A safe relative bound for numpy's pairwise (and BLAS) summation of ``n`` terms."""
    return EPS * (math.log2(max(n, 2)) + 24.0)


def direct_kl_is_accurate(value: FloatArray | np.float64, n: int) -> FloatArray:
    """Whether ``sum p ln(p/q)`` summed directly (``n`` terms) is certainly accurate.

    The negative terms of that sum add up to at most ``sum q ~ 1`` (``p ln(p/q) >= p - q``),
    so the absolute values add up to at most ``value + 2``; each logarithm carries an absolute
    error of a few ulps. Cancellation is therefore harmless unless ``value`` itself is small
    (nearly equal distributions), which is exactly when the result is not certified.
    """
    value = np.asarray(value)
    bound = summation_error_bound(n) * (np.abs(value) + 2.0) + 4.0 * EPS
    return bound <= TARGET * value


def exact_sum_difference(p: FloatArray, q: FloatArray) -> FloatArray:
    """``sum(p) - sum(q)`` along the last axis, correctly rounded (``math.fsum``).

    Needed when two nearly equal distributions' divergence is far below the rounding error
    of a plain sum: the difference of the two totals must then be known exactly.
    """
    p2 = p.reshape(-1, p.shape[-1])
    q2 = q.reshape(-1, q.shape[-1])
    out = np.array(
        [math.fsum(np.concatenate((pr, -qr)).tolist()) for pr, qr in zip(p2, q2, strict=True)],
        dtype=np.float64,
    )
    return out.reshape(p.shape[:-1])
