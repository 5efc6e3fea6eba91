"""The fork server process: one warm Python that forks a fresh process for every page.

This module is what runs *in* the server (started by :class:`.forkserver.ForkServer` under
``python -c``) and, after each fork, in the page. It imports as little as it can: whatever the
server has loaded, every page process starts with, and the server's own memory counts in every
build's footprint. (The parent's side, with ``subprocess`` and the preloaded modules' source
stamps, is :mod:`.forkserver`.)
"""

from __future__ import annotations

import contextlib
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
from typing import Any

from .frames import FrameReader, send_frame
from .process_tree import LinuxTree, PortableTree, for_this_system


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
    tree = for_this_system()
    tree.server_started()
    control = socket.socket(fileno=control_fd)
    for name in preload:
        with contextlib.suppress(BaseException):  # a page that needs it reports the error
            importlib.import_module(name)
    from .kernel import run_page  # noqa: F401  (imported once, here, for every page)

    # Pages share these objects' memory instead of touching it on collection. (No collect
    # first: it costs tens of ms on the path to the first page, for little garbage.)
    gc.freeze()
    with contextlib.suppress(OSError):
        send_frame(control, json.dumps({"ready": True, "processes": tree.name}).encode())
    _Server(control, max(1, slots), tree).loop()


class _Server:
    """Forks pages as they are asked for, up to ``slots`` at once.

    Pages beyond ``slots`` wait here rather than in the parent: when a page ends, the next
    one is forked before anything else happens, so a CPU never idles while the parent (whose
    threads wait for the GIL behind the host's own work) gets round to sending the next job.
    """

    def __init__(self, control: socket.socket, slots: int, tree: LinuxTree | PortableTree) -> None:
        self.control = control
        self.slots = slots
        self.tree = tree
        self.pages: dict[int, socket.socket] = {}
        #: Running pages' ping sockets (portable path only), which the server answers.
        self.lifelines: dict[int, socket.socket] = {}
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
                elif isinstance(key.data, int):
                    self.answer(key.data)
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
        for fd in fds:  # received inheritable: a program a fence runs must not hold them
            os.set_inheritable(fd, False)
        self.waiting.append((fds[0], fds[1]))
        self.start_waiting()

    def answer(self, pid: int) -> None:
        """Answer a page's ping (it asks whether the server is dying: a dying one cannot)."""
        lifeline = self.lifelines[pid]
        try:
            asked = lifeline.recv(4096)
            if asked:
                # Never blocks: a fence that floods the socket loses answers, not the server.
                lifeline.send(b"!" * len(asked))
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self.drop_lifeline(pid)

    def drop_lifeline(self, pid: int) -> None:
        lifeline = self.lifelines.pop(pid, None)
        if lifeline is not None:
            self.selector.unregister(lifeline)
            lifeline.close()

    def start_waiting(self) -> None:
        while self.waiting and len(self.pages) < self.slots:
            self.start(*self.waiting.popleft())

    def start(self, data_fd: int, status_fd: int) -> None:
        server = os.getpid()
        ours, theirs = self.tree.lifeline()
        try:
            with _quiet_fork_warning():
                pid = os.fork()
        except OSError:  # e.g. EAGAIN at the process limit: the parent sees the sockets close
            os.close(data_fd)
            os.close(status_fd)
            for end in (ours, theirs):
                if end is not None:
                    end.close()
            return
        if pid == 0:
            code = 70
            try:
                self.become_page(status_fd, ours)
                _page_main(data_fd, server, self.tree, theirs)
                code = 0
            except BaseException:
                pass  # reported on the data socket if at all possible (never on our stderr)
            finally:
                os._exit(code)
        # Also here, not only in the page: a kill of its group must reach it from now on.
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        os.close(data_fd)
        self.pages[pid] = socket.socket(fileno=status_fd)
        if ours is not None and theirs is not None:
            theirs.close()
            ours.setblocking(False)
            self.lifelines[pid] = ours
            self.selector.register(ours, selectors.EVENT_READ, pid)

    def become_page(self, status_fd: int, lifeline: socket.socket | None) -> None:
        """In the forked child: drop everything that belongs to the server."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        for fd in (self.wake_read, self.wake_write, status_fd):
            os.close(fd)
        self.control.close()
        for sock in (*self.pages.values(), *self.lifelines.values()):
            sock.close()
        if lifeline is not None:
            lifeline.close()
        self.pages.clear()
        self.lifelines.clear()
        self.tree.close_in_page()
        for fds in self.waiting:
            for fd in fds:
                os.close(fd)
        self.waiting.clear()

    def reap(self) -> None:
        while True:
            ended = self.tree.next_ended(self.pages)
            if ended is None:
                return
            pid, status = ended
            report = self.pages.pop(pid, None)
            if report is None:
                continue  # a leftover that ended by itself
            self.drop_lifeline(pid)
            self.start_waiting()
            self.tree.kill_leftovers(set(self.pages))
            code = os.waitstatus_to_exitcode(status)
            with contextlib.suppress(OSError):
                send_frame(report, json.dumps({"exit": code}).encode())
            report.close()

    def shutdown(self) -> None:
        """The parent is gone (or closed us): nothing may keep running."""
        self.tree.shutdown(self.pages)
        os._exit(0)


@contextlib.contextmanager
def _quiet_fork_warning() -> Any:
    # Python 3.12+ warns when forking a process with threads (numpy's BLAS pool); the page
    # only runs Python code after the fork, as multiprocessing's fork server did.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _page_main(
    data_fd: int, server: int, tree: LinuxTree | PortableTree, lifeline: socket.socket | None
) -> None:
    """In the page process: set up isolation, read the job, run it, report."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # a timeout kills the whole group (e.g. a bash fence's children)
    tree.in_page(server, lifeline)
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
        if watch and tree.ending(server):
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
