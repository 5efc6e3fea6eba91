"""Plug-in mutual information from paired samples of arbitrary hashable labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._numerics import d_minus_log1p
from ._validate import log_of_base

IntArray = NDArray[np.intp]

# Integer labels spanning at most this many values are coded by offset, without sorting.
_DENSE_SPAN = 1 << 16
# N^2 must fit in int64 for the exact integer bookkeeping below.
_MAX_SAMPLES = 1 << 31


def _factorize_by_dict(values: list[Any], name: str) -> tuple[IntArray, int]:
    """Codes by first appearance; labels compare like dict keys (``1 == 1.0 == True``)."""
    seen: dict[Any, int] = {}
    setdefault = seen.setdefault
    try:
        codes = [setdefault(v, len(seen)) for v in values]
    except TypeError as exc:
        raise ValueError(f"{name} labels must be hashable ({exc})") from None
    for label in seen:
        if label != label:  # only NaN is unequal to itself
            raise ValueError(f"{name} contains a NaN label")
    return np.fromiter(codes, dtype=np.intp, count=len(codes)), len(seen)


def _factorize_integers(arr: NDArray[Any]) -> tuple[IntArray, int]:
    """Codes for an integer array: an offset when the span is small, else a sort."""
    lo, hi = int(arr.min()), int(arr.max())
    span = hi - lo + 1
    if span <= max(_DENSE_SPAN, 2 * arr.size):
        # Subtract in a type that cannot overflow: unsigned stays unsigned (arr >= lo), signed
        # goes to int64 first (int8 127 - (-128) would wrap around).
        shifted = arr - arr.dtype.type(lo) if arr.dtype.kind == "u" else arr.astype(np.int64) - lo
        codes = shifted.astype(np.intp, copy=False)
        if span <= _DENSE_SPAN:
            return codes, span  # unused codes only add empty rows to the table
        used = np.bincount(codes, minlength=span) > 0
        remap = np.cumsum(used) - 1
        return remap[codes], int(remap[-1]) + 1
    uniques, codes = np.unique(arr, return_inverse=True)
    return codes.reshape(-1).astype(np.intp, copy=False), uniques.size


def _factorize_array(arr: NDArray[Any], name: str) -> tuple[IntArray, int]:
    kind = arr.dtype.kind
    if arr.ndim != 1:
        if kind == "O":
            return _factorize_by_dict(
                [tuple(row) for row in arr.reshape(len(arr), -1).tolist()], name
            )
        # A 2-D array holds one (multi-part) label per row.
        rows = np.ascontiguousarray(arr.reshape(len(arr), -1))
        if kind in "fc" and np.isnan(rows).any():
            raise ValueError(f"{name} contains a NaN label")
        uniques, codes = np.unique(rows, axis=0, return_inverse=True)
        return codes.reshape(-1).astype(np.intp, copy=False), len(uniques)
    if kind == "b":
        return arr.astype(np.intp), 2
    if kind in "iu":
        return _factorize_integers(arr)
    if kind in "fc":
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains a NaN label")
        uniques, codes = np.unique(arr, return_inverse=True)
        return codes.reshape(-1).astype(np.intp, copy=False), uniques.size
    if kind in "USmM":
        uniques, codes = np.unique(arr, return_inverse=True)
        return codes.reshape(-1).astype(np.intp, copy=False), uniques.size
    return _factorize_by_dict(arr.tolist(), name)


def _factorize(labels: Iterable[Any], name: str) -> tuple[IntArray, int]:
    """Map labels to codes ``0..k-1``; return the codes and ``k``.

    numpy arrays of numbers, strings or dates take vectorised paths; Python sequences are
    never passed through ``np.asarray`` blindly, because that would turn tuples into extra
    axes and ``[1, "1"]`` into two equal strings. Homogeneous lists of ints (that fit in
    int64) or floats become arrays; everything else is coded with a dict.
    """
    if isinstance(labels, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of labels, not a single string")
    if isinstance(labels, np.ndarray):
        if labels.ndim == 0:
            raise ValueError(f"{name} must be a sequence of labels, got a 0-d array")
        return _factorize_array(labels, name)
    try:
        values = labels if isinstance(labels, list) else list(labels)
    except TypeError:
        raise ValueError(
            f"{name} must be a sequence of labels, got {type(labels).__name__}"
        ) from None
    kinds = set(map(type, values))
    if kinds == {int}:
        try:
            return _factorize_integers(np.array(values, dtype=np.int64))
        except OverflowError:
            pass  # huge ints: exact comparison needs Python ints
    elif kinds == {float}:
        return _factorize_array(np.array(values, dtype=np.float64), name)
    return _factorize_by_dict(values, name)


def _contingency(cx: IntArray, kx: int, cy: IntArray, ky: int) -> tuple[IntArray, IntArray]:
    """Non-empty cells of the contingency table: (flat cell index ``i * ky + j``, count)."""
    cells = cx.astype(np.int64) * ky + cy
    if kx * ky <= max(4 * cx.size, 1 << 20):
        counts = np.bincount(cells, minlength=kx * ky)
        nonzero = np.flatnonzero(counts)
        return nonzero, counts[nonzero]
    uniques, counts = np.unique(cells, return_counts=True)
    return uniques, counts


def mutual_information_from_samples(
    x: Iterable[Any], y: Iterable[Any], base: float = 2
) -> np.float64:
    r"""Plug-in estimate of \(I(X; Y)\) from paired samples of any hashable labels.

    \[
    \hat I(X; Y) = \sum_{i,j} \frac{n_{ij}}{N} \log_b \frac{N\, n_{ij}}{a_i\, b_j}
    \]

    with \(n_{ij}\) the number of samples with label pair \((x_i, y_j)\), \(a_i\) and
    \(b_j\) the label counts and \(N\) the number of samples. Labels may be numbers, strings,
    tuples, huge integers or a mix: they are compared like dict keys (so `1`, `1.0` and `True`
    are one label, `1` and `"1"` are two). A 2-D numpy array holds one label per row. The sum
    is evaluated with exact integer bookkeeping as non-negative terms
    \(p \ln(p/q) - p + q\), so the estimate is \(\ge 0\) and accurate also for nearly
    independent samples. Unlike scikit-learn's `mutual_info_score` the default unit is bits.

    Parameters
    ----------
    x : sequence
        Labels of the first variable (list, tuple, numpy array, any iterable).
    y : sequence
        Labels of the second variable, same length as `x`.
    base : float, default 2
        Logarithm base: 2 for bits, `math.e` for nats.

    Returns
    -------
    numpy.float64
        \(\hat I(X; Y) \ge 0\) in units of `base`.

    Raises
    ------
    ValueError
        If `x` and `y` differ in length, are empty, contain an unhashable label or a NaN
        label, or hold more than \(2^{31}\) samples.
    """
    log_b = log_of_base(base)
    cx, kx = _factorize(x, "x")
    cy, ky = _factorize(y, "y")
    if cx.size != cy.size:
        raise ValueError(f"x and y must have the same length, got {cx.size} and {cy.size}")
    n = cx.size
    if n == 0:
        raise ValueError("x and y are empty")
    if n > _MAX_SAMPLES:
        raise ValueError(f"at most 2**31 samples are supported, got {n}")
    cells, counts = _contingency(cx, kx, cy, ky)
    a = np.bincount(cx, minlength=kx).astype(np.int64)
    b = np.bincount(cy, minlength=ky).astype(np.int64)
    ab = a[cells // ky] * b[cells % ky]  # exact: <= N^2 < 2^63
    nn = counts.astype(np.int64) * n
    # Term by term p ln(p/q) - p + q with p = n_ij/N, q = a_i b_j/N^2 and d = q/p - 1 formed
    # from exact integers; the remainder sum(p) - sum(q) over these cells is exactly
    # (N^2 - sum a_i b_j) / N^2.
    d = (ab - nn) / nn
    bregman = float(np.dot(counts / n, d_minus_log1p(d)))
    remainder = (n * n - int(ab.sum(dtype=np.int64))) / float(n * n)
    return np.float64(max(bregman + remainder, 0.0) / log_b)
