"""Input checking shared by every public function of :mod:`mkdocs_infotheory.compute`.

Why a module of its own: the rules (what counts as a distribution, the tolerance on its sum,
the wording of the error) must be identical in every function, and the happy path must stay
cheap: one ``min`` and one ``sum`` reduction per array. Only when a check fails do we spend
extra passes to say precisely *what* is wrong.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: A distribution is accepted when ``|sum(p) - 1| <= SUM_TOLERANCE`` along its last axis.
#: Values inside the tolerance are used exactly as given (never renormalised).
SUM_TOLERANCE = 1e-6


def as_float_array(x: ArrayLike, name: str) -> FloatArray:
    """Convert ``x`` to a float64 array without copying float64 input.

    The result may share memory with ``x``; callers never write into it, which is how the
    "inputs are never modified" guarantee is kept without paying for a copy.
    """
    try:
        arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a rectangular array of real numbers ({exc})") from None
    kind = arr.dtype.kind
    if kind in "biuf":
        return arr.astype(np.float64, copy=False)
    if kind == "O":
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{name} must contain real numbers, got dtype {arr.dtype}")


def log_of_base(base: float) -> float:
    """Return ``ln(base)``, the divisor that turns nats into units of ``base``."""
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise ValueError(f"base must be a real number > 0 and != 1, got {base!r}")
    b = float(base)
    if not (math.isfinite(b) and b > 0.0 and b != 1.0):
        raise ValueError(f"base must be a finite number > 0 and != 1, got {base!r}")
    return math.log(b)


def require_nonempty(arr: FloatArray, name: str, min_ndim: int = 1) -> None:
    """Reject arrays with no elements or too few axes (a distribution needs one axis)."""
    if arr.ndim < min_ndim:
        what = "a distribution" if min_ndim == 1 else "a table"
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s) to be {what}, got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")


def require_finite(arr: FloatArray, name: str) -> None:
    """Raise a precise ``ValueError`` if ``arr`` holds NaN or infinity."""
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains inf")


def _diagnose_negative(arr: FloatArray, name: str) -> None:
    require_finite(arr, name)
    flat = int(np.argmin(arr))
    index = np.unravel_index(flat, arr.shape)
    raise ValueError(
        f"{name} has negative entries (e.g. {arr[index]!r} at index {tuple(map(int, index))})"
    )


def require_distribution(arr: FloatArray, name: str, axes: int = 1) -> float:
    """Check that ``arr`` is a probability distribution over its last ``axes`` axes.

    Rules: at least ``axes`` dimensions, non-empty, finite, no negative entry, and every
    distribution sums to 1 within :data:`SUM_TOLERANCE`. The happy path costs two reductions.
    Returns the smallest entry, which callers use to pick a fast path.
    """
    require_nonempty(arr, name, axes)
    smallest = arr.min()
    if not smallest >= 0.0:  # also catches NaN and -inf
        _diagnose_negative(arr, name)
    sums = arr.sum(axis=tuple(range(-axes, 0)))
    if not (np.abs(sums - 1.0) <= SUM_TOLERANCE).all():
        require_finite(arr, name)
        deviation = np.abs(np.asarray(sums) - 1.0)
        worst = np.unravel_index(int(np.argmax(deviation)), deviation.shape)
        where = f" (distribution at batch index {tuple(map(int, worst))})" if worst else ""
        raise ValueError(
            f"{name} must sum to 1 within {SUM_TOLERANCE:g}, but sums to "
            f"{float(np.asarray(sums)[worst])!r}{where}; it is never normalised silently"
        )
    return float(smallest)


def require_unit_interval(arr: FloatArray, name: str) -> None:
    """Check that every entry is a probability in ``[0, 1]``."""
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    lo = arr.min()
    hi = arr.max()
    if not (lo >= 0.0 and hi <= 1.0):
        require_finite(arr, name)
        bad = arr[(arr < 0.0) | (arr > 1.0)]
        raise ValueError(
            f"{name} must lie in [0, 1], got {bad.flat[0]!r} ({bad.size} entries outside)"
        )


def require_same_shape(a: FloatArray, b: FloatArray, names: tuple[str, str]) -> None:
    """Reject mismatched shapes instead of broadcasting (broadcast hides mistakes)."""
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}"
        )
