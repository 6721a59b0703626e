"""A query job, its answer, and how a worker runs one (run, then serialise, capped in size).

A result of more than SPOOL_OVER bytes is not sent through the worker's pipe: the worker writes
it into the spool folder as the serialiser produces it and answers with the file's path, its
size and (for an answer that needs an ETag) a hash of its bytes; the server streams it to the
client from there as fast as the client reads (web/streaming.py), so the server's memory does
not grow with large results or slow readers, and the worker is free for the next query as soon
as the file is written.

A large answer of a POST is followed while its worker still writes it: STREAM_AFTER and the
progress reports here (the worker's side), executor/following.py (the server's).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import time
from dataclasses import dataclass

from termgraph import errors
from termgraph.executor import engine
from termgraph import formats
from termgraph.sparql import guard
from termgraph.sparql.query import Query
from termgraph.sparql.protocol import Dataset


@dataclass(frozen=True)
class Job:
    query: Query  # read and checked once, by the route (sparql/query.py): the worker only runs it
    dataset: Dataset
    media_type: str  # the result's format, chosen by the route (protocol.result_type)
    base_iri: str | None
    max_bytes: int
    tag: bool = True  # hash a spooled result for its ETag (False for a POST: its answer has none)
    stream: bool = False  # report a spooled result's progress, for sending it while it is written


SPOOL_OVER = 256 << 10  # bytes: larger results go through a file, streamed to the client
PROGRESS_EVERY = 64 << 10  # bytes: the least written between two progress reports of a streamed job
PROGRESS_MOST = 8 << 20  # bytes: the most (in between, as much again as was reported)
STREAM_AFTER = 0.05  # seconds a streamed job runs before its answer is followed (sent as it is written)
WRITE_BUFFER = 256 << 10  # bytes gathered before a write to the spool file (one system call per 8 KiB cost 2x)


@dataclass(frozen=True)
class Answer:
    form: str
    media_type: str
    body: bytes  # empty when the result is spooled
    path: str | None = None  # the spooled result (the server unlinks it when it opens it)
    size: int = 0
    digest: str = ""  # sha256 of the spooled bytes, hex (an ETag without reading them again), if asked
    following: object = None  # a result still being written (following.Following): server side only

    def read(self) -> bytes:
        """The whole body, spooled or not (for answers turned into a page)."""
        if self.path is None:
            return self.body
        with open(self.path, "rb") as f:
            os.unlink(self.path)
            return f.read()


class SpoolWriter(io.RawIOBase):
    """The serialiser's sink in a worker: the first SPOOL_OVER bytes in memory, the rest in a file
    of the spool folder (with no folder, all in memory), written as the serialiser goes. Past
    `cap` it takes nothing more (a short write, which ends the serialiser) and sets `overflow`;
    a failure to write the file is kept in `failure`. `notify` (a streamed job's) is sent the
    progress messages (see the module's docstring); `head` is the answer's (form, media type)."""

    def __init__(self, cap: int, spool_dir: str | None, head: tuple[str, str], tag: bool = True, notify=None,
                 stream_after: float = STREAM_AFTER):
        super().__init__()
        self.cap, self.spool_dir, self.head, self.tag, self.notify = cap, spool_dir, head, tag, notify
        self.stream_from = time.monotonic() + stream_after
        self.streaming = False
        self.size = self.reported = 0
        self.chunks: list[bytes] = []
        self.file = self.path = self.hash = self.failure = None
        self.overflow = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.overflow or self.failure or self.size + len(data) > self.cap:
            self.overflow = self.failure is None
            return 0
        try:
            self.take(bytes(data))
        except OSError as exc:  # the spool folder's disk
            self.failure = exc
            return 0
        return len(data)

    def take(self, data: bytes) -> None:
        self.size += len(data)
        if self.file is None:
            self.chunks.append(data)
            if self.spool_dir is not None and self.size > SPOOL_OVER:
                self.open()
            return
        self.file.write(data)
        if self.hash is not None:
            self.hash.update(data)
        if self.notify is None:
            return
        if not self.streaming:
            self.maybe_stream()
        elif self.size - self.reported >= progress_step(self.reported):
            self.report("more", self.size)

    def maybe_stream(self) -> None:
        """Say that the answer is being written, once it has been in the making STREAM_AFTER seconds."""
        if time.monotonic() >= self.stream_from:
            self.streaming = True
            self.report("stream", self.path, *self.head, self.size)

    def open(self) -> None:
        prefix = f"result-{os.getpid()}-"  # (ProcessWorker.kill)
        try:
            fd, self.path = tempfile.mkstemp(prefix=prefix, dir=self.spool_dir)
        except FileNotFoundError:  # the work folder was removed (a temp cleaner): made again
            os.makedirs(self.spool_dir, mode=0o700, exist_ok=True)
            fd, self.path = tempfile.mkstemp(prefix=prefix, dir=self.spool_dir)
        self.file = os.fdopen(fd, "wb", buffering=WRITE_BUFFER)
        self.hash = hashlib.sha256() if self.tag else None
        for chunk in self.chunks:
            self.file.write(chunk)
            if self.hash is not None:
                self.hash.update(chunk)
        self.chunks = []
        if self.notify is not None:
            self.maybe_stream()

    def report(self, *message) -> None:
        self.file.flush()
        self.reported = self.size
        self.notify(message)

    def answer(self) -> Answer:
        form, media = self.head
        if self.file is None:
            return Answer(form, media, b"".join(self.chunks))
        self.file.close()
        return Answer(form, media, b"", self.path, self.size, self.hash.hexdigest() if self.hash else "")

    def discard(self) -> None:
        """After a failure: the file, if there is one, removed (a streamed job's may already be:
        the server unlinks it when it opens it)."""
        if self.file is not None:
            self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            self.file = None


def progress_step(reported: int) -> int:
    """Bytes a streamed job's file grows by before its next progress report: as much again as was
    reported, within PROGRESS_EVERY and PROGRESS_MOST."""
    return min(max(PROGRESS_EVERY, reported), PROGRESS_MOST)


def spool(form: str, media: str, body: bytes, spool_dir: str | None, tag: bool = True) -> Answer:
    """The answer, its body moved into a file of the spool folder when it is large (and hashed
    for its ETag when `tag`)."""
    sink = SpoolWriter(len(body), spool_dir, (form, media), tag)
    sink.write(body)
    if sink.failure is not None:
        sink.discard()
        raise sink.failure
    return sink.answer()


def execute(store, job: Job, known: set[str] | None = None, spool_dir: str | None = None, notify=None) -> Answer:
    """Run one job against a store (in the worker process). `known`: the store's graph names;
    `notify`: where a streamed job's progress messages go (the worker's pipe)."""
    sink = result = None
    try:  # results are lazy: evaluation goes on while they are serialised
        result = engine.run(store, job.query, job.dataset, base_iri=job.base_iri, known=known)  # (prefixes: the Query's)
        media = job.media_type
        if spool_dir is None:  # (in the server's process: the answer stays in memory)
            return Answer(result.form, media, formats.serialize_result(result.form, result.value, media, job.max_bytes))
        sink = SpoolWriter(job.max_bytes, spool_dir, (result.form, media), job.tag, notify if job.stream else None)
        formats.write_result(result.form, result.value, media, sink, job.max_bytes)
        if sink.failure is not None:
            raise sink.failure
        return sink.answer()
    except OSError as exc:
        errors.forget_locals(exc)
        failure = sink.failure if sink is not None else None
        discard(sink)
        if failure is not None:
            raise errors.InternalError(f"the result could not be written to the spool folder: {failure}") from None
        raise errors.ForbiddenQuery(guard.SERVICE_REFUSED) from None  # the sandbox refused a socket (SERVICE)
    except (RuntimeError, ValueError) as exc:  # the engine's evaluation errors, about the query
        errors.forget_locals(exc)
        discard(sink)
        raise errors.QueryEvaluationError(f"the query could not be evaluated: {exc}") from None
    except BaseException as exc:
        errors.forget_locals(exc)
        discard(sink)
        raise
    finally:
        result = None  # (this frame is in the traceback of whatever it raised)


def discard(sink: SpoolWriter | None) -> None:
    if sink is not None:
        sink.discard()
