"""Information theory in pure numpy, for posts that compute their numbers at build time.

Conventions shared by every function: array-likes in, numpy scalars or arrays out;
distributions lie along the last axis (a batch gives one value per row); ``base=2`` (bits)
by default; bad input raises ``ValueError`` saying what is wrong, and is never silently
repaired (no renormalisation, no index wrap-around). Inputs are never modified.

Only the names in ``__all__`` are public: the plugin's preamble does
``from mkdocs_infotheory.compute import *``, so nothing else may leak into a post. The
package imports only numpy, so preloading it into a fork server is cheap.
"""

from __future__ import annotations

from .calibration import expected_calibration_error
from .distributions import bernoulli_entropy, entropy, perplexity
from .divergences import cross_entropy, js_divergence, kl_divergence
from .joint import conditional_entropy, joint_entropy, mutual_information
from .logits import cross_entropy_loss, log_softmax, logsumexp
from .samples import mutual_information_from_samples

__all__ = [
    "bernoulli_entropy",
    "conditional_entropy",
    "cross_entropy",
    "cross_entropy_loss",
    "entropy",
    "expected_calibration_error",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "log_softmax",
    "logsumexp",
    "mutual_information",
    "mutual_information_from_samples",
    "perplexity",
]
