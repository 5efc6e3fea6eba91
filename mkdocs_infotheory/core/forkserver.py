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
- Each page runs in its own process group, dies with the server (``PR_SET_PDEATHSIG``: the
  server is single-threaded), and is a *child subreaper*: processes it started that detach
  (``setsid``, double fork) stay its descendants while it runs.
- The server is a subreaper too. When a page process ends (finished, timed out, crashed), its
  leftover descendants become the server's children; the server kills and reaps them before
  it reports the page's exit status. The parent waits for that report, so when ``run`` returns
  nothing the page started is left.

Wire format: the parent sends one byte plus two socket ends (``SCM_RIGHTS``) on the control
socket for each page: a *data* socket, on which the parent sends the pickled job and the page
answers with JSON frames (its pid, one result per cell, done), and a *status* socket, on which
the server sends the page's exit code once it and its leftovers are gone. Results travel as
JSON, so nothing a page produces can run code in, or fail to load into, the build process.
The server runs under ``python -c`` (no main script), so pages never re-import the host's
console script, and ``spawn``-started processes inside a fence do not either.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import importlib
import importlib.util
import json
import os
import pickle
import selectors
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_HEADER = struct.Struct("!Q")
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
#: Longest wait the runner ever asks a socket for (seconds); longer limits are clamped.
MAX_WAIT = 1e6


# -- Linux process controls -----------------------------------------------------------------
@functools.cache
def _libc_prctl() -> Callable[..., int] | None:
    # Looked up once, in the server, before it forks (a lookup costs ~0.2 ms per page).
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _prctl(option: int, value: int) -> bool:
    """Best effort: on a kernel without the option the page simply runs without it."""
    prctl = _libc_prctl()
    return prctl is not None and int(prctl(option, value, 0, 0, 0)) == 0


def _children() -> set[int]:
    """Pids of this process's children (any thread), from /proc."""
    found: set[int] = set()
    tasks = f"/proc/{os.getpid()}/task"
    with contextlib.suppress(OSError):
        for task in os.listdir(tasks):
            with contextlib.suppress(OSError), open(f"{tasks}/{task}/children") as stream:
                found.update(int(pid) for pid in stream.read().split())
    return found


def _kill_and_reap(pids: Iterable[int]) -> None:
    pids = list(pids)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)


# -- frames ---------------------------------------------------------------------------------
def send_frame(sock: socket.socket, payload: bytes) -> None:
    header = _HEADER.pack(len(payload))
    if len(payload) < 65536:
        sock.sendall(header + payload)
    else:
        sock.sendall(header)
        sock.sendall(payload)


