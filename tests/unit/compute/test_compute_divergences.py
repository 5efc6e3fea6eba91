"""cross_entropy, kl_divergence, js_divergence: exact values, references, bounds, anchors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import spatial, special, stats

from mkdocs_infotheory.compute import cross_entropy, entropy, js_divergence, kl_divergence

from .reference import cross_entropy_ref, js_ref, kl_ref, rel_err

TOL = 1e-9


def test_exact_values() -> None:
    assert kl_divergence([0.5, 0.5], [0.25, 0.75]) == pytest.approx(
        0.5 * math.log2(2) + 0.5 * math.log2(2 / 3), abs=1e-15
    )
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == 1.0
    assert cross_entropy([1.0, 0.0], [0.5, 0.5]) == 1.0
    assert cross_entropy([0.5, 0.5], [0.25, 0.75]) == pytest.approx(
        -(0.5 * math.log2(0.25) + 0.5 * math.log2(0.75)), abs=1e-15
    )
    assert js_divergence([1.0, 0.0], [0.0, 1.0]) == 1.0
    assert js_divergence([1.0, 0.0], [0.0, 1.0], base=math.e) == pytest.approx(math.log(2))
    # JS = H(m) - (H(p) + H(q)) / 2 with m = (0.75, 0.25), H(p) = 0, H(q) = 1
    h_m = -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    assert js_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(h_m - 0.5, abs=1e-15)


def test_zero_conventions() -> None:
    # p_i = 0 contributes nothing, whatever q_i is
    assert kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
    # q_i = 0 where p_i > 0: infinitely surprising
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    np.testing.assert_array_equal(
        kl_divergence([[0.5, 0.5], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]]), [np.inf, 0.0]
    )


def _random_pairs(seed: int, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    pairs = []
    for k in range(count):
        n = int(rng.integers(2, 40))
        p = rng.random(n) ** 6
        q = rng.random(n) ** 6
        if k % 3 == 0:
            p[rng.integers(n)] = 0.0
        pairs.append((p / p.sum(), q / q.sum()))
    return pairs


@pytest.mark.parametrize(("p", "q"), _random_pairs(2, 30))
def test_random_pairs_match_reference(p: np.ndarray, q: np.ndarray) -> None:
    assert rel_err(kl_divergence(p, q), kl_ref(p, q)) <= TOL
    assert rel_err(js_divergence(p, q), js_ref(p, q)) <= TOL
    assert rel_err(cross_entropy(p, q), cross_entropy_ref(p, q)) <= TOL


def test_extreme_entries_match_reference() -> None:
    p = np.array([1e-300, 1e-200, 0.5, 0.5])
    q = np.array([0.25, 1e-300, 0.25, 0.5])
    for a, b in ((p, q), (q, p)):
        assert rel_err(kl_divergence(a, b), kl_ref(a, b, dps=400)) <= TOL
        assert rel_err(js_divergence(a, b), js_ref(a, b, dps=400)) <= TOL
        assert rel_err(cross_entropy(a, b), cross_entropy_ref(a, b)) <= TOL
    det = np.array([1 - 1e-20, 1e-20])
    flat = np.array([0.5, 0.5])
    assert rel_err(kl_divergence(det, flat), kl_ref(det, flat)) <= TOL
    assert rel_err(kl_divergence(flat, det), kl_ref(flat, det)) <= TOL


def _nearly_equal(seed: int, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs that differ by moving an exactly representable mass 2**-k between two entries,
    so both sum to the same real number and the divergence is tiny but well defined."""
    rng = np.random.default_rng(seed)
    pairs = []
    while len(pairs) < count:
        n = int(rng.integers(2, 12))
        p = rng.random(n)
        p /= p.sum()
        i, j = rng.choice(n, 2, replace=False)
        delta = 2.0 ** -int(rng.integers(20, 45))
        q = p.copy()
        q[i] += delta
        q[j] -= delta
        if q[j] > 0 and q[i] - p[i] == delta and p[j] - q[j] == delta:
            pairs.append((p, q))
    return pairs


@pytest.mark.parametrize(("p", "q"), _nearly_equal(3, 25))
def test_nearly_equal_inputs_keep_their_digits(p: np.ndarray, q: np.ndarray) -> None:
    kl = kl_divergence(p, q)
    js = js_divergence(p, q)
    assert kl > 0
    assert js > 0
    assert rel_err(kl, kl_ref(p, q)) <= TOL
    assert rel_err(kl_divergence(q, p), kl_ref(q, p)) <= TOL
    assert rel_err(js, js_ref(p, q)) <= TOL


