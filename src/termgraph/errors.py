"""One error type per kind of failure; each maps to one HTTP status and one CLI exit code."""


class TermgraphError(Exception):
    """Base class. `status` is the HTTP status, `exit_code` the CLI exit code; `retry_after`
    (seconds) becomes a Retry-After header when set."""

    status = 500
    exit_code = 2
    retry_after: int | None = None

    def with_retry_after(self, seconds: float) -> "TermgraphError":
        self.retry_after = max(1, int(-(-seconds // 1)))
        return self


class DataSyntaxError(TermgraphError):
    """An RDF file does not parse. Names the file and, where known, the line."""

    exit_code = 2

    def __init__(self, path, message: str, line: int | None = None):
        self.path, self.line = str(path), line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


class DataNotFound(TermgraphError):
    """A file or folder that should hold RDF does not exist."""

    exit_code = 2


class ValidationFailed(TermgraphError):
    """The data does not conform to the SHACL shapes; `report` is the plain-words report."""

    exit_code = 1

    def __init__(self, report: str, count: int):
        self.report, self.count = report, count
        super().__init__(f"the data does not conform to the shapes ({count} violation(s))\n{report}")


class QuerySyntaxError(TermgraphError):
    """A SPARQL query does not parse."""

    status = 400
    exit_code = 2


class QueryEvaluationError(TermgraphError):
    """The engine could not evaluate the query (an unknown function, an unbound SERVICE name…)."""

    status = 400
    exit_code = 2


class BadRequest(TermgraphError):
    """A protocol request that is malformed in some other way."""

    status = 400
    exit_code = 2


class ForbiddenQuery(TermgraphError):
    """A query that would reach outside the dataset (SERVICE, LOAD, FROM <remote>) or update it."""

    status = 400
    exit_code = 2


class NotAcceptable(TermgraphError):
    """No result format the client accepts."""

    status = 406


class UnsupportedMediaType(TermgraphError):
    """A request body of a type the endpoint does not take."""

    status = 415


class PayloadTooLarge(TermgraphError):
    status = 413


class UriTooLong(TermgraphError):
    status = 414


class QueryTimeout(TermgraphError):
    """The query ran past its time limit and was stopped (503, as other clients are still served)."""

    status = 503
    exit_code = 2


class ResultTooLarge(TermgraphError):
    """The result exceeds the configured cap: the client should narrow the query."""

    status = 422
    exit_code = 2


class TooManyRequests(TermgraphError):
    """The client has too many queries running or waiting, or used up its query-time budget."""

    status = 429


class Overloaded(TermgraphError):
    """The wait queue is full, or the service is shutting down: retry later (503 + Retry-After)."""

    status = 503


class QueryTooExpensive(TermgraphError):
    """The query needed more memory than a query may use; its worker was replaced."""

    status = 422


class QueryTooComplex(TermgraphError):
    """The query nests too deeply or has too many parts for the engine to run safely."""

    status = 400


class WorkerUnavailable(TermgraphError):
    """No query worker could be started or reached."""

    status = 503


class NotFound(TermgraphError):
    status = 404


class SandboxUnavailable(TermgraphError):
    """The query workers' network sandbox (seccomp) cannot be applied: the service must not start."""

    exit_code = 2


def to_wire(exc: TermgraphError) -> tuple:
    """An error as plain data, to cross the pipe from a query worker: (type, message, retry_after)."""
    return (type(exc).__name__, str(exc), exc.retry_after)


def from_wire(data: tuple) -> TermgraphError:
    """The error `to_wire` sent, rebuilt with its type (and so its status) and fields."""
    name, message, retry_after = data
    cls = globals().get(name)
    if not (isinstance(cls, type) and issubclass(cls, TermgraphError)):
        cls = TermgraphError
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.retry_after = retry_after
    return exc
