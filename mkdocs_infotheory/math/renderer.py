"""KaTeX running in an embedded V8 (the ``mini-racer`` wheel), loaded lazily, once per process.

Why in-process V8 rather than a ``node`` subprocess or a pure-Python converter: one render costs
well under a millisecond once KaTeX is loaded, there is no Node.js needed at *site*-build time,
and the output is KaTeX's own (HTML for the eye, MathML for screen readers), so quality matches
what KaTeX does in a browser.

Threading: one V8 isolate serves the whole process. ``mini-racer`` already funnels every call
through its own event-loop thread; on top of that a lock serialises start-up and rendering, so
calling :meth:`KatexRenderer.render` from several threads is safe but gains no parallelism.
What does gain: V8 runs on a thread of its own while the caller's thread goes on with other
work (MkDocs converting the next page). :meth:`KatexRenderer.start` starts V8 and KaTeX
there without waiting, and :meth:`KatexRenderer.submit` renders a batch of formulas in one
call into V8 (a third of the cost of one call per formula) and hands back a future; batches
submitted ahead of need (``urgent=False``) yield to those someone is waiting for.
Processes forked *after* KaTeX was loaded must not use the inherited engine (V8 does not survive
``fork``); each process gets its own engine on first use, which is the normal case.

Process-wide state, on purpose: the engines by KaTeX file (``_engines``), the one engine thread
(``_v8``), the lock over both, and what this process knows about V8 (started here or inherited
through ``fork``; the address-space check done). Starting V8 and KaTeX is the costly part, and
one engine serves every build and renderer of the process (``mkdocs serve`` rebuilds,
Zensical's pages, pytest sessions); V8 is per process and cannot be carried across ``fork``. A
forked child resets all of it (:func:`_forget_engines_after_fork`); the engines close at
interpreter exit (:func:`_close_engines`).
"""

from __future__ import annotations

import atexit
import ctypes
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from .assets import KATEX_DIR, katex_js_file, katex_version
from .errors import KatexAssetsError, MathEngineError, MathError

T = TypeVar("T")

