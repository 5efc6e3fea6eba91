"""joint_entropy, conditional_entropy, mutual_information on tables pxy[i, j] (rows are X)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mkdocs_infotheory.compute import (
    conditional_entropy,
    entropy,
    joint_entropy,
    mutual_information,
)

from .reference import conditional_entropy_ref, entropy_ref, mutual_information_ref, rel_err

TOL = 1e-9


def test_exact_values() -> None:
    independent = np.outer([0.5, 0.5], [0.25, 0.75])
    assert mutual_information(independent) == pytest.approx(0.0, abs=1e-15)
    assert conditional_entropy(independent) == pytest.approx(entropy_ref([0.25, 0.75]))
    copy = np.diag([0.5, 0.5])  # Y = X
    assert mutual_information(copy) == 1.0
    assert conditional_entropy(copy) == 0.0
    assert joint_entropy(copy) == 1.0
    table = np.array([[0.25, 0.25], [0.0, 0.5]])
    assert joint_entropy(table) == pytest.approx(1.5, abs=1e-15)
    # H(Y|X) = 0.5 * H(0.5, 0.5) + 0.5 * 0 = 0.5 bit
    assert conditional_entropy(table) == pytest.approx(0.5, abs=1e-15)
    # I = H(Y) - H(Y|X), H(Y) = H(0.25, 0.75)
    h_y = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert mutual_information(table) == pytest.approx(h_y - 0.5, abs=1e-15)


def _random_tables(seed: int, count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    tables = []
    for k in range(count):
        t = rng.random((int(rng.integers(2, 6)), int(rng.integers(2, 6)))) ** 4
        if k % 2:
            t[rng.random(t.shape) < 0.3] = 0.0
            t[0, 0] = 1.0
        tables.append(t / t.sum())
    return tables


@pytest.mark.parametrize("table", _random_tables(0, 20))
def test_random_tables_match_reference(table: np.ndarray) -> None:
    assert rel_err(joint_entropy(table), entropy_ref(table.ravel())) <= TOL
    assert rel_err(conditional_entropy(table), conditional_entropy_ref(table)) <= TOL
    assert rel_err(mutual_information(table), mutual_information_ref(table)) <= TOL


def _nearly_deterministic_rows(seed: int, count: int) -> list[np.ndarray]:
    """Each row is one dominant entry plus entries 1e-10 .. 1e-30 times smaller."""
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(count):
        rows, cols = int(rng.integers(1, 5)), int(rng.integers(2, 6))
        t = rng.random((rows, cols)) * 10.0 ** -rng.integers(10, 30, size=(rows, cols))
        t[np.arange(rows), rng.integers(0, cols, rows)] = rng.random(rows) + 0.1
        tables.append(t / t.sum())
    return tables


@pytest.mark.parametrize("table", _nearly_deterministic_rows(1, 20))
def test_conditional_entropy_of_nearly_deterministic_rows(table: np.ndarray) -> None:
    got = conditional_entropy(table)
    ref = conditional_entropy_ref(table)
    assert rel_err(got, ref) <= TOL
    # the textbook H(X,Y) - H(X) has no correct digit left here
    textbook = joint_entropy(table) - entropy(table.sum(axis=1))
    assert abs(textbook - ref) > 1e-3 * ref or ref > 1e-14


def test_conditional_entropy_with_extreme_entries() -> None:
    table = np.array([[0.3, 1e-300], [0.2, 0.5 - 1e-300]])
    # 0.3 + 1e-300 needs ~300 digits to be formed exactly in the reference
    assert rel_err(conditional_entropy(table), conditional_entropy_ref(table, dps=400)) <= TOL
    det = np.array([[1 - 1e-20, 1e-20]])
    assert rel_err(conditional_entropy(det), conditional_entropy_ref(det)) <= TOL
    assert rel_err(conditional_entropy(det.T), conditional_entropy_ref(det.T)) <= TOL


def test_nearly_independent_table_keeps_digits() -> None:
    rng = np.random.default_rng(2)
    for _ in range(10):
        px = rng.random(4)
        py = rng.random(3)
        table = np.outer(px / px.sum(), py / py.sum())
        # I ~ delta^2 stays far above the ~1e-16 by which the float table's sum misses 1
        delta = 2.0 ** -int(rng.integers(16, 25))
        table[0, 0] += delta
        table[1, 1] += delta
        table[0, 1] -= delta
        table[1, 0] -= delta
        mi = mutual_information(table)
        assert mi > 0
        assert rel_err(mi, mutual_information_ref(table)) <= TOL


def test_mutual_information_is_never_negative() -> None:
    rng = np.random.default_rng(3)
    for _ in range(100):
        px = rng.random(int(rng.integers(1, 6)))
        py = rng.random(int(rng.integers(1, 6)))
        table = np.outer(px / px.sum(), py / py.sum())
        assert mutual_information(table) >= 0.0
        assert mutual_information(table) < 1e-14


def test_batches_of_tables() -> None:
    rng = np.random.default_rng(4)
    tables = rng.random((3, 2, 4))
    tables /= tables.sum(axis=(1, 2), keepdims=True)
    for f in (joint_entropy, conditional_entropy, mutual_information):
        out = f(tables)
        assert out.shape == (3,)
        for t, value in zip(tables, out, strict=True):
            assert value == pytest.approx(f(t), rel=1e-14)


def test_transpose_gives_the_other_conditional() -> None:
    table = _random_tables(5, 1)[0]
    h_xy = joint_entropy(table)
    assert conditional_entropy(table.T) == pytest.approx(h_xy - entropy(table.sum(axis=0)))
    assert mutual_information(table.T) == pytest.approx(mutual_information(table), rel=1e-13)
