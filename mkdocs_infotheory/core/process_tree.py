"""How the fork server keeps what a page starts to the page: two ways, one chosen per server.

The rule (see :mod:`.forkserver` and docs/reference/safety.md): each page runs in a process
group of its own; when it ends, times out or crashes, and when the server ends, nothing it
started keeps running; and a fence that kills the server can be told from one that did not.
What the system offers decides how (:func:`.platform.process_path`, asked once in the
server):

- **Linux** (:class:`LinuxTree`): ``prctl``. Each page is a *child subreaper*, so what it
  starts stays its descendant even after ``setsid`` or a double fork; the server is one too,
  so a finished page's leftovers become the server's children, found in
  ``/proc/PID/task/*/children`` and killed before the page's exit is reported. Each page dies
  with the server (``PR_SET_PDEATHSIG``). Whether the server is dying is read from
  ``/proc/PID/stat`` (``PF_EXITING``) and ``/proc/PID/status`` (pending signals).
- **Portable** (:class:`PortableTree`: macOS, any POSIX without those, or Linux with the
  internal switch): process groups and pipes. A page's tree is its process group, killed
  (``killpg``) before the page is reaped, while its number cannot belong to anyone else. A
  process that leaves the group (``setsid``, ``start_new_session=True``, ``setpgid``) is out
  of reach once the page ends: that is the documented difference. The server holds the write
  end of a pipe that no page keeps; a small watcher process in each page's group blocks on
  the read end, and end-of-file (the server is gone, however it died) makes it kill the
  group at once. Whether the server is dying is asked of the server itself: a ping on a
  socket pair that only the server answers; a signal already sent to it is delivered before
  it can run the code that answers, so no answer means it is on its way out.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import select
import signal
import socket
from collections.abc import Callable, Iterable

from .platform import process_path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: How long a page waits for the server to answer its ping (portable path): the server then
#: runs this page alone and answers at once, so only a dying (or stopped) one stays silent.
PING_LIMIT = 10.0

# Bound before any fence runs: a fence that replaces ``os.write`` must not fake an answer.
_write = os.write
_read = os.read
_select = select.select
_getppid = os.getppid


# -- Linux process controls -----------------------------------------------------------------
@functools.cache
def _libc_prctl() -> Callable[..., int] | None:
    # Looked up once, in the server, before it forks: every page inherits it instead of
    # looking it up again.
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


def _kill_group(pid: int) -> None:
    """SIGKILL to the group ``pid`` leads, and to ``pid`` itself (whose ``setpgid`` may not
    have happened yet)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)


#: PF_EXITING in /proc/PID/stat's flags: the process has begun to exit.
_PF_EXITING = 0x4


class LinuxTree:
    """Subreapers, the parent-death signal and /proc (see the module's docstring)."""

    name = "linux"

    def server_started(self) -> None:
        _prctl(PR_SET_CHILD_SUBREAPER, 1)  # also loads prctl once for every page

    def lifeline(self) -> tuple[socket.socket | None, socket.socket | None]:
        return None, None

    def close_in_page(self) -> None:
        """Nothing of the server's to drop."""

    def in_page(self, server: int, lifeline: socket.socket | None) -> None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != server:
            os._exit(1)  # the server died between fork and prctl
        _prctl(PR_SET_CHILD_SUBREAPER, 1)

    def next_ended(self, pages: Iterable[int]) -> tuple[int, int] | None:
        """A child that ended, reaped: (pid, wait status); None when none has."""
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return None
        return None if pid == 0 else (pid, status)

    def kill_leftovers(self, pages: set[int]) -> None:
        """Kill every child that is not a running page: what ended pages left behind."""
        while True:
            leftovers = _children() - pages
            if not leftovers:
                return
            _kill_and_reap(leftovers)

    def shutdown(self, pages: Iterable[int]) -> None:
        for pid in pages:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        while True:
            children = _children()
            if not children:
                return
            _kill_and_reap(children)

    def ending(self, server: int) -> bool:
        """Whether process ``server`` is gone or on its way out: a signal that ends it may
        have been sent during the fence that just ran without having taken effect yet, so a
        pending SIGKILL or SIGTERM counts, as does a process that has begun to exit."""
        try:
            with open(f"/proc/{server}/stat") as stream:
                stat = stream.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{server}/status") as stream:
                status = dict(line.split(":", 1) for line in stream if ":" in line)
        except (OSError, IndexError, ValueError):
            return True
        if stat[0] in ("Z", "X", "x") or int(stat[6]) & _PF_EXITING:
            return True
        fatal = (1 << (signal.SIGKILL - 1)) | (1 << (signal.SIGTERM - 1))
        pending = int(status.get("SigPnd", "0"), 16) | int(status.get("ShdPnd", "0"), 16)
        return bool(pending & fatal) or os.getppid() != server


