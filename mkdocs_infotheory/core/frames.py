"""The wire format between the build, the fork server and the pages: length-prefixed frames.

Shared by both sides, so it imports nothing beyond the standard library's sockets: the fork
server process (:mod:`.server`) loads it, and every module it loads is memory that every page
process starts with.
"""

from __future__ import annotations

import socket
import struct

_HEADER = struct.Struct("!Q")
# Bound when the module is imported (in the fork server, before any page's code runs): a
# fence that replaces ``socket.socket.sendall`` or ``builtins.len`` must not be able to garble
# or silence the page's reports (see :func:`send_frame`).
_sendall = socket.socket.sendall
_pack = _HEADER.pack
_len = len
#: Longest wait the runner ever asks a socket for (seconds); longer limits are clamped.
MAX_WAIT = 1e6
#: A frame announcing more is not a report (a fence wrote to the page's socket): larger than
#: any result ``max_output`` lets through, smaller than what a header can claim (2**64).
MAX_FRAME_BYTES = 1 << 31
#: What one ``recv`` may ask for: its buffer is allocated up front, whatever arrives.
_RECV_LIMIT = 1 << 24


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one frame. It uses only functions bound at import, because pages send their
    results with it after their fences ran, whatever those fences changed."""
    size = _len(payload)
    header = _pack(size)
    if size < 65536:
        _sendall(sock, header + payload)
    else:
        _sendall(sock, header)
        _sendall(sock, payload)


class FrameReader:
    """Reads length-prefixed frames from a socket, with a deadline per read."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()
        self._broken = False

    def _fill(self, size: int) -> bool:
        while len(self._buffer) < size:
            chunk = self.sock.recv(min(max(size - len(self._buffer), 65536), _RECV_LIMIT))
            if not chunk:
                return False
            self._buffer += chunk
        return True

    def _buffered(self) -> bool:
        """Whether a whole frame is already in the buffer (an earlier ``recv`` got it)."""
        if len(self._buffer) < _HEADER.size:
            return False
        (size,) = _HEADER.unpack_from(self._buffer)
        return size > MAX_FRAME_BYTES or len(self._buffer) >= _HEADER.size + size

    def read(self, timeout: float | None = None) -> bytes | None:
        """The next frame; None at end of file (a partial last frame counts as the end);
        raises TimeoutError when nothing complete arrived in time. A header announcing more than
        :data:`MAX_FRAME_BYTES` is no report: it reads as one empty (unreadable) frame, and the
        stream ends there (nothing after it can be told apart from the bytes it announced)."""
        if self._broken:
            return None
        if not self._buffered():
            # Set once per frame, and only when needed: each call is a system call that lets
            # go of the GIL, which a thread of a busy build then waits to take back. (0 would
            # make the socket non-blocking: a passed deadline still gets one quick look.)
            self.sock.settimeout(None if timeout is None else min(max(timeout, 1e-3), MAX_WAIT))
        if not self._fill(_HEADER.size):
            return None
        (size,) = _HEADER.unpack_from(self._buffer)
        if size > MAX_FRAME_BYTES:
            self._broken = True
            self._buffer.clear()
            return b""
        if not self._fill(_HEADER.size + size):
            return None
        frame = bytes(self._buffer[_HEADER.size : _HEADER.size + size])
        del self._buffer[: _HEADER.size + size]
        return frame
