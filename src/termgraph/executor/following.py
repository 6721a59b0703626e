"""The server's side of a followed answer (the worker's: executor/jobs.py).

Following: a large answer read while its worker is still writing it (a POST's: it has no ETag).
For a job marked `stream`, once the file exists and its answer has been in the making for
STREAM_AFTER seconds, the worker says so ("stream", path, form, media type, size), then each
time the file has doubled ("more", size; between PROGRESS_EVERY and PROGRESS_MOST bytes apart),
before the usual final reply. `Following` hands out the bytes reported, so that the client gets
the first part of a large answer without waiting for the last, and the transfer overlaps the
evaluation (as Oxigraph server's own streaming answers do). An answer finished sooner is sent
whole, with its length, like a GET's; and the reports are few for any size (each is a wake-up of
the server and a write to the client: one per 64 KiB cost the server and its worker a fifth more
CPU time on a 7 MB answer, docs/performance.md 2026-12-07), while the client has at least half
of what is written, or all but PROGRESS_MOST bytes of it.

The worker's messages are read as they come, whatever the client reads: the worker is released
(and the client's ledger charged: the pool's `release`, `when_done`) as soon as its final reply
is in, so a slow reader holds only its own connection and the file, never a worker. A failure
after the first bytes (the result passing the size cap, an evaluation error, the time limit, the
worker stopped for a lighter client or gone) is raised from `chunks` once the bytes before it
are handed out; the response then cuts the connection, so that the client sees an incomplete
answer, never a shorter one that looks whole. A reader that stops before the worker has
finished (the client went away) stops the worker too.
"""

from __future__ import annotations

import asyncio
import os

from termgraph import errors


class Following:
    def __init__(self, worker, path: str, size: int, deadline: float, release, judge):
        """Call inside the event loop: the worker's messages are read from here on. `release`
        and `judge` are the pool's: `judge(reply)` raises the error a failed reply means."""
        self.file = open(path, "rb")  # noqa: SIM115 - closed at the end of `chunks`
        os.unlink(path)  # gone with its last handle, whatever happens
        self.worker, self.deadline, self.release, self.judge = worker, deadline, release, judge
        self.available, self.final, self.failure, self.cost = size, None, None, None
        self.progress = asyncio.Event()
        self.done, self.on_done = False, None
        self.reader = asyncio.get_running_loop().create_task(self.read_worker())
        self.reader.add_done_callback(self.reader_done)  # (also when cancelled before it ran)

    def when_done(self, charge) -> None:
        """`charge(cpu)` once the worker is let go: the CPU seconds it reported, None if stopped."""
        self.on_done = charge
        if self.done:
            charge(self.cost)

    async def read_worker(self) -> None:
        while self.final is None and self.failure is None:
            try:
                self.take(await self.worker.follow(self.deadline))
            except errors.TermgraphError as exc:
                self.failure = exc
            self.progress.set()

    def reader_done(self, task: asyncio.Task) -> None:
        if self.final is None and self.failure is None:  # cancelled (the reader went away), or a bug
            bug = None if task.cancelled() else task.exception()
            self.failure = errors.InternalError(f"the worker's messages could not be read: {bug!r}")
        self.progress.set()
        self.let_go()

    def take(self, message) -> None:
        """The worker's next message: more bytes, its final reply, or a failure (None at the
        deadline, an error reply, the worker gone), raised as the pool's `judge` names it."""
        kind = message[0] if message is not None else None
        if kind == "more":
            self.available = message[1]
        elif kind == "ok":
            self.available, self.final, self.cost = message[1].size, message, message[-1]
        else:
            if kind == "error":
                self.final, self.cost = message, message[-1]
            self.judge(message)
            raise errors.InternalError(f"a worker's message not understood: {kind!r}")

    def let_go(self) -> None:
        """Once: the worker released (stopped and replaced unless it sent its final reply), the
        client charged."""
        if self.done:
            return
        self.done = True
        self.release(self.worker, healthy=self.final is not None)
        if self.on_done is not None:
            self.on_done(self.cost)

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
                elif self.failure is not None:
                    raise self.failure
                elif self.final is not None:
                    return
                else:
                    self.progress.clear()
                    await self.progress.wait()
        finally:
            self.close()

    def close(self) -> None:
        """The file closed; a worker still at work stopped (its reader cancelled: `let_go`)."""
        self.file.close()
        if not self.reader.done():
            self.reader.cancel()


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