class PortableTree:
    """Process groups, a pipe whose end-of-file means the server died, and a ping (see the
    module's docstring)."""

    name = "portable"

    def __init__(self) -> None:
        #: The server keeps the write end; pages drop it at once, and watch the read end.
        self.death_read, self.death_write = os.pipe()
        #: In a page: its end of the socket pair the server answers pings on.
        self.page_lifeline: socket.socket | None = None

    def server_started(self) -> None:
        """Nothing to set up beyond the pipe."""

    def lifeline(self) -> tuple[socket.socket | None, socket.socket | None]:
        """A new page's (server end, page end) of its ping socket pair."""
        return socket.socketpair()

    def close_in_page(self) -> None:
        os.close(self.death_write)

    def in_page(self, server: int, lifeline: socket.socket | None) -> None:
        if _getppid() != server:
            os._exit(1)  # the server died before the page dropped the pipe's write end
        self.page_lifeline = lifeline
        page = os.getpid()
        child = os.fork()
        if child == 0:  # double fork: the watcher is no child of the page (``os.wait()``)
            try:
                if os.fork() == 0:
                    _watch(self.death_read, page)
            finally:
                os._exit(0)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
        os.close(self.death_read)

    def next_ended(self, pages: Iterable[int]) -> tuple[int, int] | None:
        """A child that ended: its group killed *before* it is reaped (a zombie's pid, hence
        its group's number, cannot be taken by a new process), then reaped."""
        waitid = getattr(os, "waitid", None)
        if waitid is None:  # pragma: no cover - Linux and macOS have it
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == 0:
                return None
            if pid in pages:
                _kill_group(pid)
            return pid, status
        try:
            info = waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return None
        if info is None or info.si_pid == 0:
            return None
        if info.si_pid in pages:
            _kill_group(info.si_pid)
        pid, status = os.waitpid(info.si_pid, 0)
        return pid, status

    def kill_leftovers(self, pages: set[int]) -> None:
        """Done in :meth:`next_ended`: a page's leftovers are its group."""

    def shutdown(self, pages: Iterable[int]) -> None:
        pages = list(pages)
        for pid in pages:
            _kill_group(pid)
        for pid in pages:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)

    def ending(self, server: int) -> bool:
        """Whether the server is gone or on its way out: it does not answer a ping (see the
        module's docstring), or it is no longer this page's parent."""
        if _getppid() != server or self.page_lifeline is None:
            return True
        fd = self.page_lifeline.fileno()
        try:
            _write(fd, b"?")
            ready, _, _ = _select([fd], [], [], PING_LIMIT)
            return not (ready and _read(fd, 64))
        except (OSError, ValueError):
            return True


def _watch(death_read: int, page: int) -> None:
    """The watcher (portable path): block until the server is gone, then kill the page's
    group, itself included. Never returns."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Hold nothing of the page's (its sockets, the build's stdout): only the pipe.
        os.closerange(0, death_read)
        os.closerange(death_read + 1, 65536)
        while os.read(death_read, 64):
            pass
        os.killpg(page, signal.SIGKILL)
    finally:
        os._exit(0)


def for_this_system() -> LinuxTree | PortableTree:
    """The way this server keeps pages' processes to them (see :func:`.platform.process_path`)."""
    if process_path(_libc_prctl() is not None, os.getpid()) == "linux":
        return LinuxTree()
    return PortableTree()