def test_divergences_are_never_negative_for_nearly_equal_inputs() -> None:
    rng = np.random.default_rng(4)
    for _ in range(200):
        p = rng.random(int(rng.integers(2, 50)))
        p /= p.sum()
        q = p * (1 + 1e-12 * rng.standard_normal(p.size))
        q /= q.sum()
        assert kl_divergence(p, q) >= 0.0
        assert 0.0 <= js_divergence(p, q) <= 1.0
        # naive formulas go negative here; ours cannot
        assert kl_divergence(p, q, base=math.e) >= 0.0


def test_subnormal_and_zero_entries() -> None:
    # p / q overflows for a subnormal q: the result must still be finite and right
    p, q = [0.5, 0.5], [1.0 - 1e-320, 1e-320]
    assert rel_err(kl_divergence(p, q), kl_ref(p, q)) <= TOL
    rng = np.random.default_rng(9)
    p = rng.random(1000)
    p[::3] = 0.0
    q = rng.random(1000)
    q[1::3] = 1e-310
    p, q = p / p.sum(), q / q.sum()
    assert rel_err(kl_divergence(p, q), kl_ref(p, q)) <= TOL
    assert rel_err(js_divergence(p, q), js_ref(p, q)) <= TOL
    assert rel_err(cross_entropy(p, q), cross_entropy_ref(p, q)) <= TOL


def test_identical_inputs_give_exact_zero() -> None:
    rng = np.random.default_rng(5)
    p = rng.random((4, 100))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(kl_divergence(p, p), 0.0)
    np.testing.assert_array_equal(js_divergence(p, p), 0.0)
    np.testing.assert_allclose(cross_entropy(p, p), entropy(p), rtol=1e-14)


def test_js_is_at_most_one_bit() -> None:
    assert js_divergence([1.0, 0.0, 0.0], [0.0, 0.5, 0.5]) == 1.0
    batch_p = np.eye(3)
    batch_q = np.roll(np.eye(3), 1, axis=0)
    np.testing.assert_array_equal(js_divergence(batch_p, batch_q), 1.0)
    # sums inside the tolerance but above 1 cannot push it past the bound
    assert js_divergence([1.0 + 5e-7, 0.0], [0.0, 1.0 + 5e-7]) == 1.0


def test_batches_give_one_value_per_row() -> None:
    p = np.array([[0.5, 0.5], [0.9, 0.1]])
    q = np.array([[0.25, 0.75], [0.5, 0.5]])
    for f in (kl_divergence, js_divergence, cross_entropy):
        out = f(p, q)
        assert out.shape == (2,)
        for row_p, row_q, value in zip(p, q, out, strict=True):
            assert value == pytest.approx(f(row_p, row_q), rel=1e-15)


def test_large_batch_mixes_fast_and_careful_paths() -> None:
    rng = np.random.default_rng(6)
    p = rng.random((50, 30))
    p /= p.sum(axis=1, keepdims=True)
    q = rng.random((50, 30))
    q /= q.sum(axis=1, keepdims=True)
    q[::5] = p[::5]  # some rows identical: the fast formula cannot certify those
    out = kl_divergence(p, q)
    for row_p, row_q, value in zip(p, q, out, strict=True):
        assert rel_err(value, kl_ref(row_p, row_q)) <= TOL


def test_agrees_with_scipy_after_its_conventions() -> None:
    rng = np.random.default_rng(7)
    p = rng.random(64)
    p /= p.sum()
    q = rng.random(64)
    q /= q.sum()
    # scipy.stats.entropy(p, q) is KL in nats (after silently normalising)
    assert kl_divergence(p, q, base=math.e) == pytest.approx(stats.entropy(p, q), rel=1e-12)
    assert kl_divergence(p, q) == pytest.approx(special.rel_entr(p, q).sum() / math.log(2))
    # scipy's jensenshannon is the square root of the divergence
    assert js_divergence(p, q, base=2) == pytest.approx(
        spatial.distance.jensenshannon(p, q, base=2) ** 2, rel=1e-10
    )


def test_agrees_with_torch_after_its_conventions() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    p = rng.random(10)
    p /= p.sum()
    q = rng.random(10)
    q /= q.sum()
    tp, tq = torch.tensor(p), torch.tensor(q)
    # torch's kl_div(input, target) takes log q as input and p as target: D(p || q) in nats
    expected = torch.nn.functional.kl_div(tq.log(), tp, reduction="sum").item()
    assert kl_divergence(p, q, base=math.e) == pytest.approx(expected, rel=1e-12)
