"""Information theory in pure numpy, for posts that compute their numbers at build time.

Conventions shared by every function: array-likes in, numpy scalars or arrays out;
distributions lie along the last axis (a batch gives one value per row); ``base=2`` (bits)
by default; bad input raises ``ValueError`` and is never silently repaired.

Only the names in ``__all__`` are public: the plugin's preamble does
``from mkdocs_infotheory.compute import *``, so nothing else may leak into a post.
"""

from __future__ import annotations

from .distributions import bernoulli_entropy, entropy

__all__ = ["bernoulli_entropy", "entropy"]
