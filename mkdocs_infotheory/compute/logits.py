"""Numerically stable log-sum-exp, log-softmax and the softmax cross-entropy loss."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import scalar_or_array
from ._validate import FloatArray, as_float_array, require_nonempty


def _logits(x: ArrayLike, name: str, axis: int) -> tuple[FloatArray, int]:
    """Validate logits and a valid axis; return the array and the normalised axis.

    ``-inf`` is allowed: it is the standard way to mask a class out (probability 0), as in
    scipy's ``logsumexp`` and torch's ``log_softmax``. NaN and ``+inf`` are errors.
    """
    arr = as_float_array(x, name)
    require_nonempty(arr, name)
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} with {arr.ndim} dimension(s)")
    hi = arr.max()
    if not hi < np.inf:  # NaN or +inf somewhere (the max propagates NaN)
        kind = "NaN" if np.isnan(arr).any() else "+inf"
        raise ValueError(f"{name} contains {kind}; logits must be finite or -inf (a masked class)")
    return arr, int(axis) % arr.ndim


def _shifted_parts(arr: FloatArray, axis: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return ``(max, x - max, log1p(sum of exp over all but one maximal entry))``, keepdims.

    Excluding the maximal entry (whose exponential is exactly 1) and using ``log1p`` keeps
    the digits that ``log(1 + tiny)`` would round away, e.g. ``logsumexp([0, -50])``.
    Masked entries (``-inf``) contribute ``exp(-inf) = 0``. A row that is masked entirely has
    ``max = -inf``; it is shifted by 0 instead, so its ``x - max`` is ``-inf`` (not NaN) and
    its ``max + tail`` is ``-inf``, the log of an empty sum.
    """
    top = np.argmax(arr, axis=axis, keepdims=True)
    peak = np.take_along_axis(arr, top, axis=axis)
    shifted = arr - np.where(np.isneginf(peak), 0.0, peak)
    e = np.exp(shifted)
    np.put_along_axis(e, top, 0.0, axis=axis)
    tail = np.log1p(e.sum(axis=axis, keepdims=True))
    return peak, shifted, tail


def logsumexp(x: ArrayLike, axis: int = -1) -> np.float64 | FloatArray:
    r"""Logarithm of the sum of exponentials, without overflow or underflow.

    \[
    \operatorname{LSE}(x) = \ln \sum_i e^{x_i}
    = m + \mathrm{log1p}\Big(\sum_{i \ne k} e^{x_i - m}\Big), \qquad m = x_k = \max_i x_i
    \]

    Accurate to rounding for logits of magnitude \(10^4\) and beyond, and for a dominant
    entry: `logsumexp([0, -50])` is \(\ln(1 + e^{-50}) \approx 1.93 \cdot 10^{-22}\) to full
    precision, where the textbook \(m + \ln \sum_i e^{x_i - m}\) gives 0.

    Parameters
    ----------
    x : array_like
        Real numbers, at least 1-D; `-inf` masks an entry out (it adds \(e^{-\infty} = 0\)).
    axis : int, default -1
        The axis to reduce.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        The shape of `x` without `axis`; natural logarithm (nats). `-inf` where every entry
        along `axis` is `-inf` (the log of an empty sum), as `scipy.special.logsumexp`.

    Raises
    ------
    ValueError
        If `x` is 0-d or empty, contains NaN or `+inf`, or `axis` is out of range.
    """
    arr, ax = _logits(x, "x", axis)
    peak, _, tail = _shifted_parts(arr, ax)
    return scalar_or_array(np.squeeze(peak + tail, axis=ax))


def log_softmax(x: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Logarithm of the softmax, computed without forming the softmax.

    \[
    \log \operatorname{softmax}(x)_i = x_i - \operatorname{LSE}(x)
    = (x_i - m) - \mathrm{log1p}\Big(\sum_{j \ne k} e^{x_j - m}\Big)
    \]

    Parameters
    ----------
    x : array_like
        Real numbers (logits), at least 1-D; `-inf` masks a class out (probability 0).
    axis : int, default -1
        The axis holding the classes.

    Returns
    -------
    numpy.ndarray
        Log-probabilities (nats) with the shape of `x`; `exp` of them sums to 1 along `axis`.
        A masked class gets `-inf`; a row masked entirely has no distribution and gets NaN
        (as in `scipy.special.log_softmax` and `torch.log_softmax`).

    Raises
    ------
    ValueError
        If `x` is 0-d or empty, contains NaN or `+inf`, or `axis` is out of range.
    """
    arr, ax = _logits(x, "x", axis)
    peak, shifted, tail = _shifted_parts(arr, ax)
    return np.where(np.isneginf(peak), np.nan, shifted - tail)


def _targets(target: ArrayLike, batch_shape: tuple[int, ...], classes: int) -> NDArray[np.intp]:
    """Validate class-index targets: integers in ``[0, classes)`` of the batch's shape."""
    arr = np.asarray(target)
    if arr.dtype.kind not in "iu":
        raise ValueError(
            f"target must hold integer class indices, got dtype {arr.dtype} "
            "(probability targets are not supported)"
        )
    if arr.shape != batch_shape:
        raise ValueError(f"target must have shape {batch_shape} to match logits, got {arr.shape}")
    bad = (arr < 0) | (arr >= classes)
    if bad.any():
        raise ValueError(
            f"target {arr[bad].flat[0]!r} is out of range for {classes} classes "
            f"(valid: 0..{classes - 1}); targets never wrap around"
        )
    return arr.astype(np.intp, copy=False)


def cross_entropy_loss(logits: ArrayLike, target: ArrayLike) -> np.float64:
    r"""Mean softmax cross-entropy of class-index targets, in nats: numpy's `F.cross_entropy`.

    \[
    \mathcal{L} = \frac{1}{N} \sum_{n=1}^{N} \Big( \operatorname{LSE}(z_n) - z_{n, t_n} \Big)
    \]

    Matches `torch.nn.functional.cross_entropy(logits, target)` with its defaults (mean
    reduction, natural log) for logits of shape `(N, C)`; a 1-D `logits` of shape `(C,)`
    with a scalar `target` is a batch of one. Classes lie along the last axis. Stable for
    logits of magnitude \(10^4\). Out-of-range targets are an error, never wrapped around
    like a negative numpy index would be.

    Parameters
    ----------
    logits : array_like
        Unnormalised scores of shape `(N, C)` (or `(..., C)`, or `(C,)`); `-inf` masks a
        class out.
    target : array_like
        Integer class indices in \([0, C)\) of shape `logits.shape[:-1]`.

    Returns
    -------
    numpy.float64
        The mean loss in nats, \(\ge 0\). `+inf` if some target class is masked (`-inf`
        logit: the model gives it probability 0); NaN if a whole row is masked, as torch.

    Raises
    ------
    ValueError
        If `logits` is 0-d or empty, or contains NaN or `+inf`; if `target` is not integer,
        has the wrong shape, or holds an index outside \([0, C)\).
    """
    arr, _ = _logits(logits, "logits", -1)
    targets = _targets(target, arr.shape[:-1], arr.shape[-1])
    peak, _, tail = _shifted_parts(arr, -1)
    picked = np.take_along_axis(arr, targets[..., None], axis=-1)
    with np.errstate(invalid="ignore"):  # -inf - -inf: a fully masked row, NaN on purpose
        losses = (peak - picked) + tail
    return np.float64(np.mean(losses))
