"""expected_calibration_error: bin edges, the confidence-1.0 trap, an independent loop."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from mkdocs_infotheory.compute import expected_calibration_error


def _ece_by_loop(probs: np.ndarray, labels: np.ndarray, n_bins: int) -> float:
    """Straightforward definition with exact rational bin membership (b/B, (b+1)/B]."""
    bins: dict[int, list[tuple[float, float]]] = {}
    for row, label in zip(probs.tolist(), labels.tolist(), strict=True):
        conf = max(row)
        pred = row.index(conf)
        b = 0
        while b < n_bins - 1 and not Fraction(conf) <= Fraction(b + 1, n_bins):
            b += 1
        bins.setdefault(b, []).append((conf, float(pred == label)))
    total = 0.0
    for members in bins.values():
        acc = sum(a for _, a in members) / len(members)
        conf = sum(c for c, _ in members) / len(members)
        total += len(members) / len(labels) * abs(acc - conf)
    return total


def test_perfectly_confident_and_right_is_zero() -> None:
    probs = np.eye(3)
    assert expected_calibration_error(probs, np.array([0, 1, 2])) == 0.0


def test_confidence_one_goes_to_the_last_bin() -> None:
    # torchmetrics' phantom bin B would hold this sample alone; here it shares the last
    # bin with a 0.95 confidence sample: |mean acc - mean conf| = |1 - 0.975|
    probs = np.array([[1.0, 0.0], [0.95, 0.05]])
    labels = np.array([0, 0])
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.025)


def test_edge_confidence_belongs_to_the_lower_bin() -> None:
    # 0.5 lies in (0.4, 0.5] and 0.6 in (0.5, 0.6] with ten bins
    probs = np.array([[0.5, 0.5], [0.6, 0.4]])
    labels = np.array([0, 1])
    # two bins with one sample each: |1 - 0.5| / 2 + |0 - 0.6| / 2
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.55)
    # with two bins both are in (0.5, 1] only if above 0.5: 0.5 stays in the first bin
    assert expected_calibration_error(probs, labels, n_bins=2) == pytest.approx(0.55)
    assert expected_calibration_error(probs, labels, n_bins=1) == pytest.approx(0.05)


def test_matches_an_independent_loop() -> None:
    rng = np.random.default_rng(0)
    for n_bins in (1, 3, 10, 15):
        logits = rng.normal(scale=2, size=(300, 4))
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        labels = rng.integers(0, 4, 300)
        assert expected_calibration_error(probs, labels, n_bins=n_bins) == pytest.approx(
            _ece_by_loop(probs, labels, n_bins), abs=1e-12
        )


def test_default_is_fifteen_bins() -> None:
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(3), 200)
    labels = rng.integers(0, 3, 200)
    assert expected_calibration_error(probs, labels) == expected_calibration_error(
        probs, labels, n_bins=15
    )
    assert expected_calibration_error(probs, labels) == pytest.approx(
        _ece_by_loop(probs, labels, 15), abs=1e-12
    )


def test_agrees_with_torchmetrics_away_from_confidence_one() -> None:
    torchmetrics = pytest.importorskip("torchmetrics")
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(3), 100)
    labels = rng.integers(0, 3, 100)
    metric = torchmetrics.functional.classification.multiclass_calibration_error
    expected = metric(torch.tensor(probs), torch.tensor(labels), num_classes=3, n_bins=15)
    assert expected_calibration_error(probs, labels) == pytest.approx(expected.item(), abs=1e-6)
