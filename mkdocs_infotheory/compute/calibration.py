"""Calibration of probabilistic classifiers: expected calibration error."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float_array, require_distribution


def expected_calibration_error(probs: ArrayLike, labels: ArrayLike, n_bins: int = 15) -> np.float64:
    r"""Expected calibration error (ECE) of top-label confidences, equal-width bins.

    \[
    \mathrm{ECE} = \sum_{b=0}^{B-1} \frac{|S_b|}{N}\,
    \Big| \operatorname{acc}(S_b) - \operatorname{conf}(S_b) \Big|
    \]

    The confidence of a sample is its largest probability, the prediction its index (the
    first one on ties). Bin \(b\) holds the confidences in
    \(\left(\frac{b}{B}, \frac{b+1}{B}\right]\), so a confidence of exactly 1.0 falls in the
    last bin (not in a phantom bin \(B\)) and a confidence equal to a bin edge \(b/B\) (as
    computed in floating point) in the bin below it.
    Empty bins contribute 0.

    Parameters
    ----------
    probs : array_like
        Predicted class probabilities of shape `(N, C)`; each row sums to 1 within 1e-6.
    labels : array_like
        True class indices of shape `(N,)`, integers in \([0, C)\).
    n_bins : int, default 15
        The number of equal-width bins \(B \ge 1\).

    Returns
    -------
    numpy.float64
        The ECE, a number in \([0, 1]\).

    Raises
    ------
    ValueError
        If `probs` is not a 2-D array of valid distributions, `labels` are not integers of
        shape `(N,)` in range, or `n_bins` is not a positive integer.
    """
    if isinstance(n_bins, (bool, np.bool_)) or not isinstance(n_bins, numbers.Integral):
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    if n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins}")
    arr = as_float_array(probs, "probs")
    if arr.ndim != 2:
        raise ValueError(f"probs must have shape (N, C), got shape {arr.shape}")
    require_distribution(arr, "probs")
    lab = np.asarray(labels)
    if lab.dtype.kind not in "iu":
        raise ValueError(f"labels must hold integer class indices, got dtype {lab.dtype}")
    if lab.shape != arr.shape[:1]:
        raise ValueError(f"labels must have shape {arr.shape[:1]} to match probs, got {lab.shape}")
    classes = arr.shape[1]
    if ((lab < 0) | (lab >= classes)).any():
        raise ValueError(f"labels must lie in [0, {classes - 1}]")
    predicted = np.argmax(arr, axis=1)
    confidence = arr[np.arange(arr.shape[0]), predicted]
    correct = (predicted == lab).astype(np.float64)
    edges = np.arange(n_bins + 1, dtype=np.float64) / n_bins
    bins = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    gap = np.bincount(bins, weights=correct - confidence, minlength=n_bins)
    return np.float64(np.abs(gap).sum() / arr.shape[0])
