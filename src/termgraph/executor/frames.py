"""Messages to and from a query worker, on the event loop itself: no thread per message.

The worker's end is a `multiprocessing.connection.Connection` (blocking, in its own process);
the server's end writes and reads the same frames (a 4-byte big-endian length, or -1 and an
8-byte one, then the pickle) without blocking: each send and receive is tried at once with
MSG_DONTWAIT and, when the socket is not ready, waits for the loop to report it ready. The
descriptor itself stays blocking, so the same socket can still be used synchronously.
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct

FLAGS = socket.MSG_DONTWAIT


def frame(obj) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    if len(body) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(body)) + body
    return struct.pack("!i", len(body)) + body


async def ready(sock: socket.socket, writing: bool) -> None:
    """Until the loop reports the socket readable (or writable)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    add, remove = (loop.add_writer, loop.remove_writer) if writing else (loop.add_reader, loop.remove_reader)
    add(sock.fileno(), lambda: done.done() or done.set_result(None))
    try:
        await done
    finally:
        remove(sock.fileno())


async def send(sock: socket.socket, obj) -> None:
    view = memoryview(frame(obj))
    while view:
        try:
            view = view[sock.send(view, FLAGS):]
        except BlockingIOError:
            await ready(sock, writing=True)


READ = 1 << 16  # bytes asked of the socket at once: a small reply arrives in one call


async def read_some(sock: socket.socket, most: int) -> bytes:
    """Between 1 and `most` bytes, as soon as there are any; EOFError when the worker has gone."""
    while True:
        try:
            data = sock.recv(most, FLAGS)
        except BlockingIOError:
            await ready(sock, writing=False)
            continue
        if not data:
            raise EOFError("the worker closed its end")
        return data


async def read_exactly(sock: socket.socket, size: int, have: bytes = b"") -> bytearray:
    """`size` bytes, starting with those already read (`have`, shorter than `size`)."""
    buf = bytearray(size)
    buf[:len(have)] = have
    view, got = memoryview(buf), len(have)
    while got < size:
        try:
            n = sock.recv_into(view[got:], size - got, FLAGS)
        except BlockingIOError:
            await ready(sock, writing=False)
            continue
        if n == 0:
            raise EOFError("the worker closed its end")
        got += n
    return buf


class Inbox:
    """The messages arriving on one socket, in order. Bytes read past the end of one message are
    kept for the next: a worker answering a streamed job sends several in a row (jobs.py)."""

    def __init__(self, sock: socket.socket):
        self.sock, self.pending = sock, b""

    async def receive(self):
        """The next message; EOFError when the worker has gone."""
        data = self.pending or await read_some(self.sock, READ)
        data = await read_exactly(self.sock, 4, data) if len(data) < 4 else data
        (size,) = struct.unpack("!i", data[:4])
        start = 4
        if size == -1:
            data = await read_exactly(self.sock, 12, data) if len(data) < 12 else data
            (size,), start = struct.unpack("!Q", data[4:12]), 12
        if len(data) < start + size:
            data = await read_exactly(self.sock, start + size, data)
        self.pending = bytes(data[start + size:])
        return pickle.loads(memoryview(data)[start:start + size])
