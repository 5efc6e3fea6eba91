"""mutual_information_from_samples: any hashable labels, agreement with sklearn and tables."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from sklearn.metrics import mutual_info_score

from mkdocs_infotheory.compute import mutual_information, mutual_information_from_samples

from .reference import rel_err

TOL = 1e-9


def _plugin_reference(x: list[object], y: list[object], dps: int = 50) -> float:
    """Plug-in MI in bits from exact counts, at ``dps`` digits (labels compared as dict keys)."""
    n = len(x)
    joint = Counter(zip(x, y, strict=True))
    cx, cy = Counter(x), Counter(y)
    with mp.workdps(dps):
        total = mp.fsum(
            mp.mpf(c) / n * mp.log(mp.mpf(n) * c / (cx[a] * cy[b])) for (a, b), c in joint.items()
        )
        return float(total / mp.log(2))


def test_exact_values() -> None:
    assert mutual_information_from_samples([0, 1, 0, 1], [0, 1, 0, 1]) == 1.0
    assert mutual_information_from_samples([0, 1, 0, 1], [0, 0, 1, 1]) == 0.0
    assert mutual_information_from_samples([5, 5, 5], ["a", "b", "c"]) == 0.0
    assert mutual_information_from_samples(list("aabb"), list("xyxy"), base=math.e) == 0.0
    four = [0, 1, 2, 3] * 3
    assert mutual_information_from_samples(four, four) == pytest.approx(2.0, abs=1e-15)


def test_matches_exact_plugin_reference() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        n = int(rng.integers(1, 400))
        x = rng.integers(0, int(rng.integers(1, 8)), n)
        y = (x * int(rng.integers(0, 3)) + rng.integers(0, int(rng.integers(1, 8)), n)) % 7
        ref = _plugin_reference(x.tolist(), y.tolist())
        got = mutual_information_from_samples(x, y)
        assert rel_err(got, ref) <= TOL or (ref == 0 and got == 0)


def test_nearly_independent_samples_keep_digits() -> None:
    # a full grid repeated, plus one extra pair: the estimate is tiny but well defined
    grid_x = [i for i in range(30) for _ in range(30)] * 7
    grid_y = [j for _ in range(30) for j in range(30)] * 7
    x, y = [*grid_x, 0], [*grid_y, 0]
    got = mutual_information_from_samples(x, y)
    ref = _plugin_reference(x, y)
    assert got > 0
    assert rel_err(got, ref) <= TOL


def test_agrees_with_sklearn_in_nats() -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 100, 20_000)
    y = (x + rng.integers(0, 30, x.size)) % 100
    ours = mutual_information_from_samples(x, y, base=math.e)
    assert ours == pytest.approx(mutual_info_score(x, y), rel=1e-10)
    assert mutual_information_from_samples(x, y) == pytest.approx(ours / math.log(2), rel=1e-14)


def test_equals_the_table_version_on_the_empirical_table() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, 1000)
    y = (x + rng.integers(0, 3, 1000)) % 5
    counts = np.zeros((4, 5))
    np.add.at(counts, (x, y), 1)
    table = counts / counts.sum()
    assert mutual_information_from_samples(x, y) == pytest.approx(
        mutual_information(table), rel=1e-12
    )


LABELLINGS = {
    "strings": (["a", "b", "a", "c", "b", "c", "a"], ["x", "y", "x", "y", "y", "x", "x"]),
    "tuples": ([(0, 1), (1, 0), (0, 1), (1, 1)], [(2,), (3,), (2,), (3,)]),
    "mixed": ([1, "1", 1.5, None, "1", 1], ["a", "b", "c", "a", "b", "a"]),
    "huge ints": ([10**30, 2**100, 10**30, -(10**40)], [1, 2, 1, 2]),
    "frozensets": ([frozenset({1}), frozenset({2}), frozenset({1})], [0, 1, 0]),
    "fractions": ([Fraction(1, 3), Fraction(2, 3), Fraction(1, 3)], [0, 1, 1]),
}


@pytest.mark.parametrize("case", sorted(LABELLINGS))
def test_any_hashable_labels(case: str) -> None:
    x, y = LABELLINGS[case]
    ref = _plugin_reference(list(x), list(y))
    got = mutual_information_from_samples(x, y)
    assert rel_err(got, ref) <= TOL or (ref == 0 and got == 0)
    # relabelling by integer codes gives the same number
    codes_x = {v: k for k, v in enumerate(dict.fromkeys(x))}
    codes_y = {v: k for k, v in enumerate(dict.fromkeys(y))}
    assert mutual_information_from_samples(
        [codes_x[v] for v in x], [codes_y[v] for v in y]
    ) == pytest.approx(got, rel=1e-14, abs=1e-15)


def test_one_and_string_one_are_different_labels() -> None:
    # np.asarray([1, "1"]) would turn both into the string "1"
    assert mutual_information_from_samples([1, "1"], [0, 1]) == 1.0


def test_input_containers() -> None:
    x = [0, 1, 1, 2, 2, 2]
    y = [1, 1, 0, 0, 1, 0]
    expected = mutual_information_from_samples(x, y)
    assert mutual_information_from_samples(tuple(x), tuple(y)) == expected
    assert mutual_information_from_samples(iter(x), (v for v in y)) == expected
    assert mutual_information_from_samples(np.array(x, dtype=np.uint8), np.array(y)) == expected
    assert mutual_information_from_samples(np.array(x, dtype=object), y) == expected
    as_float = mutual_information_from_samples(np.array(x, dtype=float), y)
    assert as_float == pytest.approx(expected, rel=1e-15)
    as_bool = mutual_information_from_samples(x, np.array(y, dtype=bool))
    assert as_bool == pytest.approx(expected, rel=1e-15)


def test_two_dimensional_array_holds_one_label_per_row() -> None:
    pairs = np.array([[0, 1], [1, 0], [0, 1], [1, 1]])
    as_tuples = [tuple(r) for r in pairs.tolist()]
    y = [0, 1, 0, 1]
    assert mutual_information_from_samples(pairs, y) == pytest.approx(
        mutual_information_from_samples(as_tuples, y), rel=1e-15
    )


def test_integer_label_ranges() -> None:
    rng = np.random.default_rng(3)
    for spread in (10, 100_000, 10**12, 2**62):
        x = rng.integers(-spread, spread, 500, dtype=np.int64)
        y = x % 3
        ref = _plugin_reference(x.tolist(), y.tolist())
        assert rel_err(mutual_information_from_samples(x, y), ref) <= TOL
    small = np.array([-128, 127, -128, 0, 127], dtype=np.int8)
    assert mutual_information_from_samples(small, small) == pytest.approx(
        _plugin_reference(small.tolist(), small.tolist()), rel=1e-12
    )
    unsigned = np.array([2**64 - 1, 0, 2**64 - 1, 5], dtype=np.uint64)
    assert mutual_information_from_samples(unsigned, [1, 0, 1, 0]) == 1.0


def test_many_distinct_labels_use_a_sparse_table() -> None:
    rng = np.random.default_rng(4)
    x = rng.permutation(200_000)
    y = rng.permutation(200_000)
    # every label appears once: I = H(X) = log2(N)
    assert mutual_information_from_samples(x, y) == pytest.approx(math.log2(200_000), rel=1e-12)
