"""Quantities of a single distribution: entropy, binary entropy, perplexity."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._numerics import TINY, scalar_or_array, xlogx_sum
from ._validate import (
    FloatArray,
    as_float_array,
    log_of_base,
    require_distribution,
    require_unit_interval,
)


def entropy(p: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Shannon entropy of a discrete distribution, in bits by default.

    \[
    H(p) = -\sum_i p_i \log_b p_i, \qquad 0 \log 0 = 0
    \]

    The distribution is used exactly as given: unlike `scipy.stats.entropy` it is never
    normalised, and unlike scipy the default unit is bits and the distribution lies along the
    last axis. Zeros are valid and raise no warning.

    Parameters
    ----------
    p : array_like
        Probabilities along the last axis; an array with more axes is a batch, one
        distribution per row.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(H(p)\) in units of `base`; one value per distribution of a batch.

    Raises
    ------
    ValueError
        If `p` is 0-d or empty, contains NaN, inf or a negative entry, or a distribution
        does not sum to 1 within 1e-6; or if `base` is not a finite number > 0 and != 1.
    """
    arr = as_float_array(p, "p")
    log_b = log_of_base(base)
    require_distribution(arr, "p")
    # 0.0 - x turns the -0.0 of a deterministic distribution into +0.0.
    return 0.0 - xlogx_sum(arr) / log_b


def bernoulli_entropy(p: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Binary entropy function, element-wise over an array of probabilities.

    \[
    H_b(p) = -p \log_b p - (1 - p) \log_b (1 - p)
    \]

    It is evaluated through \(a = \min(p, 1 - p)\), which is exact in floating point, as
    \(-a \log a - (1 - a)\,\mathrm{log1p}(-a)\): full relative precision even for
    \(p = 10^{-300}\) or \(p = 1 - 2^{-53}\).

    Parameters
    ----------
    p : array_like
        Probabilities, each in \([0, 1]\); any shape, including a scalar.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(H_b(p)\) in units of `base`, with the shape of `p`.

    Raises
    ------
    ValueError
        If `p` is empty, contains NaN or inf, or has an entry outside \([0, 1]\).
    """
    arr = as_float_array(p, "p")
    log_b = log_of_base(base)
    require_unit_interval(arr, "p")
    # For p >= 1/2, 1 - p is exact (Sterbenz), so a is exact and H(p) = H(a) loses nothing;
    # log1p(-a) is ln(1 - a) to full relative precision. Both terms are <= 0.
    a = np.minimum(arr, 1.0 - arr)
    small = a * np.log(np.maximum(a, TINY))
    large = (1.0 - a) * np.log1p(-a)
    return scalar_or_array(0.0 - (small + large) / log_b)


def perplexity(p: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Perplexity of a distribution: the effective number of equally likely outcomes.

    \[
    \mathrm{PP}(p) = b^{H_b(p)} = e^{H_e(p)}
    \]

    Mathematically the value does not depend on the base; it is computed as
    \(b^{H_b(p)}\) in the given base, so that with the default base 2 a uniform
    distribution over \(2^k\) outcomes gives exactly \(2^k\).

    Parameters
    ----------
    p : array_like
        Probabilities along the last axis; a batch gives one value per row.
    base : float, default 2
        Logarithm base of the entropy being exponentiated; changes only the rounding.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        A number between 1 and the number of outcomes with nonzero probability.

    Raises
    ------
    ValueError
        Same conditions as `entropy`.
    """
    arr = as_float_array(p, "p")
    log_b = log_of_base(base)
    require_distribution(arr, "p")
    return np.power(float(base), 0.0 - xlogx_sum(arr) / log_b)
