from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# Identities are checked on a modest number of examples so the whole suite stays fast;
# COMPUTE_HYPOTHESIS_EXAMPLES=5000 runs a thorough search.
settings.register_profile(
    "compute",
    max_examples=int(os.environ.get("COMPUTE_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _no_runtime_warnings() -> Iterator[None]:
    """Every compute test fails on a RuntimeWarning (e.g. log(0)): zeros are valid input."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield
