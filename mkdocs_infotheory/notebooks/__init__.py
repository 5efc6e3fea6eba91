"""Jupyter notebooks as pages: converted to the Markdown every host builds (see
:mod:`.convert`), their stored outputs made safe to show (see :mod:`.sanitize`)."""

from __future__ import annotations

from .convert import (
    INSTALL,
    OUTPUTS_MODES,
    SUFFIX,
    Notebook,
    NotebookDiagnostic,
    NotebookError,
    OutputsMode,
    ReaderMissing,
    convert,
)
from .sanitize import sanitize_output

__all__ = [
    "INSTALL",
    "OUTPUTS_MODES",
    "SUFFIX",
    "Notebook",
    "NotebookDiagnostic",
    "NotebookError",
    "OutputsMode",
    "ReaderMissing",
    "convert",
    "sanitize_output",
]
