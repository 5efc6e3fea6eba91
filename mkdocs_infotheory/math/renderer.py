"""KaTeX running in an embedded V8 (the ``mini-racer`` wheel), loaded lazily, once per process.

Why in-process V8 rather than a ``node`` subprocess or a pure-Python converter: one render costs
well under a millisecond once KaTeX is loaded, there is no Node.js needed at *site*-build time,
and the output is KaTeX's own (HTML for the eye, MathML for screen readers), so quality matches
what KaTeX does in a browser.

Threading: one V8 isolate serves the whole process. ``mini-racer`` already funnels every call
through its own event-loop thread; on top of that a lock serialises start-up and rendering, so
calling :meth:`KatexRenderer.render` from several threads is safe but gains no parallelism.
Processes forked *after* KaTeX was loaded must not use the inherited engine (V8 does not survive
``fork``); each process gets its own engine on first use, which is the normal case.
"""

from __future__ import annotations

import atexit
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from .assets import KATEX_DIR, katex_js_file, katex_version
from .errors import KatexAssetsError, MathError

T = TypeVar("T")

# KaTeX options. ``throwOnError`` turns bad TeX into an error we report (instead of red text
# silently shipped); ``strict: "ignore"`` accepts KaTeX's documented LaTeX extensions (Unicode
# in math, ``\\`` in display mode) without chatter; ``trust`` lets ``\href``/``\url`` make
# ordinary links (http, https, mailto, relative) and nothing else: no ``javascript:`` URLs,
# no ``\includegraphics`` or raw HTML attributes out of a formula.
_JS_RENDER = r"""
var __infotheoryLinkProtocols = ["http", "https", "mailto", "_relative"];
var __infotheoryTrust = function (context) {
  return (context.command === "\\href" || context.command === "\\url")
    && __infotheoryLinkProtocols.indexOf(context.protocol) >= 0;
};
var __infotheoryRender = function (tex, display) {
  try {
    return {ok: true, html: katex.renderToString(tex, {
      displayMode: display,
      output: "htmlAndMathml",
      throwOnError: true,
      strict: "ignore",
      trust: __infotheoryTrust
    })};
  } catch (e) {
    var parse = (e instanceof katex.ParseError);
    return {
      ok: false,
      message: parse ? String(e.message) : "KaTeX internal error: " + String(e && e.message || e),
      position: (parse && typeof e.position === "number") ? e.position : null
    };
  }
};
"""

# Generous: KaTeX's own ``maxExpand`` stops runaway macros long before this.
_RENDER_TIMEOUT_MS = 10_000

# KaTeX writes every formula twice: MathML (for screen readers, with the TeX as annotation) and
# an aria-hidden HTML copy for the eye. Material's search would index both (plus the TeX). Its
# ``data-search-exclude`` only works on an element with no same-tag descendants (the parser
# compares elements by tag name), which holds for the MathML span and not for the HTML copy,
# so the MathML is excluded from the index and each formula is indexed once, as it looks.
_KATEX_MATHML_OPEN = '<span class="katex-mathml">'
_KATEX_MATHML_OPEN_UNINDEXED = '<span class="katex-mathml" data-search-exclude>'


class _Engine:
    """One V8 context with KaTeX evaluated in it."""

    def __init__(self, js_file: Path):
        from py_mini_racer import MiniRacer  # deferred: importing it is cheap, V8 start-up is not

        self.pid = os.getpid()
        self._ctx = MiniRacer()
        self._ctx.eval(js_file.read_text(encoding="utf-8"))
        self._ctx.eval(_JS_RENDER)
        self.version = str(self._ctx.eval("katex.version"))

    def close(self) -> None:
        self._ctx.close()

    def render(self, tex: str, display: bool) -> dict[str, Any]:
        result = self._ctx.call("__infotheoryRender", tex, display, timeout=_RENDER_TIMEOUT_MS)
        if not isinstance(result, dict):
            raise TypeError(f"unexpected KaTeX result {result!r}")
        return result


