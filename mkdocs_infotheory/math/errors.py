"""Exceptions of the math renderer.

Two kinds, kept apart on purpose: :class:`MathError` is an *author* error (bad TeX in a page),
which the plugin turns into a build warning naming ``docs/PAGE.md:LINE``; a missing KaTeX
install is a *packaging* error (:class:`KatexAssetsError`) that no page edit can fix.
"""

from __future__ import annotations


class MathError(Exception):
    """KaTeX rejected a formula.

    ``message`` is KaTeX's own text (e.g. ``KaTeX parse error: Expected '}' ...``) so the
    author sees what KaTeX saw; ``position`` is the 0-based offset in ``tex`` when KaTeX
    reports one.
    """

    def __init__(self, tex: str, display: bool, message: str, position: int | None = None):
        super().__init__(message)
        self.tex = tex
        self.display = display
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"MathError(tex={self.tex!r}, display={self.display!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[type[MathError], tuple[str, bool, str, int | None]]:
        # Exceptions pickle through ``args``; ours has more fields than ``args`` holds.
        return (type(self), (self.tex, self.display, self.message, self.position))


class KatexAssetsError(RuntimeError):
    """The KaTeX files that the package build fetches from npm are missing or unreadable."""


class MathEngineError(RuntimeError):
    """KaTeX's JavaScript engine cannot start in this process (e.g. under ``ulimit -v``).

    Like :class:`KatexAssetsError` no page edit fixes it; the message names the way out.
    """
