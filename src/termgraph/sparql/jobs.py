"""A query job, its answer, and how a worker runs one (run, then serialise, capped in size).

A result of more than SPOOL_OVER bytes is not sent through the worker's pipe: the worker writes
it into the spool folder and answers with the file's path, its size and a hash of its bytes; the
server streams it to the client from there as fast as the client reads (web/streaming.py), so
the server's memory does not grow with large results or slow readers, and the worker is free
for the next query as soon as the file is written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass

from termgraph import errors
from termgraph.sparql import engine, formats, guard, protocol
from termgraph.sparql.protocol import Dataset


@dataclass(frozen=True)
class Job:
    query: str
    dataset: Dataset
    accept: str | None
    format: str | None
    base_iri: str | None
    max_bytes: int
    screen_service: bool = True  # False only in tests of the sandbox: no client can set it
    tag: bool = True  # hash a spooled result for its ETag (False for a POST: its answer has none)


SPOOL_OVER = 256 << 10  # bytes: larger results go through a file, streamed to the client


@dataclass(frozen=True)
class Answer:
    form: str
    media_type: str
    body: bytes  # empty when the result is spooled
    path: str | None = None  # the spooled result (the server unlinks it when it opens it)
    size: int = 0
    digest: str = ""  # sha256 of the spooled bytes, hex (an ETag without reading them again), if asked

    def read(self) -> bytes:
        """The whole body, spooled or not (for answers turned into a page)."""
        if self.path is None:
            return self.body
        with open(self.path, "rb") as f:
            os.unlink(self.path)
            return f.read()


def spool(form: str, media: str, body: bytes, spool_dir: str | None, tag: bool = True) -> Answer:
    """The answer, its body moved into a file of the spool folder when it is large (and hashed
    for its ETag when `tag`)."""
    if spool_dir is None or len(body) <= SPOOL_OVER:
        return Answer(form, media, body)
    fd, path = tempfile.mkstemp(prefix=f"result-{os.getpid()}-", dir=spool_dir)  # (see ProcessWorker.kill)
    with os.fdopen(fd, "wb") as f:
        f.write(body)
    return Answer(form, media, b"", path, len(body), hashlib.sha256(body).hexdigest() if tag else "")


def execute(store, job: Job, known: set[str] | None = None, spool_dir: str | None = None) -> Answer:
    """Run one job against a store (in the worker process). `known`: the store's graph names."""
    try:  # results are lazy: evaluation goes on while they are serialised
        result = engine.run(store, job.query, job.dataset, base_iri=job.base_iri, known=known,
                            screen_service=job.screen_service)
        media = protocol.result_type(job.accept, result.form, job.format)
        body = formats.serialize_result(result.form, result.value, media, job.max_bytes)
    except OSError:  # the sandbox refused a socket (SERVICE)
        raise errors.ForbiddenQuery(guard.SERVICE_REFUSED) from None
    except (RuntimeError, ValueError) as exc:  # the engine's evaluation errors, about the query
        raise errors.QueryEvaluationError(f"the query could not be evaluated: {exc}") from None
    return spool(result.form, media, body, spool_dir, job.tag)
