"""One error type per kind of failure; each maps to one HTTP status and one CLI exit code.

Every error has a one-line `message` and optional named `fields` (such as `retry_after` or a
file's `path` and `line`). The same three things make

- the HTTP error body (`envelope`): {"error": {"status", "type", "message", ...fields}};
- the tuple an error travels as between a query worker and the service (`to_wire` /
  `from_wire`), so that its type, status and fields arrive intact.

CLI exit codes follow pyshacl's: 1 invalid data, 2 unreadable input, a bad query or a bad setting.
"""

from __future__ import annotations

import traceback


class TermgraphError(Exception):
    """Base class. `status` is the HTTP status, `exit_code` the CLI exit code."""

    status = 500
    exit_code = 2

    def __init__(self, message: str = "", **fields):
        super().__init__(message)
        self.message = message
        self.fields = {k: v for k, v in fields.items() if v is not None}
        for key, value in self.fields.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return self.message

    def headers(self) -> dict[str, str]:
        """HTTP headers that go with this error: Retry-After when `retry_after` is set."""
        if "retry_after" in self.fields:
            return {"Retry-After": str(int(self.fields["retry_after"]))}
        return {}

    def with_retry_after(self, seconds: float) -> "TermgraphError":
        """Ask the client to retry after `seconds` (rounded up, at least 1)."""
        self.fields["retry_after"] = self.retry_after = max(1, int(-(-seconds // 1)))
        return self


class DataSyntaxError(TermgraphError):
    """An RDF file does not parse. Names the file and, where known, the line."""

    def __init__(self, path, message: str, line: int | None = None):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}", path=str(path), line=line)


class DataNotFound(TermgraphError):
    """A file or folder that should hold RDF does not exist, or two files would share a graph."""


class ValidationFailed(TermgraphError):
    """The data does not conform to the SHACL shapes; `report` is the plain-words report."""

    exit_code = 1

    def __init__(self, report: str, count: int):
        super().__init__(f"the data does not conform to the shapes ({count} violation(s))\n{report}",
                         report=report, count=count)


class BadSetting(TermgraphError):
    """A setting (an environment variable or a command-line value) that cannot be used."""


class PortInUse(TermgraphError):
    """The address `termgraph serve` should listen on is taken."""


class QuerySyntaxError(TermgraphError):
    """A SPARQL query does not parse."""

    status = 400


class BadRequest(TermgraphError):
    """A protocol request that is malformed in some other way."""

    status = 400


class ForbiddenQuery(TermgraphError):
    """A query that would reach outside the dataset (SERVICE, LOAD, FROM <remote>) or update it."""

    status = 400


class NotFound(TermgraphError):
    status = 404


class Gone(TermgraphError):
    """A published IRI whose resource was withdrawn (a retired claim number): it is never reused."""

    status = 410


class MethodNotAllowed(TermgraphError):
    """`allow` lists the methods the resource takes."""

    status = 405

    def headers(self) -> dict[str, str]:
        return {"Allow": self.fields["allow"]} if "allow" in self.fields else {}


class NotAcceptable(TermgraphError):
    """No result format the client accepts."""

    status = 406

    def headers(self) -> dict[str, str]:
        return {"Vary": "Accept"}


class PayloadTooLarge(TermgraphError):
    status = 413


class UriTooLong(TermgraphError):
    status = 414


class UnsupportedMediaType(TermgraphError):
    """A request body of a type the endpoint does not take."""

    status = 415


class ResultTooLarge(TermgraphError):
    """The result exceeds the configured cap: the client should narrow the query."""

    status = 422


class InvalidParameter(TermgraphError):
    """A request parameter of the wrong type or shape (FastAPI's own validation, as 422)."""

    status = 422


class TooManyRequests(TermgraphError):
    """The client has too many queries running or waiting, or used up its query-time budget;
    `retry_after` is in seconds."""

    status = 429


class Overloaded(TermgraphError):
    """The wait queue is full, the query was stopped for a lighter client, or the service is
    shutting down: retry later (503 with Retry-After)."""

    status = 503


class Starting(TermgraphError):
    """The service is still building its graph: every request is answered 503 with Retry-After
    until it is ready (web/starting.py)."""

    status = 503


class QueryTooExpensive(TermgraphError):
    """The query needed more memory than a query may use; its worker was replaced."""

    status = 422


class QueryTooComplex(TermgraphError):
    """The query nests too deeply or has too many parts for the engine to run safely."""

    status = 400


class QueryEvaluationError(TermgraphError):
    """The engine could not evaluate the query (an unknown function, an unbound SERVICE name…)."""

    status = 400


class WorkerUnavailable(TermgraphError):
    """No query worker could be started or reached."""

    status = 503


class QueryTimeout(TermgraphError):
    """The query ran past its time limit and was stopped (503, as other clients are still served)."""

    status = 503


class InternalError(TermgraphError):
    """A bug. The client sees only a generic message; the details go to the log."""

    status = 500
    GENERIC = "internal error: the service failed to answer this request (the details are in its log)"


class SandboxUnavailable(TermgraphError):
    """The query workers' network sandbox (seccomp) cannot be applied: the service must not start."""


def error_types() -> dict[str, type[TermgraphError]]:
    """Every error class by name (the wire format names the class)."""
    found, stack = {}, [TermgraphError]
    while stack:
        cls = stack.pop()
        found[cls.__name__] = cls
        stack.extend(cls.__subclasses__())
    return found


def envelope(exc: TermgraphError) -> dict:
    """The JSON body of an error response, the same for every status."""
    fields = {k: v for k, v in exc.fields.items() if k not in ("status", "type", "message")}
    return {"error": {"status": exc.status, "type": type(exc).__name__, "message": exc.message, **fields}}


def to_wire(exc: BaseException) -> tuple:
    """An error as a picklable tuple: ("error", type name, message, fields). Anything that is
    not a TermgraphError becomes an InternalError whose message names only its type."""
    if isinstance(exc, TermgraphError):
        return ("error", type(exc).__name__, exc.message, dict(exc.fields))
    return ("error", "InternalError", f"{type(exc).__name__}: {exc}", {})


def from_wire(reply: tuple) -> TermgraphError:
    """The error a to_wire() tuple stands for (older 3-tuples without fields are read too)."""
    name, message = reply[1], reply[2]
    fields = reply[3] if len(reply) > 3 else {}
    cls = error_types().get(name, InternalError)
    exc = TermgraphError.__new__(cls)
    TermgraphError.__init__(exc, message, **fields)
    return exc


def forget_locals(exc: BaseException) -> BaseException:
    """The frames an exception's traceback holds let go of their locals (the ones still running
    excepted), and the exception returned: a pyoxigraph result among them may be freed only on
    the thread that made it (pyo3: unsendable), and an exception in a reference cycle, or raised
    again on another thread, is freed wherever that happens ("... is unsendable, but is being
    dropped on another thread", and the object leaked)."""
    traceback.clear_frames(exc.__traceback__)
    return exc
