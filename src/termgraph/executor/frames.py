"""Messages to and from a query worker, on the event loop itself: no thread per message.

The worker's end is a `multiprocessing.connection.Connection` (blocking, in its own process);
the server's end writes and reads the same frames (a 4-byte big-endian length, or -1 and an
8-byte one, then the pickle) without blocking: each send and receive is tried at once with
MSG_DONTWAIT and, when the socket is not ready, waits for the loop to report it ready. The
descriptor itself stays blocking, so the same socket can still be used synchronously.

An Inbox keeps the loop's watch on its socket from one message to the next (`Watch`): adding and
removing a reader for every wait cost a light query's server two epoll_ctl calls and a handle
(docs/performance.md). A socket that turns readable while nobody waits (an idle worker that
ended) is let go of until the next wait, so the loop does not report it at every turn.
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


class Watch:
    """The loop's watch on a socket's readability, kept between waits."""

    def __init__(self, sock: socket.socket):
        self.sock, self.loop, self.waiter = sock, None, None

    async def readable(self) -> None:
        """Until the socket is readable (it was not, a moment ago)."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.stop()
            loop.add_reader(self.sock.fileno(), self.ready)
            self.loop = loop
        self.waiter = loop.create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None

    def ready(self) -> None:
        if self.waiter is None:
            self.stop()  # (nobody waits: watched again at the next wait)
        elif not self.waiter.done():
            self.waiter.set_result(None)

    def stop(self) -> None:
        """The watch ended (before the socket is closed: the loop must not keep a closed number)."""
        loop, self.loop = self.loop, None
        if loop is not None and not loop.is_closed():
            loop.remove_reader(self.sock.fileno())


async def read_some(sock: socket.socket, most: int, watch: Watch | None = None) -> bytes:
    """Between 1 and `most` bytes, as soon as there are any; EOFError when the worker has gone."""
    while True:
        try:
            data = sock.recv(most, FLAGS)
        except BlockingIOError:
            await (watch.readable() if watch is not None else ready(sock, writing=False))
            continue
        if not data:
            raise EOFError("the worker closed its end")
        return data


async def read_exactly(sock: socket.socket, size: int, have: bytes = b"", watch: Watch | None = None) -> bytearray:
    """`size` bytes, starting with those already read (`have`, shorter than `size`)."""
    buf = bytearray(size)
    buf[:len(have)] = have
    view, got = memoryview(buf), len(have)
    while got < size:
        try:
            n = sock.recv_into(view[got:], size - got, FLAGS)
        except BlockingIOError:
            await (watch.readable() if watch is not None else ready(sock, writing=False))
            continue
        if n == 0:
            raise EOFError("the worker closed its end")
        got += n
    return buf


class Inbox:
    """The messages arriving on one socket, in order. Bytes read past the end of one message are
    kept for the next: a worker answering a streamed job sends several in a row (jobs.py).
    `close()` before the socket is closed."""

    def __init__(self, sock: socket.socket):
        self.sock, self.pending, self.watch = sock, b"", Watch(sock)

    def close(self) -> None:
        self.watch.stop()

    async def receive(self):
        """The next message; EOFError when the worker has gone."""
        sock, watch = self.sock, self.watch
        data = self.pending or await read_some(sock, READ, watch)
        data = await read_exactly(sock, 4, data, watch) if len(data) < 4 else data
        (size,) = struct.unpack("!i", data[:4])
        start = 4
        if size == -1:
            data = await read_exactly(sock, 12, data, watch) if len(data) < 12 else data
            (size,), start = struct.unpack("!Q", data[4:12]), 12
        if len(data) < start + size:
            data = await read_exactly(sock, start + size, data, watch)
        self.pending = bytes(data[start + size:])
        return pickle.loads(memoryview(data)[start:start + size])
