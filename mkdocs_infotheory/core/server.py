"""The fork server process: one warm Python that forks a fresh process for every page.

This module is what runs *in* the server (started by :class:`.forkserver.ForkServer` under
``python -c``) and, after each fork, in the page. It imports as little as it can: whatever the
server has loaded, every page process starts with, and the server's own memory counts in every
build's footprint. (The parent's side, with ``subprocess`` and the preloaded modules' source
stamps, is :mod:`.forkserver`.)
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import importlib
import json
import os
import pickle
import selectors
import signal
import socket
import sys
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from .frames import FrameReader, send_frame


def _record_fields(record: Any) -> dict[str, Any]:
    """A result record (a slotted dataclass of :mod:`.model`) as the object JSON writes: its
    fields, one level deep (the encoder calls this again for the records inside), so without
    :func:`dataclasses.asdict`'s deep copies."""
    return {name: _getattr(record, name) for name in record.__slots__}


# What a page reports with, bound here, in the server, before any fence runs: a fence that
# replaces ``json.dumps``, ``os.getpid`` or ``getattr`` changes what *it* sees, not the channel
# its results travel on. (Frames the build still cannot read are failures, see runner.py.)
_getattr = getattr
_iterencode_result = json.JSONEncoder(ensure_ascii=False, default=_record_fields).iterencode
_iterencode = json.JSONEncoder().iterencode
_join = "".join
_getpid = os.getpid
_exit = os._exit

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


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


# -- the server process -----------------------------------------------------------------------
def serve(control_fd: int, preload: list[str], slots: int) -> None:
    """Main loop of the server process (started by :class:`.forkserver.ForkServer`): at most
    ``slots`` pages run at once; the others wait in the order they came."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for fd in (1, 2):  # pages capture these per cell: they must exist (a detached parent)
        try:
            os.fstat(fd)
        except OSError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # also loads prctl once for every page
    control = socket.socket(fileno=control_fd)
    for name in preload:
        with contextlib.suppress(BaseException):  # a page that needs it reports the error
            importlib.import_module(name)
    from .kernel import run_page  # noqa: F401  (imported once, here, for every page)

    # Pages share these objects' memory instead of touching it on collection. (No collect
    # first: it costs tens of ms on the path to the first page, for little garbage.)
    gc.freeze()
    with contextlib.suppress(OSError):
        send_frame(control, b'{"ready": true}')
    _Server(control, max(1, slots)).loop()


class _Server:
    """Forks pages as they are asked for, up to ``slots`` at once.

    Pages beyond ``slots`` wait here rather than in the parent: when a page ends, the next
    one is forked before anything else happens, so a CPU never idles while the parent (whose
    threads wait for the GIL behind the host's own work) gets round to sending the next job.
    """

    def __init__(self, control: socket.socket, slots: int) -> None:
        self.control = control
        self.slots = slots
        self.pages: dict[int, socket.socket] = {}
        #: Pages asked for while every slot was taken: (data fd, status fd), oldest first.
        self.waiting: deque[tuple[int, int]] = deque()
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
        self.waiting.append((fds[0], fds[1]))
        self.start_waiting()

    def start_waiting(self) -> None:
        while self.waiting and len(self.pages) < self.slots:
            self.start(*self.waiting.popleft())

    def start(self, data_fd: int, status_fd: int) -> None:
        server = os.getpid()
        try:
            with _quiet_fork_warning():
                pid = os.fork()
        except OSError:  # e.g. EAGAIN at the process limit: the parent sees the sockets close
            os.close(data_fd)
            os.close(status_fd)
            return
        if pid == 0:
            code = 70
            try:
                self.become_page(status_fd)
                _page_main(data_fd, server)
                code = 0
            except BaseException:
                pass  # reported on the data socket if at all possible (never on our stderr)
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
        for fds in self.waiting:
            for fd in fds:
                os.close(fd)
        self.waiting.clear()

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
            self.start_waiting()
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

    page = _getpid()

    watch = bool(job.watch_server)

    def emit(index: int, result: Any) -> None:
        if _getpid() != page:
            _exit(0)  # a fence's os.fork() child that ran on: it must not run the page
        if watch and _ending(server):
            send_frame(data, _join(_iterencode({"server_ended": index}, True)).encode())
            _exit(0)
        send_frame(data, _result_frame(index, result))

    try:
        run_page(job, emit)
    except BaseException as exc:  # the kernel itself failed: a fence broke what it relies on
        with contextlib.suppress(BaseException):
            reason = f"{type(exc).__name__}: {exc}"[:2000]
            send_frame(data, _join(_iterencode({"broken": reason}, True)).encode())
        raise
    send_frame(data, b'{"done": true}')


#: PF_EXITING in /proc/PID/stat's flags: the process has begun to exit.
_PF_EXITING = 0x4


def _ending(pid: int) -> bool:
    """Whether process ``pid`` (the server) is gone or on its way out: a signal that ends it
    may have been sent during the fence that just ran without having taken effect yet, so a
    pending SIGKILL or SIGTERM counts, as does a process that has begun to exit."""
    try:
        with open(f"/proc/{pid}/stat") as stream:
            stat = stream.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as stream:
            status = dict(line.split(":", 1) for line in stream if ":" in line)
    except (OSError, IndexError, ValueError):
        return True
    if stat[0] in ("Z", "X", "x") or int(stat[6]) & _PF_EXITING:
        return True
    fatal = (1 << (signal.SIGKILL - 1)) | (1 << (signal.SIGTERM - 1))
    pending = int(status.get("SigPnd", "0"), 16) | int(status.get("ShdPnd", "0"), 16)
    return bool(pending & fatal) or os.getppid() != pid


def _result_frame(index: int, result: Any) -> bytes:
    """JSON of one result; a result that cannot be encoded becomes an error about that."""
    try:
        text = _join(_iterencode_result({"result": index, "data": result}, True))
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
        frame = {"result": index, "data": CellResult(error=error).to_json()}
        return _join(_iterencode(frame, True)).encode()
