"""Jupyter's display protocol, at build time: objects a cell shows, not only what it prints.

A cell displays an object by ending with an expression (see
:mod:`mkdocs_infotheory.core.formatters.python`) or by calling ``display(obj)``, which every
namespace has without an import. ``from IPython.display import display`` reaches the same
function where IPython is installed: IPython's own needs a running IPython shell, so its
module is given this one when a page imports it (a finder on ``sys.meta_path`` that only ever
answers for that one module name; IPython is never imported here).

Each object is turned into the one representation Jupyter would show (:func:`represent`) and
only that is kept, so a frozen or cached page shows the same thing where the object's library
is missing. pandas and matplotlib objects are recognised by the name of their type's module,
so pages that do not use them never import them.
"""

from __future__ import annotations

import base64
import importlib.abc
import importlib.machinery
import inspect
import sys
from collections.abc import Sequence
from types import ModuleType, TracebackType
from typing import Any, Literal

from ..model import Display
from .capture import OutputCapture
from .figures import render_figure
from .tables import clean_table

#: The representations a page can show, in the order Jupyter prefers them.
PRIORITY = (
    "text/html",
    "text/markdown",
    "text/latex",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
)
_METHODS = {
    "text/html": "_repr_html_",
    "text/markdown": "_repr_markdown_",
    "text/latex": "_repr_latex_",
    "image/svg+xml": "_repr_svg_",
    "image/png": "_repr_png_",
    "image/jpeg": "_repr_jpeg_",
}
_IMAGES = ("image/png", "image/jpeg")
_IPYTHON_DISPLAY = "IPython.core.display_functions"


def _text(mime: str, data: Any) -> str | None:
    if isinstance(data, tuple) and data:  # (data, metadata), as _repr_*_ may return
        data = data[0]
    if data is None:
        return None
    if mime in _IMAGES:
        if isinstance(data, (bytes, bytearray)):
            return base64.b64encode(bytes(data)).decode("ascii")
        return str(data).replace("\n", "")
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("utf-8", "replace")
    return str(data)


def _rich(obj: Any, method: str) -> Any:
    """``obj._repr_*_()``, or None when it has none or it fails (Jupyter then falls back to the
    next representation too)."""
    function = getattr(obj, method, None)
    if not callable(function):
        return None
    try:
        return function()
    except Exception:
        return None


def _bundle(obj: Any) -> dict[str, Any]:
    function = getattr(obj, "_repr_mimebundle_", None)
    if not callable(function):
        return {}
    try:
        bundle = function(include=None, exclude=None)
    except Exception:
        return {}
    if isinstance(bundle, tuple) and bundle:
        bundle = bundle[0]
    return bundle if isinstance(bundle, dict) else {}


def choose(bundle: dict[str, Any]) -> tuple[str, str] | None:
    """The representation Jupyter shows from a MIME bundle, as (type, text)."""
    for mime in PRIORITY:
        if mime in bundle:
            text = _text(mime, bundle[mime])
            if text is not None:
                return mime, text
    return None


def _type_of(obj: Any) -> tuple[str, str]:
    kind = type(obj)
    return getattr(kind, "__module__", "") or "", kind.__name__


def _special(obj: Any, figure_format: Literal["svg", "png"], salt: str) -> tuple[str, str] | None:
    """Objects shown our own way: DataFrames as clean tables, figures as the page's figures."""
    module, name = _type_of(obj)
    pandas = module == "pandas" or module.startswith("pandas.")
    if pandas and name == "DataFrame":
        # As a notebook shows it (long frames cut to pandas' display.max_rows), cleaned.
        return "text/html", clean_table(obj._repr_html_() or obj.to_html())
    if pandas and name == "Styler":
        return "text/html", clean_table(obj.to_html(exclude_styles=True))
    if module == "matplotlib.figure" and name == "Figure":
        figure = render_figure(obj, figure_format, salt)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(obj)  # shown here: not again with the figures left open at the end
        return ("image/svg+xml" if figure.format == "svg" else "image/png"), figure.data
    return None


