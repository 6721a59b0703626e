"""A large answer read while its worker is still writing it (a POST's answer: it needs no ETag).

A worker writes a result of more than SPOOL_OVER bytes into a file of the spool folder as the
serialiser produces it; for a job marked `stream` it says so as soon as the file exists, and
then every PROGRESS_EVERY bytes (jobs.py). `Following` hands out the bytes the worker has
reported, waiting for its next message when it has handed out all of them, so that the client
gets the first part of a large answer without waiting for the last, and the transfer overlaps
the evaluation (as Oxigraph server's own streaming answers do). The worker never waits for the
client (it writes a file), so a slow reader holds only its own connection, never a worker.

The worker stays with the query until its final reply: then it is released and the client's
ledger charged (the pool's `release` and `on_end`). A failure after the first bytes (the result
passing the size cap, an evaluation error, the time limit, the worker stopped for a lighter
client or gone) raises from `chunks`; the response then cuts the connection, so that the
client sees an incomplete answer, never a shorter one that looks whole. A reader that stops
early (the client went away) stops the worker too.
"""

from __future__ import annotations

import asyncio
import os

from termgraph import errors


class Following:
    def __init__(self, worker, path: str, size: int, deadline: float, timeout: float, release):
        self.file = open(path, "rb")  # noqa: SIM115 - closed at the end of `chunks`
        os.unlink(path)  # gone with its last handle, whatever happens
        self.worker, self.deadline, self.timeout, self.release = worker, deadline, timeout, release
        self.available, self.final, self.cost = size, None, None
        self.on_end = None  # called once with the CPU seconds the worker reported (None if stopped)
        self.ended = False

    async def chunks(self, most: int):
        """The answer's bytes, in pieces of at most `most`, as the worker reports them written."""
        offset = 0
        try:
            while True:
                if offset < self.available:
                    data = await read_at(self.file, offset, min(most, self.available - offset))
                    if not data:
                        raise errors.InternalError("the spooled result is shorter than its worker reported")
                    offset += len(data)
                    yield data
                elif self.final is not None:
                    return
                else:
                    self.take(await self.worker.follow(self.deadline))
        finally:
            self.end()

    def take(self, message) -> None:
        """The worker's next message: more bytes, its final reply, or a failure (raised)."""
        if message is None:
            raise errors.QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
        kind = message[0]
        if kind == "more":
            self.available = message[1]
        elif kind == "ok":
            self.available, self.final, self.cost = message[1].size, message, message[-1]
        elif kind == "error":
            self.final, self.cost = message, message[-1]
            raise errors.from_wire(message[1])
        elif getattr(self.worker, "preempted", False):
            raise errors.Overloaded("the query was stopped to serve clients that used less query time recently")
        else:
            raise errors.QueryTooExpensive("the query's worker stopped before the answer was complete")

    def end(self) -> None:
        """Once: the file closed, the worker released (stopped and replaced unless it sent its
        final reply) and the client's ledger charged."""
        if self.ended:
            return
        self.ended = True
        self.file.close()
        self.release(self.worker, healthy=self.final is not None)
        if self.on_end is not None:
            self.on_end(self.cost)


async def read_at(file, offset: int, size: int) -> bytes:
    """Up to `size` bytes of the file at `offset`: from the page cache without leaving the event
    loop when they are there (the worker wrote them a moment ago), else in a thread."""
    buf = bytearray(size)
    try:
        got = os.preadv(file.fileno(), [buf], offset, os.RWF_NOWAIT)
    except (BlockingIOError, OSError, AttributeError):  # not cached; or no RWF_NOWAIT here
        got = 0
    if got > 0:
        return bytes(memoryview(buf)[:got])
    return await asyncio.to_thread(os.pread, file.fileno(), size, offset)
