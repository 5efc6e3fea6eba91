"""KaTeX's engine: one V8 (the ``mini-racer`` wheel) per process, its thread and its registry.

Threading: one V8 isolate serves the whole process. ``mini-racer`` already funnels every call
through its own event-loop thread; on top of that a lock serialises start-up and rendering, so
rendering from several threads is safe but gains no parallelism. What does gain: V8 runs on a
thread of its own (:data:`ENGINE_THREAD`) while the caller's thread goes on with other work.

Process-wide state, on purpose: the engines by KaTeX file, the engine thread, the lock over
both (:func:`engine_for` holds it), and what this process knows about V8 (started here or
inherited through ``fork``; the address-space check done). Starting V8 and KaTeX is the costly
part, and one engine serves every build and renderer of the process (``mkdocs serve``
rebuilds, Zensical's pages, pytest sessions); V8 is per process and cannot be carried across
``fork``. A forked child starts from nothing (:func:`_forget_engines_after_fork`); the engines
close at interpreter exit (:func:`_close_engines`). Rendering itself is
:class:`.renderer.KatexRenderer`.
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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from .assets import katex_js_file
from .errors import MathEngineError

T = TypeVar("T")

# KaTeX options. ``throwOnError`` turns bad TeX into an error we report (instead of red text
# silently shipped); ``strict: "ignore"`` accepts KaTeX's documented LaTeX extensions (Unicode
# in math, ``\\`` in display mode) without chatter; ``trust`` lets ``\href``/``\url`` make
# ordinary links (http, https, mailto, relative) and nothing else: no ``javascript:`` URLs,
# no ``\includegraphics`` or raw HTML attributes out of a formula. KaTeX does not throw on an
# untrusted command (it shows it as red text), so the trust callback records every refusal and
# :meth:`.renderer.KatexRenderer.render` turns one into a :class:`MathError` for the author.
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
RENDER_TIMEOUT_MS = 10_000


class KatexEngine:
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
            "__infotheoryRender", tex, display, macros, scope or "", timeout=RENDER_TIMEOUT_MS
        )
        if not isinstance(result, dict):
            raise TypeError(f"unexpected KaTeX result {result!r}")
        return result

    def render_all(
        self, items: Sequence[tuple[str, bool]], macros: dict[str, str]
    ) -> list[dict[str, Any]]:
        """One call for many formulas; JSON both ways (one string, not a proxy per field)."""
        timeout = RENDER_TIMEOUT_MS * max(1, len(items))
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
_engines: dict[Path, KatexEngine] = {}
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


def engine_thread() -> _EngineThread:
    """The thread every V8 call of this process runs on (a forked child gets its own)."""
    return _v8


@contextmanager
def engine_for(katex_dir: Path, start: bool = True) -> Iterator[KatexEngine | None]:
    """The process-wide engine for a KaTeX directory, held for the ``with`` block (no other
    thread starts or uses an engine meanwhile); started on first use, unless ``start`` is
    False (then None until something started it)."""
    with _lock:
        yield _engine_for(katex_dir) if start else _engines.get(_key(katex_dir))


def loaded(katex_dir: Path) -> bool:
    """Whether this process has already started the engine for ``katex_dir``."""
    return _key(katex_dir) in _engines


def _key(katex_dir: Path) -> Path:
    return (katex_dir / "katex.min.js").resolve()


def _engine_for(katex_dir: Path) -> KatexEngine:
    """The process-wide engine for a KaTeX directory, started on first use (caller holds _lock)."""
    global _atexit_registered, _v8_started
    key = _key(katex_dir)
    engine = _engines.get(key)
    if engine is None:
        _check_address_space()
        _check_forked_v8()
        _v8_started = True
        if not _atexit_registered:
            atexit.register(_close_engines)
            _atexit_registered = True
        engine = _engines[key] = KatexEngine(katex_js_file(katex_dir))
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
