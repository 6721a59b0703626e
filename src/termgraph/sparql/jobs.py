"""A query job, its answer, and how a worker runs one (run, then serialise, capped in size)."""

from __future__ import annotations

from dataclasses import dataclass

from termgraph import errors
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


@dataclass(frozen=True)
class Answer:
    form: str
    media_type: str
    body: bytes


def execute(store, job: Job, known: set[str] | None = None) -> Answer:
    """Run one job against a store (in the worker process). `known`: the store's graph names."""
    from termgraph.sparql import engine, formats, guard, protocol

    try:  # results are lazy: evaluation goes on while they are serialised
        result = engine.run(store, job.query, job.dataset, base_iri=job.base_iri, known=known,
                            screen_service=job.screen_service)
        media = protocol.result_type(job.accept, result.form, job.format)
        body = formats.serialize_result(result.form, result.value, media, job.max_bytes)
    except OSError:  # the sandbox refused a socket (SERVICE)
        raise errors.ForbiddenQuery(guard.SERVICE_REFUSED) from None
    except (RuntimeError, ValueError) as exc:  # the engine's evaluation errors, about the query
        raise errors.QueryEvaluationError(f"the query could not be evaluated: {exc}") from None
    return Answer(result.form, media, body)
