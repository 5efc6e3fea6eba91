"""Quantities of a joint distribution table ``pxy[i, j] = P(X = x_i, Y = y_j)``."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import bregman_terms, direct_kl_is_accurate, scalar_or_array, xlogx_sum
from ._validate import FloatArray, as_float_array, log_of_base, require_distribution


def _table(pxy: ArrayLike) -> FloatArray:
    """Validate a joint table: at least 2-D, the last two axes hold one distribution."""
    arr = as_float_array(pxy, "pxy")
    if arr.ndim < 2:
        raise ValueError(
            f"pxy must be a 2-D table pxy[i, j] = P(X=x_i, Y=y_j) (rows are X), got shape "
            f"{arr.shape}; for a single distribution use entropy()"
        )
    require_distribution(arr, "pxy", axes=2)
    return arr


def _marginal(arr: FloatArray, axis: int) -> NDArray[np.longdouble]:
    """Row or column sums in extended precision (where the platform has it).

    Extended precision makes the marginals, and the products of marginals that mutual
    information compares the table against, accurate beyond float64: for a nearly
    independent table those products differ from the entries only in their last digits.
    """
    return np.sum(arr, axis=axis, dtype=np.longdouble)


def joint_entropy(pxy: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Joint entropy of a table of joint probabilities.

    \[
    H(X, Y) = -\sum_{i,j} p(x_i, y_j) \log_b p(x_i, y_j)
    \]

    Parameters
    ----------
    pxy : array_like
        Table `pxy[i, j]` \(= P(X = x_i, Y = y_j)\), at least 2-D; leading axes are a batch.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(H(X, Y)\) in units of `base`; one value per table of a batch.

    Raises
    ------
    ValueError
        If `pxy` has fewer than 2 dimensions, is empty, contains NaN, inf or negative
        entries, or a table does not sum to 1 within 1e-6.
    """
    arr = _table(pxy)
    log_b = log_of_base(base)
    flat = arr.reshape(*arr.shape[:-2], arr.shape[-2] * arr.shape[-1])
    return scalar_or_array(0.0 - xlogx_sum(flat) / log_b)


def conditional_entropy(pxy: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Conditional entropy \(H(Y \mid X)\) of a joint table whose rows are X.

    \[
    H(Y \mid X) = \sum_i p(x_i)\, H(Y \mid X = x_i)
    = \sum_{i,j} p(x_i, y_j) \log_b \frac{p(x_i)}{p(x_i, y_j)}
    \]

    Computed row by row, never as \(H(X, Y) - H(X)\), which loses every digit when rows are
    nearly deterministic. Each term is non-negative; for the largest entry of a row the
    ratio \(p(x_i)/p(x_i, y_j)\) is formed as \(1 + r/p(x_i, y_j)\) with \(r\) the sum of the
    *other* entries, through `log1p`, so a row like \([0.3, 3 \cdot 10^{-21}]\) keeps full
    relative precision. For \(H(X \mid Y)\) pass the transpose.

    Parameters
    ----------
    pxy : array_like
        Table `pxy[i, j]` \(= P(X = x_i, Y = y_j)\), at least 2-D; leading axes are a batch.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(0 \le H(Y \mid X) \le H(Y)\) in units of `base`.

    Raises
    ------
    ValueError
        If `pxy` has fewer than 2 dimensions, is empty, contains NaN, inf or negative
        entries, or a table does not sum to 1 within 1e-6.
    """
    arr = _table(pxy)
    log_b = log_of_base(base)
    top = np.argmax(arr, axis=-1)[..., None]
    is_top = np.zeros(arr.shape, dtype=bool)
    np.put_along_axis(is_top, top, True, axis=-1)
    big = np.take_along_axis(arr, top, axis=-1)
    others = np.where(is_top, 0.0, arr)
    rest = _marginal(others, -1).astype(np.float64)[..., None]
    px = big + rest
    with np.errstate(all="ignore"):
        ratio = px / others
        log_ratio = np.where(np.isinf(ratio), np.log(px) - np.log(others), np.log(ratio))
        minor = np.where(others > 0.0, others * log_ratio, 0.0)
        major = np.where(big > 0.0, big * np.log1p(rest / big), 0.0)
    total = minor.sum(axis=(-2, -1)) + major.sum(axis=(-2, -1))
    return scalar_or_array(np.maximum(total, 0.0) / log_b)


def _one_minus_total(arr: FloatArray) -> FloatArray:
    """``1 - sum(table)`` correctly rounded, per table (``math.fsum``)."""
    flat = arr.reshape(-1, arr.shape[-2] * arr.shape[-1])
    out = [math.fsum([1.0, *(-flat_row).tolist()]) for flat_row in flat]
    return np.array(out, dtype=np.float64).reshape(arr.shape[:-2])


def mutual_information(pxy: ArrayLike, base: float = 2) -> np.float64 | FloatArray:
    r"""Mutual information between the row variable X and the column variable Y.

    \[
    I(X; Y) = \sum_{i,j} p(x_i, y_j) \log_b \frac{p(x_i, y_j)}{p(x_i)\, p(y_j)}
    = H(X) + H(Y) - H(X, Y) \ge 0
    \]

    Computed as a KL divergence from the product of the marginals through non-negative terms
    \(p \ln(p/q) - p + q\) (with \(q = p(x_i) p(y_j)\)), plus the exact correction
    \(S(1 - S)\) for a table whose entries sum to \(S\) instead of exactly 1. So
    \(I \ge 0\) holds exactly and a nearly independent table keeps its digits.

    Parameters
    ----------
    pxy : array_like
        Table `pxy[i, j]` \(= P(X = x_i, Y = y_j)\), at least 2-D; leading axes are a batch.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        \(I(X; Y) \ge 0\) in units of `base`.

    Raises
    ------
    ValueError
        If `pxy` has fewer than 2 dimensions, is empty, contains NaN, inf or negative
        entries, or a table does not sum to 1 within 1e-6.
    """
    arr = _table(pxy)
    log_b = log_of_base(base)
    px = _marginal(arr, -1)
    py = _marginal(arr, -2)
    q_wide = px[..., :, None] * py[..., None, :]
    with np.errstate(all="ignore"):
        d = ((q_wide - arr) / arr).astype(np.float64)  # (q - p)/p beyond float64 precision
    # q stays in extended precision: its exponent range also holds products like 1e-600.
    with np.errstate(all="ignore"):
        direct_terms = np.where(arr > 0.0, arr * np.log(arr / q_wide), 0.0)
    direct = direct_terms.sum(axis=(-2, -1)).astype(np.float64)
    accurate = direct_kl_is_accurate(direct, arr.shape[-2] * arr.shape[-1])
    if accurate.all():
        total = direct
    else:
        bregman = bregman_terms(arr, q_wide, d).sum(axis=(-2, -1)).astype(np.float64)
        deficit = _one_minus_total(arr)
        total = np.where(accurate, direct, bregman + (1.0 - deficit) * deficit)
    return scalar_or_array(np.maximum(total, 0.0) / log_b)
