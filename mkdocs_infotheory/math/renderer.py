"""KaTeX running in an embedded V8 (the ``mini-racer`` wheel), loaded lazily, once per process.

Why in-process V8 rather than a ``node`` subprocess or a pure-Python converter: one render costs
well under a millisecond once KaTeX is loaded, there is no Node.js needed at *site*-build time,
and the output is KaTeX's own (HTML for the eye, MathML for screen readers), so quality matches
what KaTeX does in a browser.

Threading and lifetime are :mod:`.katex_engine`'s: one V8 per process, on a thread of its own,
so the caller's thread goes on with other work (MkDocs converting the next page) while V8
renders. :meth:`KatexRenderer.start` starts V8 and KaTeX there without waiting, and
:meth:`KatexRenderer.submit` renders a batch of formulas in one call into V8 (each call
crosses from Python into V8 and back, so one per formula would pay that crossing per formula)
and hands back a future; batches submitted ahead of need
(``urgent=False``) yield to those someone is waiting for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import katex_engine
from .assets import KATEX_DIR, katex_version
from .errors import KatexAssetsError, MathError

if TYPE_CHECKING:
    from .katex_engine import KatexEngine

# KaTeX writes every formula twice: MathML (for screen readers, with the TeX as annotation) and
# an aria-hidden HTML copy for the eye. Material's search would index both (plus the TeX). Its
# ``data-search-exclude`` only works on an element with no same-tag descendants (the parser
# compares elements by tag name), which holds for the MathML span and not for the HTML copy,
# so the MathML is excluded from the index and each formula is indexed once, as it looks.
_KATEX_MATHML_OPEN = '<span class="katex-mathml">'
_KATEX_MATHML_OPEN_UNINDEXED = '<span class="katex-mathml" data-search-exclude>'


def normalise_macros(macros: Mapping[str, str]) -> dict[str, str]:
    """``{"KL": "D_{KL}"}`` and ``{"\\\\KL": ...}`` both mean the control sequence ``\\KL``."""
    return {
        (name if name.startswith("\\") else f"\\{name}"): str(definition)
        for name, definition in macros.items()
    }


class KatexRenderer:
    """Renders TeX to KaTeX's HTML + MathML; V8 and KaTeX start on the first :meth:`render`.

    Constructing a renderer is cheap (it only reads the asset manifest), so a plugin can make
    one per build and still share the process-wide engine. ``version`` is the bundled KaTeX
    version and belongs in every cache key, so upgrading KaTeX invalidates cached output.
    """

    def __init__(self, katex_dir: Path = KATEX_DIR, macros: Mapping[str, str] | None = None):
        self._katex_dir = katex_dir
        self.version: str = katex_version(katex_dir)
        #: Site-wide macros (``\\name`` -> definition), known in every formula.
        self.macros: dict[str, str] = normalise_macros(macros or {})

    @property
    def loaded(self) -> bool:
        """Whether this process has already paid KaTeX's start-up cost."""
        return katex_engine.loaded(self._katex_dir)

    def start(self, needed: Callable[[], bool] | None = None) -> None:
        """Start V8 and KaTeX on the engine thread now, without waiting for them.

        Why: the first formula otherwise waits for start-up (about 0.2 s) while the caller
        has other work to do. ``needed``, if given, runs first on the engine thread (also
        off the caller's way) and decides whether to start at all. A failure is not reported
        here: the next render meets it again and raises it.
        """
        if not self.loaded:
            katex_engine.engine_thread().submit(lambda: self._start_on_engine(needed), urgent=False)

    def _start_on_engine(self, needed: Callable[[], bool] | None) -> None:
        if needed is not None and not needed():
            return
        with katex_engine.engine_for(self._katex_dir):
            pass

    def submit(
        self, items: Sequence[tuple[str, bool]], urgent: bool = True
    ) -> Future[list[str | MathError]]:
        """Render ``(tex, display)`` pairs in one call into V8, each on its own (no scope).

        The future holds, per pair, the HTML or the :class:`MathError` that :meth:`render`
        would raise; an engine failure (no KaTeX assets, V8 cannot start) is its exception.
        ``urgent=False``: work done ahead of need, which yields to urgent calls.
        """
        pairs = list(items)

        def run() -> list[str | MathError]:
            out: list[str | MathError] = []
            for (tex, display), result in zip(
                pairs, self._render_all_on_engine(pairs), strict=True
            ):
                try:
                    out.append(self._finish(tex, display, result))
                except MathError as error:
                    out.append(error)
            return out

        return katex_engine.engine_thread().submit(run, urgent)

    def render_many(self, items: Sequence[tuple[str, bool]]) -> list[str | MathError]:
        """:meth:`submit` and wait: a batch the caller needs now."""
        return self.submit(items).result() if items else []

    def _render_all_on_engine(self, pairs: list[tuple[str, bool]]) -> list[dict[str, Any]]:
        from py_mini_racer import JSTimeoutException

        with katex_engine.engine_for(self._katex_dir) as engine:
            try:
                return self._checked(engine).render_all(pairs, self.macros)
            except JSTimeoutException:
                pass
        # A formula ran away: one by one, so that only that one is reported.
        return [self._render_on_engine(tex, display, None) for tex, display in pairs]

    def _checked(self, engine: KatexEngine | None) -> KatexEngine:
        """``engine`` (this renderer's KaTeX, held by the caller), checked against the
        manifest's version."""
        assert engine is not None  # started by engine_for
        if engine.version != self.version:
            raise KatexAssetsError(
                f"{self._katex_dir} holds KaTeX {engine.version}, "
                f"but its manifest says {self.version}"
            )
        return engine

    def render(self, tex: str, display: bool, scope: str | None = None) -> str:
        """KaTeX's ``renderToString`` output for ``tex``; raises :class:`MathError` on bad TeX.

        Formulas rendered with the same ``scope`` (a page) share their ``\\newcommand`` s, in
        the order rendered; call :meth:`end_scope` when the page is done.
        """
        result = katex_engine.engine_thread().call(
            lambda: self._render_on_engine(tex, display, scope)
        )
        return self._finish(tex, display, result)

    def _finish(self, tex: str, display: bool, result: Any) -> str:
        """The HTML of one KaTeX result, or raise its :class:`MathError`."""
        if result.get("ok"):
            refused = result.get("refused") or []
            if refused:
                # The rendered HTML would show the command as red text; report it instead and
                # let the caller show the formula as TeX (no link, no attribute, no image).
                raise MathError(tex, display, _refusal_message(refused[0]))
            return str(result["html"]).replace(_KATEX_MATHML_OPEN, _KATEX_MATHML_OPEN_UNINDEXED, 1)
        position = result.get("position")
        # KaTeX underlines the offending TeX with U+0332 combining characters, which suits a
        # browser but garbles a terminal warning; the context itself is kept.
        message = str(result.get("message", "KaTeX error")).replace("\u0332", "")
        raise MathError(tex, display, message, position if isinstance(position, int) else None)

    def end_scope(self, scope: str) -> None:
        """Forget a page's macros (a no-op if KaTeX never started)."""
        if self.loaded:
            katex_engine.engine_thread().call(lambda: self._end_scope_on_engine(scope))

    def _end_scope_on_engine(self, scope: str) -> None:
        with katex_engine.engine_for(self._katex_dir, start=False) as engine:
            if engine is not None:
                engine.end_scope(scope)

    def _render_on_engine(self, tex: str, display: bool, scope: str | None) -> dict[str, Any]:
        from py_mini_racer import JSTimeoutException

        with katex_engine.engine_for(self._katex_dir) as engine:
            try:
                return self._checked(engine).render(tex, display, self.macros, scope)
            except JSTimeoutException:
                raise MathError(
                    tex,
                    display,
                    f"KaTeX took longer than {katex_engine.RENDER_TIMEOUT_MS} ms on this formula",
                ) from None


def _refusal_message(refused: dict[str, Any]) -> str:
    """Why KaTeX's trust check refused a command, and what the author can do instead."""
    command = str(refused.get("command", "a command"))
    url = str(refused.get("url", ""))
    if command in ("\\href", "\\url"):
        return (
            f"{command}{{{url}}} is not allowed in a formula: links in formulas may only go to "
            "http, https, mailto or relative addresses"
        )
    if command == "\\includegraphics":
        return (
            "\\includegraphics is not allowed in a formula; put images in the Markdown "
            "(![description](image.png))"
        )
    return (
        f"{command} is not allowed in a formula: it would put raw HTML attributes into the "
        "page; style formulas from CSS instead"
    )
