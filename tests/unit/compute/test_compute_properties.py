"""Identities of information theory as property-based tests (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mkdocs_infotheory.compute import (
    bernoulli_entropy,
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl_divergence,
    log_softmax,
    logsumexp,
    mutual_information,
    mutual_information_from_samples,
    perplexity,
)

settings.load_profile("compute")

# weights spanning many orders of magnitude, with exact zeros
_weight = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-300, max_value=1.0),
    st.floats(min_value=1e-12, max_value=1.0),
    st.floats(min_value=0.01, max_value=1.0),
)


def _normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum(axis=-1, keepdims=True)


@st.composite
def distributions(draw: st.DrawFn, size: int | None = None) -> np.ndarray:
    n = size if size is not None else draw(st.integers(1, 12))
    w = np.array(draw(st.lists(_weight, min_size=n, max_size=n)))
    if w.sum() == 0:
        w[draw(st.integers(0, n - 1))] = 1.0
    return _normalise(w)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 12))
    return draw(distributions(n)), draw(distributions(n))


@st.composite
def tables(draw: st.DrawFn) -> np.ndarray:
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return draw(distributions(rows * cols)).reshape(rows, cols)


def _close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-13) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)


@given(tables())
def test_chain_rule(table: np.ndarray) -> None:
    # H(X, Y) = H(X) + H(Y | X)
    h_x = entropy(table.sum(axis=1))
    assert _close(joint_entropy(table), h_x + conditional_entropy(table))


@given(tables())
def test_mutual_information_from_entropies(table: np.ndarray) -> None:
    # I(X; Y) = H(X) + H(Y) - H(X, Y) = H(Y) - H(Y | X)
    h_x = entropy(table.sum(axis=1))
    h_y = entropy(table.sum(axis=0))
    mi = mutual_information(table)
    assert mi >= 0.0
    assert _close(mi, h_x + h_y - joint_entropy(table))
    assert _close(mi, h_y - conditional_entropy(table))
    assert mi <= min(h_x, h_y) + 1e-12


@given(pairs())
def test_gibbs_inequality(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= 0.0
    # H(p, q) = H(p) + D(p || q) >= H(p)
    h_pq = cross_entropy(p, q)
    assert h_pq >= entropy(p) - 1e-12
    if math.isfinite(h_pq):
        assert _close(h_pq, entropy(p) + kl, rel=1e-11, abs_=1e-12)
    else:
        assert kl == math.inf


@given(pairs())
def test_js_is_symmetric_and_bounded(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    js = js_divergence(p, q)
    assert js == js_divergence(q, p)
    assert 0.0 <= js <= 1.0
    m = (p + q) / 2
    expected = 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)
    assert _close(js, expected, rel=1e-10, abs_=1e-14)


@given(distributions())
def test_self_cross_entropy_and_self_divergence(p: np.ndarray) -> None:
    assert _close(cross_entropy(p, p), entropy(p), rel=1e-14, abs_=1e-300)
    assert kl_divergence(p, p) == 0.0
    assert js_divergence(p, p) == 0.0


@given(distributions())
def test_entropy_bounds_and_perplexity(p: np.ndarray) -> None:
    h = entropy(p)
    support = int(np.count_nonzero(p))
    assert -1e-15 <= h <= math.log2(support) + 1e-12
    assert 1.0 - 1e-12 <= perplexity(p) <= support * (1 + 1e-12)
    assert _close(entropy(p, base=math.e), h * math.log(2), rel=1e-14, abs_=1e-300)


@given(st.floats(min_value=0.0, max_value=1.0))
def test_binary_entropy_is_the_two_point_entropy(x: float) -> None:
    hb = bernoulli_entropy(x)
    assert 0.0 <= hb <= 1.0
    y = max(x, 1.0 - x)  # then 1 - y is exact and [y, 1 - y] is a true two-point distribution
    assert _close(bernoulli_entropy(y), bernoulli_entropy(1.0 - y), rel=1e-15, abs_=1e-300)
    assert _close(bernoulli_entropy(y), entropy([y, 1.0 - y]), rel=1e-12, abs_=1e-300)


@given(hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e4, 1e4)))
def test_log_softmax_normalises(x: np.ndarray) -> None:
    ls = log_softmax(x)
    assert ls.max() <= 0.0
    assert _close(np.exp(ls).sum(), 1.0, rel=1e-13)
    assert _close(logsumexp(x) - x.max(), -ls[np.argmax(x)], rel=1e-12, abs_=1e-12)


@given(
    st.lists(
        st.tuples(st.sampled_from([0, 1, "a", (1, 2), 10**30]), st.integers(0, 3)),
        min_size=1,
        max_size=60,
    )
)
def test_sample_mutual_information_is_bounded_by_entropies(pairs_: list[tuple]) -> None:
    x = [a for a, _ in pairs_]
    y = [b for _, b in pairs_]
    mi = mutual_information_from_samples(x, y)
    assert mi >= 0.0
    _, cx = np.unique([repr(v) for v in x], return_counts=True)
    _, cy = np.unique(y, return_counts=True)
    assert mi <= min(entropy(cx / cx.sum()), entropy(cy / cy.sum())) + 1e-12
    assert _close(mutual_information_from_samples(y, x), mi, rel=1e-13, abs_=1e-15)
