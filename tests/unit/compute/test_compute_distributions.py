"""entropy, bernoulli_entropy, perplexity: exact values and 50-digit references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from mkdocs_infotheory.compute import bernoulli_entropy, entropy, perplexity

from .reference import bernoulli_ref, entropy_ref, rel_err

TOL = 1e-9


@pytest.mark.parametrize(
    ("p", "bits"),
    [
        ([1.0], 0.0),
        ([0.5, 0.5], 1.0),
        ([0.25] * 4, 2.0),
        ([0.5, 0.25, 0.25], 1.5),
        ([0.5, 0.25, 0.125, 0.125], 1.75),
        ([0.0, 1.0], 0.0),
        ([0.5, 0.0, 0.5, 0.0], 1.0),
    ],
)
def test_exact_values_in_bits(p: list[float], bits: float) -> None:
    assert entropy(p) == pytest.approx(bits, abs=1e-15)


def test_uniform_over_n_is_log_n_in_any_base() -> None:
    for n in (3, 7, 1000):
        p = np.full(n, 1.0 / n)
        assert entropy(p) == pytest.approx(math.log2(n), rel=1e-13)
        assert entropy(p, base=math.e) == pytest.approx(math.log(n), rel=1e-13)
        assert entropy(p, base=10) == pytest.approx(math.log10(n), rel=1e-13)


@pytest.mark.parametrize(
    "p",
    [
        [1 - 1e-20, 1e-20],  # the first entry is exactly 1.0 in float64
        [1e-300, 1 - 1e-300],
        [1e-300, 1e-200, 1e-100, 0.5, 0.5 - 1e-100],
        [0.1] * 10,
        [1e-12, 1 - 1e-12],
        [2.0**-1074, 0.25, 0.75],  # a subnormal entry
    ],
)
def test_matches_50_digit_reference(p: list[float]) -> None:
    for base in (2, math.e, 10):
        assert rel_err(entropy(p, base=base), entropy_ref(p, base)) <= TOL


def test_random_distributions_match_reference() -> None:
    rng = np.random.default_rng(0)
    for _ in range(40):
        p = rng.random(rng.integers(1, 30)) ** 8
        p /= p.sum()
        assert rel_err(entropy(p), entropy_ref(p)) <= TOL


def test_values_inside_tolerance_are_used_as_given() -> None:
    p = [0.5, 0.5 + 5e-7]
    expected = entropy_ref(p)
    assert rel_err(entropy(p), expected) <= TOL
    # renormalising first would give a different number
    assert abs(entropy(p) - entropy_ref(np.array(p) / sum(p))) > 1e-8


def test_batch_gives_one_value_per_row() -> None:
    batch = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    out = entropy(batch)
    assert out.shape == (3,)
    for row, value in zip(batch, out, strict=True):
        assert value == entropy(row)
    cube = np.stack([batch, batch[::-1]])
    assert entropy(cube).shape == (2, 3)


def test_agrees_with_scipy_after_its_conventions() -> None:
    rng = np.random.default_rng(1)
    p = rng.random((5, 40))
    p /= p.sum(axis=1, keepdims=True)
    # scipy: nats by default, distributions along axis 0
    np.testing.assert_allclose(entropy(p, base=math.e), stats.entropy(p.T), rtol=1e-12)
    np.testing.assert_allclose(entropy(p), stats.entropy(p, base=2, axis=1), rtol=1e-12)


@pytest.mark.parametrize("p", [0.0, 1.0, 0.5, 0.11, 1e-300, 1 - 2**-53, 2**-53, 1e-5, 0.999])
def test_bernoulli_matches_reference(p: float) -> None:
    # 1 - 1e-300 is only representable with more than 300 digits
    ref = bernoulli_ref(p, dps=400)
    assert rel_err(bernoulli_entropy(p), ref) <= TOL
    assert rel_err(bernoulli_entropy(p, base=math.e), bernoulli_ref(p, math.e, dps=400)) <= TOL


def test_bernoulli_is_vectorised_and_symmetric() -> None:
    p = np.array([[0.1, 0.2], [0.5, 0.9]])
    h = bernoulli_entropy(p)
    assert h.shape == (2, 2)
    assert h[1, 0] == 1.0
    np.testing.assert_allclose(h, bernoulli_entropy(1 - p), rtol=1e-15)
    np.testing.assert_allclose(h, [[entropy([x, 1 - x]) for x in row] for row in p], rtol=1e-14)


def test_bernoulli_extremes_are_not_rounded_to_zero() -> None:
    # the classic formula evaluates log(1 - 1e-300) = log(1.0) = 0 and keeps only -p log p
    naive = -1e-300 * math.log2(1e-300)
    assert bernoulli_entropy(1e-300) > naive * (1 + 1e-4)
    assert bernoulli_entropy(1 - 2**-53) > 0


def test_perplexity() -> None:
    assert perplexity([0.25] * 4) == 4.0
    assert perplexity([0.125] * 8) == 8.0
    assert perplexity([1 / 3] * 3) == pytest.approx(3.0, rel=1e-14)
    assert perplexity([1.0, 0.0]) == 1.0
    p = [0.5, 0.3, 0.2]
    for base in (2, math.e, 10):
        assert perplexity(p, base=base) == pytest.approx(base ** entropy(p, base=base), rel=1e-14)
    np.testing.assert_allclose(perplexity([[0.5, 0.5], [1.0, 0.0]]), [2.0, 1.0], rtol=1e-15)
