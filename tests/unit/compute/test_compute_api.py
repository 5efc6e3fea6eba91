"""The public surface: exactly the documented names, pure numpy, documented, side-effect free."""

from __future__ import annotations

import inspect
import math
import subprocess
import sys

import numpy as np
import pytest

import mkdocs_infotheory.compute as compute

PUBLIC = {
    "entropy",
    "bernoulli_entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "perplexity",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "mutual_information_from_samples",
    "logsumexp",
    "log_softmax",
    "cross_entropy_loss",
    "expected_calibration_error",
}


def test_all_lists_exactly_the_public_functions() -> None:
    assert set(compute.__all__) == PUBLIC
    assert len(compute.__all__) == len(PUBLIC)
    for name in compute.__all__:
        assert callable(getattr(compute, name))


def test_star_import_leaks_nothing_else() -> None:
    namespace: dict[str, object] = {}
    exec("from mkdocs_infotheory.compute import *", namespace)
    assert set(namespace) - {"__builtins__"} == PUBLIC


def test_import_is_pure_numpy() -> None:
    code = (
        "import sys; import mkdocs_infotheory.compute as c; "
        "bad = sorted(m for m in ('scipy', 'sklearn', 'torch', 'mpmath', 'mkdocs', 'pandas') "
        "if m in sys.modules); print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_has_formula_and_sections(name: str) -> None:
    doc = inspect.getdoc(getattr(compute, name))
    assert doc is not None
    lines = doc.splitlines()
    assert "\\[" in lines and "\\]" in lines, "display formula on its own lines"
    for section in ("Parameters", "Returns", "Raises"):
        assert section in lines, f"{name} lacks a {section} section"
    assert "ValueError" in doc


ARGS = {
    "entropy": ([0.25, 0.75],),
    "bernoulli_entropy": ([0.25, 0.75],),
    "cross_entropy": ([0.25, 0.75], [0.5, 0.5]),
    "kl_divergence": ([0.25, 0.75], [0.5, 0.5]),
    "js_divergence": ([0.25, 0.75], [0.5, 0.5]),
    "perplexity": ([0.25, 0.75],),
    "joint_entropy": ([[0.25, 0.25], [0.0, 0.5]],),
    "conditional_entropy": ([[0.25, 0.25], [0.0, 0.5]],),
    "mutual_information": ([[0.25, 0.25], [0.0, 0.5]],),
    "logsumexp": ([0.5, 2.0],),
    "log_softmax": ([0.5, 2.0],),
}


@pytest.mark.parametrize("name", sorted(ARGS))
def test_inputs_are_never_modified(name: str) -> None:
    arrays = [np.array(a, dtype=np.float64) for a in ARGS[name]]
    copies = [a.copy() for a in arrays]
    for a in arrays:
        a.setflags(write=False)  # any in-place write would raise
    getattr(compute, name)(*arrays)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_calibration_and_loss_inputs_are_never_modified() -> None:
    probs = np.array([[0.7, 0.3], [0.2, 0.8]])
    labels = np.array([0, 0])
    logits = np.array([[1.0, -1.0], [0.0, 3.0]])
    for a in (probs, labels, logits):
        a.setflags(write=False)
    compute.expected_calibration_error(probs, labels, n_bins=5)
    compute.cross_entropy_loss(logits, labels)


@pytest.mark.parametrize("name", sorted(ARGS))
def test_scalar_results_are_numpy_float64(name: str) -> None:
    result = getattr(compute, name)(*ARGS[name])
    if name in ("bernoulli_entropy", "log_softmax"):
        assert isinstance(result, np.ndarray)
        assert result.dtype == np.float64
    else:
        assert type(result) is np.float64


def test_other_scalar_results_are_numpy_float64() -> None:
    assert type(compute.bernoulli_entropy(0.3)) is np.float64
    assert type(compute.mutual_information_from_samples([1, 2], [3, 4])) is np.float64
    assert type(compute.cross_entropy_loss([[1.0, 2.0]], [1])) is np.float64
    assert type(compute.expected_calibration_error([[0.6, 0.4]], [0])) is np.float64


def test_deterministic_entropy_is_positive_zero() -> None:
    h = compute.entropy([0.0, 1.0, 0.0])
    assert h == 0.0
    assert math.copysign(1.0, h) == 1.0
