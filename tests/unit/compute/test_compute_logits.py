"""logsumexp, log_softmax and cross_entropy_loss: stability and agreement with anchors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from mkdocs_infotheory.compute import cross_entropy_loss, log_softmax, logsumexp

from .reference import logsumexp_ref, rel_err


def test_exact_values() -> None:
    assert logsumexp([0.0, 0.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert logsumexp([5.0]) == 5.0
    np.testing.assert_allclose(log_softmax([1.0, 1.0, 1.0, 1.0]), math.log(0.25), rtol=1e-15)
    assert cross_entropy_loss([[0.0, 0.0]], [1]) == pytest.approx(math.log(2), rel=1e-15)


@pytest.mark.parametrize(
    "x",
    [
        [0.0, -50.0],  # log(1 + e^-50) would round to 0
        [1e4, 1e4 - 1.0, -1e4],
        [-1e4, -1e4 - 3.0],
        [1e300, 0.0],
        [-745.0, -746.0, -800.0],
        [0.1, 0.2, 0.3, 0.4],
    ],
)
def test_logsumexp_matches_reference(x: list[float]) -> None:
    assert rel_err(logsumexp(x), logsumexp_ref(x)) <= 1e-13


def test_axis_and_batches_agree_with_scipy() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(scale=30, size=(4, 5, 6))
    for axis in (0, 1, 2, -1):
        np.testing.assert_allclose(logsumexp(x, axis=axis), special.logsumexp(x, axis=axis))
        # absolute tolerance: scipy rounds log-probabilities like -4e-17 to 0 (see below)
        np.testing.assert_allclose(
            log_softmax(x, axis=axis), special.log_softmax(x, axis=axis), rtol=1e-12, atol=1e-12
        )
    assert logsumexp(x).shape == (4, 5)
    assert log_softmax(x).shape == x.shape


def test_log_softmax_of_a_dominant_entry_keeps_its_digits() -> None:
    x = [0.0, -40.0, -45.0]
    out = log_softmax(x)
    # -log(1 + e^-40 + e^-45): scipy returns exactly 0 here
    assert rel_err(out[0], -logsumexp_ref(x)) <= 1e-13
    assert rel_err(out[1], -40.0 - logsumexp_ref(x)) <= 1e-15


def test_log_softmax_is_normalised_and_stable() -> None:
    x = np.array([[1e4, 0.0, -1e4], [3.0, 2.0, 1.0]])
    out = log_softmax(x)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(np.exp(out).sum(axis=-1), 1.0, rtol=1e-15)
    assert out[0, 0] == 0.0
    assert out[0, 1] == -1e4


def test_cross_entropy_loss_matches_definition() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=5, size=(32, 10))
    target = rng.integers(0, 10, 32)
    expected = np.mean(
        [logsumexp_ref(row) - row[t] for row, t in zip(logits.tolist(), target, strict=True)]
    )
    assert cross_entropy_loss(logits, target) == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_loss_is_stable_for_huge_logits() -> None:
    logits = np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4]])
    target = np.array([0, 0, 1])
    loss = cross_entropy_loss(logits, target)
    # terms: 0, 2e4, log 2
    assert loss == pytest.approx((0.0 + 2e4 + math.log(2)) / 3, rel=1e-15)


def test_single_sample_and_extra_axes() -> None:
    assert cross_entropy_loss([2.0, 0.0], 0) == pytest.approx(math.log1p(math.exp(-2.0)))
    batch = np.array([[[2.0, 0.0], [0.0, 1.0]]])
    target = np.array([[0, 1]])
    expected = (math.log1p(math.exp(-2.0)) + math.log1p(math.exp(-1.0))) / 2
    assert cross_entropy_loss(batch, target) == pytest.approx(expected, rel=1e-14)


def test_agrees_with_torch_cross_entropy() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=100, size=(16, 7))
    target = rng.integers(0, 7, 16)
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(target))
    assert cross_entropy_loss(logits, target) == pytest.approx(expected.item(), rel=1e-12)


NINF = -math.inf
MASKED = [
    [0.0, NINF],
    [NINF, 3.0, 1.0],
    [NINF, NINF],
    [[1.0, NINF, 2.0], [NINF, NINF, NINF], [0.5, 0.5, NINF]],
    [[1e4, NINF], [NINF, -1e4]],
]


@pytest.mark.parametrize("x", MASKED, ids=range(len(MASKED)))
def test_minus_inf_masks_like_scipy(x: list[float]) -> None:
    # -inf is the standard way to mask a class out; scipy (and torch) accept it.
    with np.errstate(invalid="ignore", divide="ignore"):
        expected_lse = special.logsumexp(np.asarray(x), axis=-1)
        expected_ls = special.log_softmax(np.asarray(x), axis=-1)
    np.testing.assert_allclose(logsumexp(x), expected_lse, rtol=1e-14)
    np.testing.assert_allclose(log_softmax(x), expected_ls, rtol=1e-14)


def test_fully_masked_row_gives_minus_inf_lse_and_nan_log_softmax() -> None:
    assert logsumexp([NINF, NINF, NINF]) == NINF
    assert np.isnan(log_softmax([NINF, NINF])).all()
    rows = logsumexp([[NINF, NINF], [0.0, 0.0]])
    assert rows[0] == NINF and rows[1] == pytest.approx(math.log(2), rel=1e-15)


def test_masked_classes_in_cross_entropy() -> None:
    # A masked non-target class changes nothing; a masked target costs +inf; a fully masked
    # row has no distribution (NaN), as torch.nn.functional.cross_entropy gives.
    assert cross_entropy_loss([[0.0, 0.0, NINF]], [1]) == pytest.approx(math.log(2), rel=1e-15)
    assert cross_entropy_loss([[0.0, NINF]], [1]) == math.inf
    assert math.isnan(cross_entropy_loss([[NINF, NINF]], [0]))
    logits = np.array([[2.0, NINF, 0.5], [NINF, 1.0, 1.0]])
    expected = -np.mean([special.log_softmax(logits[0])[2], special.log_softmax(logits[1])[1]])
    assert cross_entropy_loss(logits, [2, 1]) == pytest.approx(expected, rel=1e-14)