class FrameReader:
    """Reads length-prefixed frames from a socket, with a deadline per read."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def _fill(self, size: int, timeout: float | None) -> bool:
        # (0 would make the socket non-blocking: a passed deadline still gets one quick look.)
        self.sock.settimeout(None if timeout is None else min(max(timeout, 1e-3), MAX_WAIT))
        while len(self._buffer) < size:
            chunk = self.sock.recv(max(size - len(self._buffer), 65536))
            if not chunk:
                return False
            self._buffer += chunk
        return True

    def read(self, timeout: float | None = None) -> bytes | None:
        """The next frame; None at end of file (a partial last frame counts as the end);
        raises TimeoutError when nothing complete arrived in time."""
        if not self._fill(_HEADER.size, timeout):
            return None
        (size,) = _HEADER.unpack_from(self._buffer)
        if not self._fill(_HEADER.size + size, timeout):
            return None
        frame = bytes(self._buffer[_HEADER.size : _HEADER.size + size])
        del self._buffer[: _HEADER.size + size]
        return frame


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


# -- the server process -----------------------------------------------------------------------
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from mkdocs_infotheory.core.forkserver import serve; serve(int(sys.argv[3]), "
    "json.loads(sys.argv[2]))"
)


def serve(control_fd: int, preload: list[str]) -> None:
    """Main loop of the server process (started by :class:`ForkServer`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for fd in (1, 2):  # pages capture these per cell: they must exist (a detached parent)
        try:
            os.fstat(fd)
        except OSError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # also loads prctl once for every page
    control = socket.socket(fileno=control_fd)
    stamps = {}
    for name in preload:
        stamps[name] = source_stamp(name)
        with contextlib.suppress(BaseException):  # a page that needs it reports the error
            importlib.import_module(name)
    from .kernel import run_page  # noqa: F401  (imported once, here, for every page)

    # Pages share these objects' memory instead of touching it on collection. (No collect
    # first: it costs tens of ms on the path to the first page, for little garbage.)
    gc.freeze()
    with contextlib.suppress(OSError):
        send_frame(control, json.dumps({"ready": stamps}).encode())
    _Server(control).loop()


class _Server:
    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.pages: dict[int, socket.socket] = {}
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        signal.set_wakeup_fd(self.wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.selector.register(self.wake_read, selectors.EVENT_READ)

    def loop(self) -> None:
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is self.control:
                    self.accept()
                else:
                    with contextlib.suppress(OSError):
                        os.read(self.wake_read, 4096)
            self.reap()

    def accept(self) -> None:
        try:
            message, fds, _flags, _address = socket.recv_fds(self.control, 1, 2)
        except OSError:
            message, fds = b"", []
        if not message:
            self.shutdown()
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            return
        data_fd, status_fd = fds
        server = os.getpid()
        with _quiet_fork_warning():
            pid = os.fork()
        if pid == 0:
            code = 70
            try:
                self.become_page(status_fd)
                _page_main(data_fd, server)
                code = 0
            except BaseException:
                with contextlib.suppress(BaseException):
                    import traceback

                    traceback.print_exc()
            finally:
                os._exit(code)
        os.close(data_fd)
        self.pages[pid] = socket.socket(fileno=status_fd)

    def become_page(self, status_fd: int) -> None:
        """In the forked child: drop everything that belongs to the server."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        for fd in (self.wake_read, self.wake_write, status_fd):
            os.close(fd)
        self.control.close()
        for sock in self.pages.values():
            sock.close()
        self.pages.clear()

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            report = self.pages.pop(pid, None)
            if report is None:
                continue  # a leftover that ended by itself
            self.kill_leftovers()
            code = os.waitstatus_to_exitcode(status)
            with contextlib.suppress(OSError):
                send_frame(report, json.dumps({"exit": code}).encode())
            report.close()

    def kill_leftovers(self) -> None:
        """Kill every child that is not a running page: what ended pages left behind."""
        while True:
            leftovers = _children() - set(self.pages)
            if not leftovers:
                return
            _kill_and_reap(leftovers)

    def shutdown(self) -> None:
        """The parent is gone (or closed us): nothing may keep running."""
        for pid in self.pages:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        while True:
            children = _children()
            if not children:
                break
            _kill_and_reap(children)
        os._exit(0)


@contextlib.contextmanager
def _quiet_fork_warning() -> Any:
    # Python 3.12+ warns when forking a process with threads (numpy's BLAS pool); the page
    # only runs Python code after the fork, as multiprocessing's fork server did.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _page_main(data_fd: int, server: int) -> None:
    """In the page process: set up isolation, read the job, run it, report."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # a timeout kills the whole group (e.g. a bash fence's children)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server:
        os._exit(1)  # the server died between fork and prctl
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    data = socket.socket(fileno=data_fd)
    send_frame(data, json.dumps({"pid": os.getpid()}).encode())
    frame = FrameReader(data).read()
    if frame is None:
        return
    job = pickle.loads(frame)

    from .kernel import run_page

    os.chdir(job.cwd)
    sys.path[:0] = list(job.paths)
    os.environ.setdefault("MPLBACKEND", "Agg")

    page = os.getpid()

    def emit(index: int, result: Any) -> None:
        if os.getpid() != page:
            os._exit(0)  # a fence's os.fork() child that ran on: it must not run the page
        send_frame(data, _result_frame(index, result))

    run_page(job, emit)
    send_frame(data, b'{"done": true}')


def _result_frame(index: int, result: Any) -> bytes:
    """JSON of one result; a result that cannot be encoded becomes an error about that."""
    try:
        # vars() turns the result's dataclasses into dicts without asdict's deep copies.
        text = json.dumps({"result": index, "data": result}, ensure_ascii=False, default=vars)
        # Lone surrogates (from str() of odd objects) cannot be written into a page: "?".
        return text.encode("utf-8", "replace")
    except Exception as exc:  # e.g. a str subclass whose encoding fails
        from .model import CellError, CellResult

        reason = f"{type(exc).__name__} while encoding it"
        error = CellError(
            type="ResultError",
            message=f"the fence ran, but its result could not be sent back ({reason})",
            line=result.error.line if getattr(result, "error", None) else 0,
        )
        return json.dumps({"result": index, "data": CellResult(error=error).to_json()}).encode()


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
        if self.pid is None or self.exit_code is not None:
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


class ForkServer:
    """The parent's handle on one server process."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        self.preload = preload
        self._lock = threading.Lock()
        self.live = 0
        self.retired = False
        self._stamps: dict[str, str] | None = None
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
            ],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
        )
        child.close()

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def stamps(self, timeout: float = 60.0) -> dict[str, str]:
        """What the server preloaded: the source stamps it saw at start-up."""
        if self._stamps is None:
            with self._lock:
                try:
                    frame = FrameReader(self._control).read(timeout)
                except (TimeoutError, OSError):
                    frame = None
                self._stamps = dict(json.loads(frame)["ready"]) if frame else {}
        return self._stamps

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


_servers: dict[tuple[str, ...], ForkServer] = {}
_servers_lock = threading.Lock()


def acquire(preload: tuple[str, ...]) -> ForkServer:
    """The process-wide server for ``preload``, started now if needed (it warms up in the
    background). A server whose preloaded source changed since it started (``mkdocs serve``
    while the author edits compute) is replaced by a fresh one."""
    with _servers_lock:
        server = _servers.get(preload)
        if server is not None and server.alive:
            stale = any(source_stamp(name) != stamp for name, stamp in server.stamps().items())
            if not stale:
                return server
            release(server, retire=True)
        server = ForkServer(preload)
        _servers[preload] = server
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
