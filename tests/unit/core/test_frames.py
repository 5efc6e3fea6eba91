"""The wire format between the build, the fork server and the pages: length-prefixed frames.

Only the behaviour every version of the reader keeps is pinned here: whole frames come out
whole however the bytes arrive, in order, and a clean end of the stream is ``None``. What a
reader does with a torn or malformed stream is the runner's policy (its tests cover it); here
it only must never hand the torn bytes out as a frame.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from mkdocs_infotheory.core.frames import MAX_FRAME_BYTES, FrameReader, send_frame

HEADER = struct.Struct("!Q")


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair()
    yield left, right
    left.close()
    right.close()


def test_frames_come_out_whole_and_in_order(pair: tuple[socket.socket, socket.socket]) -> None:
    writer, reader_socket = pair
    payloads = [b"first", b"", b"\x00" * 3, "ünïcode".encode()]
    for payload in payloads:
        send_frame(writer, payload)
    writer.shutdown(socket.SHUT_WR)
    reader = FrameReader(reader_socket)
    assert [reader.read(1.0) for _ in payloads] == payloads
    assert reader.read(1.0) is None  # a clean end of the stream


def test_a_frame_split_into_single_bytes(pair: tuple[socket.socket, socket.socket]) -> None:
    """Header and payload arriving a byte at a time (a slow pipe) still make one frame."""
    writer, reader_socket = pair
    data = HEADER.pack(5) + b"hello" + HEADER.pack(2) + b"ok"

    def trickle() -> None:
        for byte in data:
            writer.sendall(bytes([byte]))
        writer.shutdown(socket.SHUT_WR)

    thread = threading.Thread(target=trickle)
    thread.start()
    reader = FrameReader(reader_socket)
    try:
        assert reader.read(5.0) == b"hello"
        assert reader.read(5.0) == b"ok"
        assert reader.read(5.0) is None
    finally:
        thread.join()


def test_several_frames_in_one_write(pair: tuple[socket.socket, socket.socket]) -> None:
    """Frames an earlier ``recv`` already buffered are handed out without waiting."""
    writer, reader_socket = pair
    writer.sendall(b"".join(HEADER.pack(len(p)) + p for p in (b"a", b"bc", b"def")))
    reader = FrameReader(reader_socket)
    assert [reader.read(1.0), reader.read(1.0), reader.read(1.0)] == [b"a", b"bc", b"def"]


def test_a_large_frame(pair: tuple[socket.socket, socket.socket]) -> None:
    """Larger than one ``recv`` and than the socket's buffer: sent from a thread."""
    writer, reader_socket = pair
    payload = bytes(range(256)) * 4096  # 1 MiB
    thread = threading.Thread(target=send_frame, args=(writer, payload))
    thread.start()
    try:
        assert FrameReader(reader_socket).read(5.0) == payload
    finally:
        thread.join()


def test_nothing_in_time_is_a_timeout(pair: tuple[socket.socket, socket.socket]) -> None:
    _, reader_socket = pair
    with pytest.raises(TimeoutError):
        FrameReader(reader_socket).read(0.01)


def test_the_frame_after_a_timeout_still_arrives(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader_socket = pair
    reader = FrameReader(reader_socket)
    with pytest.raises(TimeoutError):
        reader.read(0.01)
    send_frame(writer, b"late")
    assert reader.read(1.0) == b"late"


@pytest.mark.parametrize(
    "torn",
    [
        HEADER.pack(10)[:3],
        HEADER.pack(10) + b"short",
    ],
    ids=["half-a-header", "half-a-payload"],
)
def test_a_torn_last_frame_is_never_a_frame(
    pair: tuple[socket.socket, socket.socket], torn: bytes
) -> None:
    writer, reader_socket = pair
    send_frame(writer, b"whole")
    writer.sendall(torn)
    writer.shutdown(socket.SHUT_WR)
    reader = FrameReader(reader_socket)
    assert reader.read(1.0) == b"whole"
    try:
        frame = reader.read(1.0)
    except TimeoutError:
        raise  # the end of the stream was there to see
    except (OSError, ValueError, EOFError):
        return  # a strict reader may say so
    assert frame is None


@pytest.mark.parametrize("size", [2**63, 2**40, MAX_FRAME_BYTES + 1])
def test_an_impossible_length_is_one_unreadable_frame_then_the_end(
    pair: tuple[socket.socket, socket.socket], size: int
) -> None:
    """A fence that writes a forged header to the page's socket: the build reads one empty
    frame (which the runner reports as an unreadable report, at the fence's line), never
    allocates what the header claims, and reads nothing after it."""
    writer, reader_socket = pair
    send_frame(writer, b"whole")
    writer.sendall(HEADER.pack(size) + b"garbage")
    send_frame(writer, b"after")
    reader = FrameReader(reader_socket)
    assert reader.read(1.0) == b"whole"
    assert reader.read(1.0) == b""
    assert reader.read(1.0) is None
