"""A small fork server: one warm Python that forks a fresh process for every page.

Why our own rather than multiprocessing's: multiprocessing's fork server starts synchronously
(~0.2 s before the first page), adds a resource-tracker process, makes pages daemonic (so a
fence cannot use a process pool) and leaves pages running when the build is killed. Ours is
started in the background when the engine is created, so numpy is imported while the host is
still starting up, and it keeps a strict rule: **nothing a page starts outlives the page, the
build or the parent process**:

- The server reads a control socket from the parent; end-of-file there (the parent exited,
  whatever killed it, even SIGKILL) makes it kill every page and every leftover process and
  exit. This works whichever thread of the parent started it (``PR_SET_PDEATHSIG`` would fire
  when that *thread* ends, so the server does not use it).
- Each page runs in its own process group and dies with the server. On Linux it is a *child
  subreaper* (``prctl``): processes it started that detach (``setsid``, double fork) stay its
  descendants while it runs; the server is a subreaper too, so when a page process ends
  (finished, timed out, crashed) its leftover descendants become the server's children, which
  it kills and reaps before it reports the page's exit status. Elsewhere (macOS) the page's
  tree is its process group, killed before the page is reaped; a process that left the group
  (``setsid``) is out of reach. How either is done: :mod:`.process_tree`. The parent waits for
  that report, so when ``run`` returns nothing the page started is left (on macOS: nothing
  that stayed in its group).

Wire format: the parent sends one byte plus two socket ends (``SCM_RIGHTS``) on the control
socket for each page: a *data* socket, on which the parent sends the pickled job and the page
answers with JSON frames (its pid, one result per cell, done), and a *status* socket, on which
the server sends the page's exit code once it and its leftovers are gone. Results travel as
JSON, so nothing a page produces can run code in, or fail to load into, the build process.
The server runs under ``python -c`` (no main script), so pages never re-import the host's
console script, and ``spawn``-started processes inside a fence do not either. What runs in it
is :mod:`.server`; this module is the parent's side.

Process-wide state, on purpose: the servers by preload, threads and slots (``_servers``, with
its lock). A server is a warm Python with numpy imported (seconds to start), so it serves every
build of the process that asks for the same thing (``mkdocs serve`` rebuilds, pytest's
sessions); engines of one build release what they use, and a server ends with the parent.

Pages already run in parallel, one per worker: the server starts with the thread pools of
OpenBLAS, OpenMP and MKL limited to ``threads`` each (unless the author set those variables),
as joblib's loky does for its workers. Otherwise each page would start one BLAS thread per CPU
on a machine whose CPUs the other pages already use, and OpenBLAS's threads, which spin while
they wait for work, cost the server about 0.1 s of CPU as soon as numpy is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Callable
from pathlib import Path

from .frames import MAX_WAIT, FrameReader, send_frame

__all__ = ["MAX_WAIT", "ForkServer", "PageProcess", "acquire", "on_exit", "release"]

#: Variables that size the thread pools of numerical libraries (as joblib's loky sets them).
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)

_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from mkdocs_infotheory.core.server import serve; serve(int(sys.argv[3]), "
    "json.loads(sys.argv[2]), int(sys.argv[4]))"
)


# -- source stamps of preloaded modules -------------------------------------------------------
def _installed_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(
        os.path.realpath(paths[name]) + os.sep
        for name in ("stdlib", "platstdlib", "purelib", "platlib")
        if name in paths
    )


def source_stamp(module: str) -> str:
    """A cheap stamp (names, sizes, mtimes) of a module's source files, found without
    importing it: when it changes, a server that preloaded the module is out of date.

    Installed packages (under site-packages or the standard library, e.g. numpy) are not
    watched for edits: their stamp is constant, which keeps the check to a few files.
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ""
    if spec is None:
        return ""
    roots = list(spec.submodule_search_locations or [])
    located = os.path.realpath(roots[0] if roots else spec.origin or "")
    if located.startswith(_installed_roots()):
        return "installed"
    files = [Path(spec.origin)] if not roots and spec.origin else []
    digest = hashlib.sha256()
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            files.extend(Path(folder, name) for name in names if name.endswith(".py"))
    for file in sorted(files):
        try:
            status = file.stat()
        except OSError:
            continue
        digest.update(f"{file}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# -- the parent's handle ----------------------------------------------------------------------
class PageProcess:
    """The parent's end of one page: send the job, read frames, kill, learn the exit code."""

    def __init__(self, data: socket.socket, status: socket.socket) -> None:
        self.data = FrameReader(data)
        self.status = FrameReader(status)
        self.pid: int | None = None
        self.exit_code: int | None = None
        self.killed = False
        #: The page reported that it ran every cell (it exits by itself).
        self.finished = False

    def kill(self) -> None:
        self.killed = True
        # Whoever waits for the page's next frame gets end-of-file now, even if a process
        # the page forked and that escaped the kill (see :mod:`.process_tree`) holds its end.
        with contextlib.suppress(OSError):
            self.data.sock.shutdown(socket.SHUT_RDWR)
        # Never a pid the page could not be (a wrong frame must not aim the kill elsewhere).
        if self.pid is None or self.exit_code is not None or self.pid <= 1:
            return
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(OSError):
                kill(self.pid, signal.SIGKILL)

    def wait_exit(self, timeout: float) -> int | None:
        """The exit code, once the server has reaped the page and killed its leftovers."""
        if self.exit_code is None:
            try:
                frame = self.status.read(timeout)
            except (TimeoutError, OSError):
                frame = None
            if frame is not None:
                self.exit_code = int(json.loads(frame)["exit"])
        return self.exit_code

    def close(self) -> None:
        self.data.sock.close()
        self.status.sock.close()


def thread_environment(threads: int | None) -> dict[str, str]:
    """The server's environment: ours, with each thread-pool size the author left unset set to
    ``threads`` (``None``: left alone)."""
    environment = dict(os.environ)
    if threads is not None:
        for name in THREAD_VARIABLES:
            environment.setdefault(name, str(max(1, threads)))
    return environment


class ForkServer:
    """The parent's handle on one server process."""

    def __init__(
        self, preload: tuple[str, ...], threads: int | None = None, slots: int = 1
    ) -> None:
        self.preload = preload
        self.threads = threads
        self.slots = slots
        self._lock = threading.Lock()  # sending on the control socket
        self._ready_lock = threading.Lock()  # reading its one "ready" frame
        self.live = 0
        self.retired = False
        self._ready: bool | None = None  # unknown until the server's first frame
        #: How the server keeps pages' processes to them, as it said when ready: "linux" or
        #: "portable" (see :mod:`.process_tree`); None until then.
        self.processes: str | None = None
        #: What the server is about to import, as it is on disk now (see :func:`source_stamp`).
        self.stamps = {name: source_stamp(name) for name in preload}
        parent, child = socket.socketpair()
        self._control = parent
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _BOOT,
                json.dumps(sys.path),
                json.dumps(list(preload)),
                str(child.fileno()),
                str(slots),
            ],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            env=thread_environment(threads),
            # Its own process group: a fence that signals its parent's group
            # (os.killpg(os.getpgid(os.getppid()), ...)) reaches the server, never the build.
            start_new_session=True,
        )
        child.close()

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def ended(self, timeout: float) -> bool:
        """Whether the server process is gone, waiting up to ``timeout`` for one whose
        sockets closed to finish dying."""
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the server has imported the preloaded modules (pages do not need to:
        the server reads their requests once it is ready)."""
        if self._ready is None:
            with self._ready_lock:
                if self._ready is not None:  # another thread read the frame meanwhile
                    return self._ready
                try:
                    frame = FrameReader(self._control).read(timeout)
                except (TimeoutError, OSError):
                    frame = None
                # Once given up on, for good: every later page fails at once, not after a wait.
                said = json.loads(frame) if frame is not None else {}
                self._ready = bool(said.get("ready"))
                self.processes = said.get("processes")
        return self._ready

    def start_page(self, job: bytes) -> PageProcess:
        data, data_child = socket.socketpair()
        status, status_child = socket.socketpair()
        try:
            with self._lock:
                socket.send_fds(self._control, [b"p"], [data_child.fileno(), status_child.fileno()])
        except OSError:
            for sock in (data, status):
                sock.close()
            raise
        finally:
            data_child.close()
            status_child.close()
        send_frame(data, job)
        return PageProcess(data, status)

    def close(self) -> None:
        """Stop the server: it kills its pages and their leftovers, then exits."""
        with contextlib.suppress(OSError):
            self._control.shutdown(socket.SHUT_RDWR)
        self._control.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(5)


_servers: dict[tuple[tuple[str, ...], int | None, int], ForkServer] = {}
_servers_lock = threading.Lock()


def acquire(preload: tuple[str, ...], threads: int | None = None, slots: int = 1) -> ForkServer:
    """The process-wide server for ``preload``, ``threads`` and ``slots`` (pages run at once),
    started now if needed (it warms up in the background). A server whose preloaded source
    changed since it started (``mkdocs serve`` while the author edits compute) is replaced by
    a fresh one."""
    key = (preload, threads, slots)
    with _servers_lock:
        server = _servers.get(key)
        if server is not None and server.alive:
            stale = any(source_stamp(name) != stamp for name, stamp in server.stamps.items())
            if not stale:
                return server
            release(server, retire=True)
        server = ForkServer(preload, threads, slots)
        _servers[key] = server
        return server


def release(server: ForkServer, retire: bool = False) -> None:
    """Close ``server`` once no page runs on it, if it was retired."""
    if retire:
        server.retired = True
    if server.retired and server.live == 0:
        server.close()


def on_exit(callback: Callable[[], None]) -> None:
    """Run ``callback`` when the interpreter starts to exit, *before* it joins non-daemon
    threads (a build's worker threads wait on pages; they must not wait out a timeout)."""
    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        register(callback)
    else:  # pragma: no cover - every supported CPython has it
        import atexit

        atexit.register(callback)