def represent(
    obj: Any, figure_format: Literal["svg", "png"] = "svg", salt: str = ""
) -> tuple[str, str]:
    """The one representation of ``obj`` a page shows, as (MIME type, text)."""
    special = _special(obj, figure_format, salt)
    if special is not None:
        return special
    if inspect.isclass(obj):  # a class's _repr_html_ is an unbound method, not its display
        return "text/plain", repr(obj)
    bundle = _bundle(obj)
    for mime in PRIORITY[:-1]:
        data = bundle[mime] if mime in bundle else _rich(obj, _METHODS[mime])
        text = _text(mime, data)
        if text is not None:
            return mime, text
    plain = bundle.get("text/plain")
    return "text/plain", str(plain) if plain is not None else repr(obj)


def _is_artist(value: Any) -> bool:
    module, name = _type_of(value)
    return module.startswith("matplotlib.") and not (
        module == "matplotlib.figure" and name == "Figure"
    )


class Displays:
    """The objects one cell displays: ``with Displays(capture, ...) as shown:`` around the
    cell, then :meth:`placed` with the capture's marker positions."""

    def __init__(self, capture: OutputCapture, figure_format: Literal["svg", "png"], salt: str):
        self._capture = capture
        self._figure_format = figure_format
        self._salt = salt
        self._shown: list[tuple[str, str]] = []
        self._previous: Displays | None = None

    def __enter__(self) -> Displays:
        global _active
        self._previous, _active = _active, self
        _give_ipython_ours()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _active
        _active = self._previous

    def show(self, obj: Any, raw: bool = False) -> None:
        salt = f"{self._salt}-display-{len(self._shown)}"
        chosen = choose(obj) if raw and isinstance(obj, dict) else None
        self._shown.append(chosen or represent(obj, self._figure_format, salt))
        self._capture.mark()

    def placed(self, positions: Sequence[int], end: int) -> list[Display]:
        """The displayed objects with where they fell in the printed text (at its end when
        their marker was lost: the cell wrote to a redirected descriptor 1)."""
        return [
            Display(mime, data, positions[index] if index < len(positions) else end)
            for index, (mime, data) in enumerate(self._shown)
        ]


#: The displays of the cell running now. Process-wide on purpose: a page process runs one
#: cell at a time, and ``display()`` is a plain function fences call from anywhere.
_active: Displays | None = None


def display(*objs: Any, raw: bool = False, **_options: Any) -> None:
    """Show each object below the fence, in order with what the fence prints, as Jupyter would.

    Accepts IPython's keyword arguments; ``raw=True`` takes MIME-bundle dicts. Outside a
    running cell (a thread still running after its fence ended) objects are printed."""
    shown = _active
    if shown is None:
        print(*objs)
        return
    for obj in objs:
        shown.show(obj, raw=raw)


def show_last(value: Any) -> None:
    """Display a fence's last expression as Jupyter does: not None, and not the matplotlib
    artists ``plt.plot(...)`` returns (their text names a memory address, which would change
    the page on every run; the figure itself is shown anyway)."""
    if value is None or _is_artist(value):
        return
    if isinstance(value, (list, tuple)) and value and all(_is_artist(v) for v in value):
        return
    display(value)


def _give_ipython_ours() -> None:
    """IPython already imported (warm imports): its display functions become ours."""
    if _IPYTHON_DISPLAY not in sys.modules:
        return
    for name in (_IPYTHON_DISPLAY, "IPython.display", "IPython.core.display", "IPython"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "display"):
            module.display = display  # type: ignore[attr-defined]


class _OursLoader(importlib.abc.Loader):
    """Runs IPython's display-functions module, then gives it our ``display``."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        module.display = display  # type: ignore[attr-defined]


class _IPythonFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _IPYTHON_DISPLAY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _OursLoader(spec.loader)
        return spec


def install() -> None:
    """Make ``from IPython.display import display`` ours in this process (once)."""
    if not any(isinstance(finder, _IPythonFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _IPythonFinder())