# KaTeX options. ``throwOnError`` turns bad TeX into an error we report (instead of red text
# silently shipped); ``strict: "ignore"`` accepts KaTeX's documented LaTeX extensions (Unicode
# in math, ``\\`` in display mode) without chatter; ``trust`` lets ``\href``/``\url`` make
# ordinary links (http, https, mailto, relative) and nothing else: no ``javascript:`` URLs,
# no ``\includegraphics`` or raw HTML attributes out of a formula. KaTeX does not throw on an
# untrusted command (it shows it as red text), so the trust callback records every refusal
# and :meth:`KatexRenderer.render` turns one into a :class:`MathError` the author is told about.
_JS_RENDER = r"""
var __infotheoryLinkProtocols = ["http", "https", "mailto", "_relative"];
var __infotheoryRefused = [];
var __infotheoryTrust = function (context) {
  var trusted = (context.command === "\\href" || context.command === "\\url")
    && __infotheoryLinkProtocols.indexOf(context.protocol) >= 0;
  if (!trusted) {
    __infotheoryRefused.push({command: String(context.command), url: context.url || ""});
  }
  return trusted;
};
// Macros: the site's (``macros`` option) are known in every formula. With a ``scope`` (one per
// page) the formulas share one macros object and ``globalGroup``, so a ``\\newcommand`` stays
// defined for the rest of that page; without one each formula starts from the site's macros.
var __infotheoryScopes = {};
var __infotheoryEndScope = function (scope) { delete __infotheoryScopes[scope]; return true; };
// Many formulas in one call, each on its own (no page scope): JSON in, JSON out.
var __infotheoryRenderAll = function (items, siteMacros) {
  var pairs = JSON.parse(items), results = [];
  for (var i = 0; i < pairs.length; i++) {
    results.push(__infotheoryRender(pairs[i][0], pairs[i][1], siteMacros, ""));
  }
  return JSON.stringify(results);
};
var __infotheoryRender = function (tex, display, siteMacros, scope) {
  var macros;
  if (scope) {
    macros = __infotheoryScopes[scope];
    if (!macros) { macros = __infotheoryScopes[scope] = Object.assign({}, siteMacros); }
  } else {
    macros = Object.assign({}, siteMacros);
  }
  __infotheoryRefused = [];
  try {
    var html = katex.renderToString(tex, {
      displayMode: display,
      output: "htmlAndMathml",
      throwOnError: true,
      strict: "ignore",
      trust: __infotheoryTrust,
      macros: macros,
      globalGroup: !!scope
    });
    return {ok: true, html: html, refused: __infotheoryRefused};
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


def normalise_macros(macros: Mapping[str, str]) -> dict[str, str]:
    """``{"KL": "D_{KL}"}`` and ``{"\\\\KL": ...}`` both mean the control sequence ``\\KL``."""
    return {
        (name if name.startswith("\\") else f"\\{name}"): str(definition)
        for name, definition in macros.items()
    }


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

    def end_scope(self, scope: str) -> None:
        self._ctx.call("__infotheoryEndScope", scope)

    def render(
        self, tex: str, display: bool, macros: dict[str, str], scope: str | None
    ) -> dict[str, Any]:
        result = self._ctx.call(
            "__infotheoryRender", tex, display, macros, scope or "", timeout=_RENDER_TIMEOUT_MS
        )
        if not isinstance(result, dict):
            raise TypeError(f"unexpected KaTeX result {result!r}")
        return result

    def render_all(
        self, items: Sequence[tuple[str, bool]], macros: dict[str, str]
    ) -> list[dict[str, Any]]:
        """One call for many formulas; JSON both ways (one string, not a proxy per field)."""
        timeout = _RENDER_TIMEOUT_MS * max(1, len(items))
        encoded = self._ctx.call(
            "__infotheoryRenderAll", json.dumps(items), macros, timeout=timeout
        )
        results = json.loads(str(encoded))
        if not isinstance(results, list) or len(results) != len(items):
            raise TypeError(f"unexpected KaTeX results {str(encoded)[:200]!r}")
        return results


class _EngineThread:
    """Runs every V8 call (start, render, close) on one long-lived daemon thread.

    Why: mini-racer refuses a timed call from a thread that runs an asyncio loop (Jupyter,
    Playwright's sync API, an async app calling MkDocs), and an engine started on one thread
    can hang when called from another. One thread of our own sidesteps both; it is a daemon,
    so it is still there for the ``atexit`` close.
    """

    def __init__(self) -> None:
        # (priority, arrival, future, function): urgent calls (0) go before work submitted
        # ahead of need (1); equal priorities run in arrival order.
        self._queue: queue.PriorityQueue[tuple[int, int, Future[Any], Callable[[], Any]]] = (
            queue.PriorityQueue()
        )
        self._arrivals = itertools.count()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def call(self, function: Callable[[], T]) -> T:
        if threading.current_thread() is self._thread:
            return function()
        return self.submit(function).result()

    def submit(self, function: Callable[[], T], urgent: bool = True) -> Future[T]:
        """Queue ``function`` for the engine thread; its future holds the result or error."""
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="katex", daemon=True)
                self._thread.start()
        future: Future[T] = Future()
        self._queue.put((0 if urgent else 1, next(self._arrivals), future, function))
        return future

    def _serve(self) -> None:
        while True:
            _, _, future, function = self._queue.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(function())
                except BaseException as error:
                    future.set_exception(error)


_v8 = _EngineThread()
_engines: dict[Path, _Engine] = {}
_lock = threading.Lock()
_atexit_registered = False
#: V8 was started in this process, or in the process this one was forked from after it did:
#: a forked child then probes whether it can start V8 of its own (:func:`_check_forked_v8`).
_v8_started = False
_v8_inherited = False


def _forget_engines_after_fork() -> None:
    """In a forked child: start from an empty registry, a fresh lock and a fresh V8 thread.

    V8 does not survive ``fork`` and the parent's engine thread does not exist in the child
    (a lock it held at fork time would stay held forever), so the child must never touch what
    it inherited; it starts its own engine if it renders anything. Not even to free it:
    closing (or garbage-collecting) an inherited engine hangs in V8, so each one is leaked on
    purpose (its reference count raised so it is never finalised).
    """
    global _v8, _engines, _lock, _v8_inherited
    _v8_inherited = _v8_started
    for engine in _engines.values():
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(engine))
    _v8 = _EngineThread()
    _engines = {}
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_engines_after_fork)


#: ``import`` + start V8 + run a line of JavaScript: what the probe under a memory limit checks.
_V8_PROBE = "from py_mini_racer import MiniRacer; MiniRacer().eval('1 + 1')"
_address_space_checked = False


def _check_address_space() -> None:
    """Refuse to start V8 where it would abort the whole process (``ulimit -v``).

    V8 reserves a very large range of virtual address space up front (far more than it ever
    uses) and, when ``RLIMIT_AS`` forbids it, aborts the process with a native ``FATAL``
    (exit status 133) that no Python code can catch. Shared CI runners do set such limits.
    So when a limit is set, V8 is first started in a short-lived child process (which
    inherits the limit); if that child dies, we raise a clear error instead of dying too.
    Without a limit (the usual case) this costs nothing.
    """
    global _address_space_checked
    if _address_space_checked:
        return
    try:
        import resource
    except ImportError:  # not POSIX: no RLIMIT_AS
        _address_space_checked = True
        return
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        probe = subprocess.run(
            [sys.executable, "-c", _V8_PROBE],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if probe.returncode != 0:
            raise MathEngineError(
                "KaTeX cannot start: its JavaScript engine (V8) needs more virtual address "
                f"space than this process may use (RLIMIT_AS, `ulimit -v`, is {_gib(soft)}). "
                "Raise or remove the limit (`ulimit -v unlimited`), or set `math: mathjax` "
                "in the infotheory plugin options to render math in the browser instead."
            )
    _address_space_checked = True


def _check_forked_v8() -> None:
    """Refuse to start V8 in a forked child where V8 crashes the process.

    V8 does not survive ``fork``; on some machines (measured: a Linux 6.18 kernel on a CPU
    with memory protection keys) even a *new* engine in a child forked after the parent had
    started V8 dies with SIGSEGV, which no Python code can catch. Such a child first starts V8
    in a grandchild forked from itself (which inherits exactly its state); if that one dies,
    a clear error is raised instead of dying too. A process that never inherited V8 pays
    nothing.
    """
    global _v8_inherited
    if not _v8_inherited:
        return
    pid = os.fork()
    if pid == 0:  # the probe: start V8 here, where a crash costs nothing
        try:
            from py_mini_racer import MiniRacer

            MiniRacer().eval("1 + 1")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise MathEngineError(
            "KaTeX cannot start in this process: it was forked from a process that had already "
            "started KaTeX's JavaScript engine (V8), which does not survive fork here. Render "
            "math in the parent, or start this process fresh (subprocess, or multiprocessing's "
            "'spawn' start method), or set `math: mathjax` in the infotheory plugin options."
        )
    _v8_inherited = False


def _gib(size: int) -> str:
    return f"{size / 2**30:.1f} GiB"


def _engine_for(katex_dir: Path) -> _Engine:
    """The process-wide engine for a KaTeX directory, started on first use (caller holds _lock)."""
    global _atexit_registered, _v8_started
    key = (katex_dir / "katex.min.js").resolve()
    engine = _engines.get(key)
    if engine is None:
        _check_address_space()
        _check_forked_v8()
        _v8_started = True
        if not _atexit_registered:
            atexit.register(_close_engines)
            _atexit_registered = True
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

    def __init__(self, katex_dir: Path = KATEX_DIR, macros: Mapping[str, str] | None = None):
        self._katex_dir = katex_dir
        self.version: str = katex_version(katex_dir)
        #: Site-wide macros (``\\name`` -> definition), known in every formula.
        self.macros: dict[str, str] = normalise_macros(macros or {})

    @property
    def loaded(self) -> bool:
        """Whether this process has already paid KaTeX's start-up cost."""
        return (self._katex_dir / "katex.min.js").resolve() in _engines

    def start(self, needed: Callable[[], bool] | None = None) -> None:
        """Start V8 and KaTeX on the engine thread now, without waiting for them.

        Why: the first formula otherwise waits for start-up (about 0.2 s) while the caller
        has other work to do. ``needed``, if given, runs first on the engine thread (also
        off the caller's way) and decides whether to start at all. A failure is not reported
        here: the next render meets it again and raises it.
        """
        if not self.loaded:
            _v8.submit(lambda: self._start_on_engine(needed), urgent=False)

    def _start_on_engine(self, needed: Callable[[], bool] | None) -> None:
        if needed is not None and not needed():
            return
        with _lock:
            _engine_for(self._katex_dir)

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

        return _v8.submit(run, urgent)

    def render_many(self, items: Sequence[tuple[str, bool]]) -> list[str | MathError]:
        """:meth:`submit` and wait: a batch the caller needs now."""
        return self.submit(items).result() if items else []

    def _render_all_on_engine(self, pairs: list[tuple[str, bool]]) -> list[dict[str, Any]]:
        from py_mini_racer import JSTimeoutException

        with _lock:
            engine = self._checked_engine()
            try:
                return engine.render_all(pairs, self.macros)
            except JSTimeoutException:
                pass
        # A formula ran away: one by one, so that only that one is reported.
        return [self._render_on_engine(tex, display, None) for tex, display in pairs]

    def _checked_engine(self) -> _Engine:
        """The engine for this renderer's KaTeX (caller holds ``_lock``)."""
        engine = _engine_for(self._katex_dir)
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
        result = _v8.call(lambda: self._render_on_engine(tex, display, scope))
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
            _v8.call(lambda: self._end_scope_on_engine(scope))

    def _end_scope_on_engine(self, scope: str) -> None:
        with _lock:
            engine = _engines.get((self._katex_dir / "katex.min.js").resolve())
            if engine is not None:
                engine.end_scope(scope)

    def _render_on_engine(self, tex: str, display: bool, scope: str | None) -> dict[str, Any]:
        from py_mini_racer import JSTimeoutException

        with _lock:
            engine = self._checked_engine()
            try:
                return engine.render(tex, display, self.macros, scope)
            except JSTimeoutException:
                raise MathError(
                    tex, display, f"KaTeX took longer than {_RENDER_TIMEOUT_MS} ms on this formula"
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
