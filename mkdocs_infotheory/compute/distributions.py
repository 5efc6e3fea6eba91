"""Quantities of one distribution: entropy, binary entropy, perplexity."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    TINY,
    FloatArray,
    as_float_array,
    log_of_base,
    require_distribution,
    require_unit_interval,
)


def _scalar_or_array(x: FloatArray) -> np.float64 | FloatArray:
    """Return a numpy scalar for 0-d results so authors get ``np.float64``, not 0-d arrays."""
    return x[()] if x.ndim == 0 else x


def xlogx_sum(p: FloatArray) -> np.float64 | FloatArray:
    r"""``sum_i p_i ln p_i`` along the last axis with ``0 ln 0 = 0`` and no warning."""
    logp = np.maximum(p, TINY)
    np.log(logp, out=logp)
    if p.ndim == 1:
        return np.dot(p, logp)
    return np.einsum("...i,...i->...", p, logp)


def entropy(p: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Shannon entropy of a discrete distribution (bits by default).

    \[
    H(p) = -\sum_i p_i \log_b p_i, \qquad 0 \log 0 = 0
    \]

    Parameters
    ----------
    p : array_like
        Probabilities along the last axis; a 2-D array is a batch with one distribution per row.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        The entropy in units of ``base``; one value per distribution.

    Raises
    ------
    ValueError
        If ``p`` is empty or 0-d, contains NaN, inf or negative entries, or a distribution does
        not sum to 1 within 1e-6.
    """
    arr = as_float_array(p, "p")
    log_b = log_of_base(base)
    require_distribution(arr, "p")
    return 0.0 - xlogx_sum(arr) / log_b


def bernoulli_entropy(p: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Binary entropy function, element-wise over any array of probabilities.

    \[
    H_b(p) = -p \log_b p - (1 - p) \log_b (1 - p)
    \]

    Parameters
    ----------
    p : array_like
        Probabilities of success, each in \([0, 1]\); any shape.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Same shape as ``p``.

    Raises
    ------
    ValueError
        If ``p`` is empty, contains NaN or inf, or has entries outside \([0, 1]\).
    """
    arr = as_float_array(p, "p")
    log_b = log_of_base(base)
    require_unit_interval(arr, "p")
    # a = min(p, 1 - p) is exact: for p >= 1/2, 1 - p is exact (Sterbenz). H(p) = H(a), and
    # log1p(-a) gives ln(1 - a) to full relative precision even for a = 1e-300.
    a = np.minimum(arr, 1.0 - arr)
    small = a * np.log(np.maximum(a, TINY))
    large = (1.0 - a) * np.log1p(-a)
    return _scalar_or_array(0.0 - (small + large) / log_b)
