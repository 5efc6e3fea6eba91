"""Every error path: bad input raises ValueError saying what is wrong."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mkdocs_infotheory.compute as c

nan, inf = math.nan, math.inf
GOOD = [0.5, 0.5]
TABLE = [[0.25, 0.25], [0.25, 0.25]]

# (function, args, kwargs, regex the message must match)
CASES: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], str]] = []

for f in (c.entropy, c.perplexity):
    CASES += [
        (f, ([],), {}, "empty"),
        (f, (np.zeros((3, 0)),), {}, "empty"),
        (f, (0.5,), {}, "dimension"),
        (f, ([0.5, nan],), {}, "NaN"),
        (f, ([0.5, inf],), {}, "inf"),
        (f, ([-inf, 1.0],), {}, "inf"),
        (f, ([-0.25, 1.25],), {}, "negative"),
        (f, ([0.5, 0.6],), {}, "sum to 1"),
        (f, ([0.5, 0.4999],), {}, "sum to 1"),
        (f, ([[0.5, 0.5], [0.5, 0.6]],), {}, "batch index"),
        (f, (["a", "b"],), {}, "real numbers"),
        (f, ([0.5 + 0j, 0.5],), {}, "real numbers"),
        (f, ([[1.0], [0.5, 0.5]],), {}, "rectangular"),
        (f, (GOOD,), {"base": 1}, "base"),
        (f, (GOOD,), {"base": 0}, "base"),
        (f, (GOOD,), {"base": -2}, "base"),
        (f, (GOOD,), {"base": nan}, "base"),
        (f, (GOOD,), {"base": inf}, "base"),
        (f, (GOOD,), {"base": "2"}, "base"),
        (f, (GOOD,), {"base": True}, "base"),
    ]

CASES += [
    (c.bernoulli_entropy, ([],), {}, "empty"),
    (c.bernoulli_entropy, (1.5,), {}, r"\[0, 1\]"),
    (c.bernoulli_entropy, ([0.2, -1e-9],), {}, r"\[0, 1\]"),
    (c.bernoulli_entropy, (nan,), {}, "NaN"),
    (c.bernoulli_entropy, ([inf],), {}, "inf"),
    (c.bernoulli_entropy, (0.5,), {"base": 1.0}, "base"),
]

for f in (c.cross_entropy, c.kl_divergence, c.js_divergence):
    CASES += [
        (f, (GOOD, [1 / 3] * 3), {}, "same shape"),
        (f, ([[0.5, 0.5]], GOOD), {}, "same shape"),
        (f, ([], []), {}, "empty"),
        (f, ([0.5, nan], GOOD), {}, "p contains NaN"),
        (f, (GOOD, [0.5, nan]), {}, "q contains NaN"),
        (f, (GOOD, [inf, 0.5]), {}, "q contains inf"),
        (f, ([1.5, -0.5], GOOD), {}, "p has negative"),
        (f, (GOOD, [0.5, 0.6]), {}, "q must sum to 1"),
        (f, ([0.2, 0.2], GOOD), {}, "p must sum to 1"),
        (f, (GOOD, GOOD), {"base": 1}, "base"),
    ]

for f in (c.joint_entropy, c.conditional_entropy, c.mutual_information):
    CASES += [
        (f, (GOOD,), {}, "2-D table"),
        (f, (0.5,), {}, "2-D table"),
        (f, (np.zeros((0, 3)),), {}, "empty"),
        (f, ([[0.25, nan], [0.25, 0.5]],), {}, "NaN"),
        (f, ([[0.25, inf], [0.25, 0.5]],), {}, "inf"),
        (f, ([[0.75, -0.25], [0.25, 0.25]],), {}, "negative"),
        (f, ([[0.5, 0.5], [0.5, 0.5]],), {}, "sum to 1"),
        (f, (TABLE,), {"base": 0}, "base"),
    ]

CASES += [
    (c.mutual_information_from_samples, ([1, 2, 3], [1, 2]), {}, "same length"),
    (c.mutual_information_from_samples, ([], []), {}, "empty"),
    (c.mutual_information_from_samples, ([[1], [2]], [1, 2]), {}, "hashable"),
    (c.mutual_information_from_samples, ([1.0, nan], [1, 2]), {}, "NaN"),
    (c.mutual_information_from_samples, (np.array([1.0, nan]), [1, 2]), {}, "NaN"),
    (c.mutual_information_from_samples, (["a", nan], [1, 2]), {}, "NaN"),
    (c.mutual_information_from_samples, ("ab", [1, 2]), {}, "string"),
    (c.mutual_information_from_samples, (5, [1]), {}, "sequence"),
    (c.mutual_information_from_samples, (np.array(5), [1]), {}, "sequence"),
    (c.mutual_information_from_samples, ([1, 2], [1, 2]), {"base": -1}, "base"),
]

for f in (c.logsumexp, c.log_softmax):
    CASES += [
        (f, ([],), {}, "empty"),
        (f, (1.0,), {}, "dimension"),
        (f, ([1.0, nan],), {}, "NaN"),
        (f, ([1.0, inf],), {}, r"\+inf"),
        (f, ([-inf, inf],), {}, r"\+inf"),
        (f, ([-inf, nan],), {}, "NaN"),
        (f, ([1.0, 2.0],), {"axis": 1}, "axis"),
        (f, ([1.0, 2.0],), {"axis": 0.0}, "axis"),
        (f, (["a"],), {}, "real numbers"),
    ]

LOGITS = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
CASES += [
    (c.cross_entropy_loss, (LOGITS, [0, 3]), {}, "out of range"),
    (c.cross_entropy_loss, (LOGITS, [0, -1]), {}, "out of range"),
    (c.cross_entropy_loss, (LOGITS, [0.0, 1.0]), {}, "integer"),
    (c.cross_entropy_loss, (LOGITS, [True, False]), {}, "integer"),
    (c.cross_entropy_loss, (LOGITS, [0]), {}, "shape"),
    (c.cross_entropy_loss, (LOGITS, [[0, 1]]), {}, "shape"),
    (c.cross_entropy_loss, ([[1.0, nan]], [0]), {}, "NaN"),
    (c.cross_entropy_loss, ([[1.0, inf]], [0]), {}, r"\+inf"),
    (c.cross_entropy_loss, ([[-inf, nan]], [0]), {}, "NaN"),
    (c.cross_entropy_loss, (np.zeros((0, 3)), np.zeros(0, dtype=int)), {}, "empty"),
    (c.cross_entropy_loss, (1.0, 0), {}, "dimension"),
]

PROBS = [[0.7, 0.3], [0.4, 0.6]]
CASES += [
    (c.expected_calibration_error, ([0.7, 0.3], [0]), {}, r"shape \(N, C\)"),
    (c.expected_calibration_error, (np.zeros((0, 2)), []), {}, "empty"),
    (c.expected_calibration_error, ([[0.7, 0.4], [0.4, 0.6]], [0, 1]), {}, "sum to 1"),
    (c.expected_calibration_error, ([[0.7, nan], [0.4, 0.6]], [0, 1]), {}, "NaN"),
    (c.expected_calibration_error, ([[1.2, -0.2], [0.4, 0.6]], [0, 1]), {}, "negative"),
    (c.expected_calibration_error, (PROBS, [0.0, 1.0]), {}, "integer"),
    (c.expected_calibration_error, (PROBS, [0, 2]), {}, "labels must lie"),
    (c.expected_calibration_error, (PROBS, [-1, 0]), {}, "labels must lie"),
    (c.expected_calibration_error, (PROBS, [0, 1, 1]), {}, "shape"),
    (c.expected_calibration_error, (PROBS, [0, 1]), {"n_bins": 0}, "n_bins"),
    (c.expected_calibration_error, (PROBS, [0, 1]), {"n_bins": 2.5}, "n_bins"),
    (c.expected_calibration_error, (PROBS, [0, 1]), {"n_bins": True}, "n_bins"),
]


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "message"),
    CASES,
    ids=[f"{f.__name__}-{i}" for i, (f, *_rest) in enumerate(CASES)],
)
def test_bad_input_raises_value_error(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        func(*args, **kwargs)


def test_every_public_function_has_error_cases() -> None:
    covered = {f.__name__ for f, *_ in CASES}
    assert covered == set(c.__all__)


def test_tolerance_boundary() -> None:
    # |sum - 1| <= 1e-6 is accepted as given, beyond it is rejected
    c.entropy([0.5, 0.5 + 0.9e-6])
    c.entropy([0.5, 0.5 - 0.9e-6])
    with pytest.raises(ValueError, match="sum to 1"):
        c.entropy([0.5, 0.5 + 1.1e-6])
    with pytest.raises(ValueError, match="sum to 1"):
        c.entropy([0.5, 0.5 - 1.1e-6])


def test_zeros_are_valid_everywhere() -> None:
    # the autouse fixture turns any RuntimeWarning into a failure
    zero_heavy = [0.0, 1.0, 0.0]
    assert c.entropy(zero_heavy) == 0.0
    assert c.perplexity(zero_heavy) == 1.0
    assert c.kl_divergence(zero_heavy, zero_heavy) == 0.0
    assert c.cross_entropy(zero_heavy, zero_heavy) == 0.0
    assert c.js_divergence(zero_heavy, [0.0, 0.0, 1.0]) == 1.0
    assert c.bernoulli_entropy([0.0, 1.0]).tolist() == [0.0, 0.0]
    table = [[0.0, 0.0], [0.0, 1.0]]
    assert c.joint_entropy(table) == 0.0
    assert c.conditional_entropy(table) == 0.0
    assert c.mutual_information(table) == 0.0
    assert c.expected_calibration_error([[1.0, 0.0]], [0]) == 0.0