class _EngineThread:
    """Runs every V8 call (start, render, close) on one long-lived daemon thread.

    Why: mini-racer refuses a timed call from a thread that runs an asyncio loop (Jupyter,
    Playwright's sync API, an async app calling MkDocs), and an engine started on one thread
    can hang when called from another. One thread of our own sidesteps both; it is a daemon,
    so it is still there for the ``atexit`` close.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def call(self, function: Callable[[], T]) -> T:
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="katex", daemon=True)
                self._thread.start()
        if threading.current_thread() is self._thread:
            return function()
        future: Future[T] = Future()
        self._queue.put((future, function))
        return future.result()

    def _serve(self) -> None:
        while True:
            future, function = self._queue.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(function())
                except BaseException as error:
                    future.set_exception(error)


_v8 = _EngineThread()
_engines: dict[Path, _Engine] = {}
_lock = threading.Lock()


def _engine_for(katex_dir: Path) -> _Engine:
    """The process-wide engine for a KaTeX directory, started on first use (caller holds _lock)."""
    key = (katex_dir / "katex.min.js").resolve()
    engine = _engines.get(key)
    if engine is None:
        if not _engines:
            atexit.register(_close_engines)
        engine = _engines[key] = _Engine(katex_js_file(katex_dir))
    return engine


def _close_engines() -> None:
    """Stop V8 at exit, while the interpreter is still whole.

    Left to garbage collection during interpreter shutdown, mini-racer joins its event-loop
    thread after daemon threads are frozen, and the process sometimes never exits (measured:
    about 1 exit in 5 with stdout on a pipe). Closing from ``atexit`` avoids that.
    """
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        if engine.pid == os.getpid():  # a forked child must not tear down its parent's V8
            _v8.call(engine.close)


class KatexRenderer:
    """Renders TeX to KaTeX's HTML + MathML; V8 and KaTeX start on the first :meth:`render`.

    Constructing a renderer is cheap (it only reads the asset manifest), so a plugin can make
    one per build and still share the process-wide engine. ``version`` is the bundled KaTeX
    version and belongs in every cache key, so upgrading KaTeX invalidates cached output.
    """

    def __init__(self, katex_dir: Path = KATEX_DIR):
        self._katex_dir = katex_dir
        self.version: str = katex_version(katex_dir)

    @property
    def loaded(self) -> bool:
        """Whether this process has already paid KaTeX's start-up cost."""
        return (self._katex_dir / "katex.min.js").resolve() in _engines

    def render(self, tex: str, display: bool) -> str:
        """KaTeX's ``renderToString`` output for ``tex``; raises :class:`MathError` on bad TeX."""
        result = _v8.call(lambda: self._render_on_engine(tex, display))
        if result.get("ok"):
            return str(result["html"]).replace(_KATEX_MATHML_OPEN, _KATEX_MATHML_OPEN_UNINDEXED, 1)
        position = result.get("position")
        # KaTeX underlines the offending TeX with U+0332 combining characters, which suits a
        # browser but garbles a terminal warning; the context itself is kept.
        message = str(result.get("message", "KaTeX error")).replace("\u0332", "")
        raise MathError(tex, display, message, position if isinstance(position, int) else None)

    def _render_on_engine(self, tex: str, display: bool) -> dict[str, Any]:
        from py_mini_racer import JSTimeoutException

        with _lock:
            engine = _engine_for(self._katex_dir)
            if engine.version != self.version:
                raise KatexAssetsError(
                    f"{self._katex_dir} holds KaTeX {engine.version}, "
                    f"but its manifest says {self.version}"
                )
            try:
                return engine.render(tex, display)
            except JSTimeoutException:
                raise MathError(
                    tex, display, f"KaTeX took longer than {_RENDER_TIMEOUT_MS} ms on this formula"
                ) from None
