"""Capture what a cell writes, at the file-descriptor level, up to a size limit.

For the length of a cell, file descriptors 1 and 2 (standard output and standard error) point
at one pipe, and ``sys.stdout``/``sys.stderr`` are unbuffered text streams over them. So
``print``, ``sys.stdout.buffer.write``, ``os.write(1, ...)``, C extensions and subprocesses
all reach the page, in the order they wrote, as a terminal would show them.

A reader thread keeps the first ``limit`` characters and reads (and drops) the rest, so a
cell printing in a tight loop neither fills the page process's memory nor blocks on a full
pipe. When the cell ends, whatever is already in the pipe is read; a process the cell left
running in the background that writes later writes to a closed pipe.

An object displayed by the cell (see :mod:`.display`) is not text: :meth:`OutputCapture.mark`
writes a marker into the same pipe, so the reader learns where, between the bytes everyone
wrote, it was displayed, and removes the marker from the text.
"""

from __future__ import annotations

import array
import codecs
import contextlib
import ctypes
import fcntl
import io
import os
import selectors
import sys
import termios
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TextIO


class LimitedWriter(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self._limit - self._size
        if room > 0:
            kept = text[:room]
            self._parts.append(kept)
            self._size += len(kept)
        if len(text) > max(room, 0):
            self.truncated = True
        return len(text)

    def getvalue(self) -> str:
        return "".join(self._parts)

    @property
    def size(self) -> int:
        """How many characters are kept (the length of :meth:`getvalue`)."""
        return self._size


#: Written to the pipe where an object is displayed; NUL bytes keep it apart from any text a
#: cell prints in practice.
MARK = "\x00infotheory-display\x00"


def _partial_mark(text: str) -> int:
    """The length of the longest end of ``text`` that starts :data:`MARK` (a marker cut in two
    by the pipe's reads)."""
    for length in range(min(len(MARK) - 1, len(text)), 0, -1):
        if MARK.startswith(text[-length:]):
            return length
    return 0


def _c_fflush() -> Callable[[None], int] | None:
    try:
        return ctypes.CDLL(None).fflush  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


#: C's ``fflush``, looked up once when the module is imported (in the fork server, so every
#: page inherits it instead of looking it up, and touching the C library's pages, per cell).
_FFLUSH = _c_fflush()


def _flush_other_writers() -> None:
    """Flush what other writers buffered for fds 1 and 2 during the cell: the interpreter's
    original streams (``sys.__stdout__``) and C's ``stdout`` (``printf`` from an extension),
    which would otherwise reach the page late, in another cell, or never."""
    for stream in (sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()  # type: ignore[union-attr]
    if _FFLUSH is not None:
        _FFLUSH(None)


def _text_stream(fd: int) -> TextIO:
    # Unbuffered, as ``python -u`` makes them: every write goes straight to the descriptor, so
    # Python's writes and other writers' interleave in order.
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)


class OutputCapture:
    """``with OutputCapture(limit) as capture: ...`` then ``capture.text``/``.truncated``."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._kept = LimitedWriter(limit)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        #: Where each :meth:`mark` fell in :attr:`text`, in order.
        self.positions: list[int] = []

    @property
    def text(self) -> str:
        return self._kept.getvalue()

    @property
    def truncated(self) -> bool:
        return self._kept.truncated

    def __enter__(self) -> OutputCapture:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        self._read_fd, write_fd = os.pipe()
        self._stop_read, self._stop_write = os.pipe()
        self._saved_fds = (os.dup(1), os.dup(2))
        os.dup2(write_fd, 1)
        os.dup2(write_fd, 2)
        os.close(write_fd)
        self._saved_streams = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = _text_stream(1), _text_stream(2)
        self._reader = threading.Thread(target=self._read, name="infotheory-output", daemon=True)
        self._reader.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        sys.stdout, sys.stderr = self._saved_streams
        _flush_other_writers()  # while fds 1 and 2 still point at the pipe
        os.dup2(self._saved_fds[0], 1)
        os.dup2(self._saved_fds[1], 2)
        for fd in self._saved_fds:
            os.close(fd)
        os.write(self._stop_write, b"x")
        self._reader.join()
        for fd in (self._read_fd, self._stop_read, self._stop_write):
            os.close(fd)

    def mark(self) -> None:
        """Record, in order with everything written so far, that an object is displayed here."""
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        _flush_other_writers()
        os.write(1, MARK.encode("ascii"))

    def _take(self, data: bytes, final: bool = False) -> None:
        text = self._pending + self._decoder.decode(data, final)
        self._pending = ""
        if MARK[0] in text:
            at = text.find(MARK)
            while at >= 0:
                self._kept.write(text[:at])
                self.positions.append(self._kept.size)
                text = text[at + len(MARK) :]
                at = text.find(MARK)
            cut = 0 if final else _partial_mark(text)
            if cut:
                self._pending = text[-cut:]
                text = text[:-cut]
        if text:
            self._kept.write(text)

    def _read(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._read_fd, selectors.EVENT_READ)
            selector.register(self._stop_read, selectors.EVENT_READ)
            while True:
                ready = {key.fd for key, _ in selector.select()}
                if self._stop_read in ready:
                    self._drain()
                    break
                data = os.read(self._read_fd, 65536)
                if not data:
                    break
                self._take(data)
        self._take(b"", final=True)

    def _drain(self) -> None:
        """The cell ended: read what is in the pipe now (all the cell wrote), not what a
        process left running in the background may write later."""
        available = array.array("i", [0])
        fcntl.ioctl(self._read_fd, termios.FIONREAD, available)
        remaining = available[0]
        os.set_blocking(self._read_fd, False)
        while remaining > 0:
            try:
                data = os.read(self._read_fd, min(remaining, 65536))
            except BlockingIOError:
                return
            if not data:
                return
            remaining -= len(data)
            self._take(data)
