"""One error envelope for every status (FastAPI's own 404/405/422 and an unexpected 500 too),
and errors that cross from the query executor with their type, status and fields intact."""

import asyncio
import logging

import pytest
from fastapi.testclient import TestClient

from termgraph import errors
from termgraph.executor.pool import Job
from termgraph.sparql.protocol import Dataset
from termgraph.sparql.query import read

ALL = sorted(errors.error_types().values(), key=lambda c: c.__name__)


def make(cls):
    if cls is errors.DataSyntaxError:
        return cls("data/x.ttl", "bad token", 7)
    if cls is errors.ValidationFailed:
        return cls("- claim:000-001: no stance", 1)
    if cls is errors.TooManyRequests:
        return cls("slow down", retry_after=30)
    if cls is errors.MethodNotAllowed:
        return cls("PUT is not allowed", allow="GET, HEAD")
    return cls(f"a {cls.__name__}")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_error_crosses_the_wire_intact(cls):
    import pickle

    original = make(cls)
    wire = pickle.loads(pickle.dumps(errors.to_wire(original)))  # as the worker pipe carries it
    back = errors.from_wire(wire)
    assert type(back) is cls and back.status == original.status and back.exit_code == original.exit_code
    assert back.message == original.message and back.fields == original.fields
    assert errors.envelope(back) == errors.envelope(original) and back.headers() == original.headers()


def test_fields_reach_the_envelope_and_headers():
    exc = errors.TooManyRequests("slow down", retry_after=30)
    assert errors.envelope(exc) == {"error": {"status": 429, "type": "TooManyRequests", "message": "slow down",
                                              "retry_after": 30}}
    assert exc.headers() == {"Retry-After": "30"} and exc.retry_after == 30
    syntax = errors.DataSyntaxError("data/x.ttl", "bad token", 7)
    assert str(syntax) == "data/x.ttl, line 7: bad token" and (syntax.path, syntax.line) == ("data/x.ttl", 7)


def test_a_bug_crosses_as_an_internal_error():
    back = errors.from_wire(errors.to_wire(ZeroDivisionError("division by zero")))
    assert type(back) is errors.InternalError and back.status == 500
    assert back.message == "ZeroDivisionError: division by zero"


def test_an_older_three_field_reply_is_read():
    back = errors.from_wire(("error", "QueryTimeout", "too slow"))
    assert type(back) is errors.QueryTimeout and back.fields == {}


def test_an_unknown_type_is_an_internal_error():
    assert type(errors.from_wire(("error", "NoSuchError", "x", {}))) is errors.InternalError


# --- the app: the same envelope whatever failed -----------------------------------------------------

@pytest.mark.parametrize("method,path,status,body,allow", [
    ("GET", "/no/such/page/here", 404, {"status": 404, "type": "NotFound",
                                        "message": "/no/such/page/here: no such page or resource (GET / lists what there is)"}, None),
    ("DELETE", "/health", 405, {"status": 405, "type": "MethodNotAllowed",
                                "message": "DELETE is not allowed on /health; use GET", "allow": "GET"}, "GET"),
    ("PUT", "/sparql", 405, {"status": 405, "type": "MethodNotAllowed", "allow": "GET, POST, HEAD, OPTIONS",
                             "message": "PUT is not a SPARQL protocol method: use GET or POST"}, "GET, POST, HEAD, OPTIONS"),
    ("GET", "/concept/no-such-thing", 404, {"status": 404, "type": "NotFound",
                                            "message": "<https://w3id.org/termgraph/concept/no-such-thing> is not in the graph"}, None),
    ("GET", "/sparql?query=ASK%20%7B&_mediatype=json", 400, None, None),
])
def test_error_envelope(client, method, path, status, body, allow):
    r = client.request(method, path, headers={"Accept": "application/json"})
    assert r.status_code == status and r.headers["content-type"] == "application/json"
    error = r.json()["error"]
    assert set(error) >= {"status", "type", "message"} and error["status"] == status
    if body is not None:
        assert error == body
    if allow:
        assert r.headers["allow"] == allow


def test_a_bad_parameter_is_a_422_in_the_envelope(service_state):
    from termgraph.web.app import create_app

    app = create_app(service_state)

    @app.get("/_typed")
    def typed(n: int):  # a route with a typed parameter, as FastAPI validates it
        return {"n": n}

    with TestClient(app) as c:
        r = c.get("/_typed", params={"n": "many"})
    assert r.status_code == 422
    assert r.json() == {"error": {"status": 422, "type": "InvalidParameter",
                                  "message": "query.n: Input should be a valid integer, unable to parse string as an integer"}}


def test_an_unexpected_500_is_logged_and_leaks_nothing(service_state, caplog):
    from termgraph.web.app import create_app

    app = create_app(service_state)

    @app.get("/_broken")
    def broken():
        raise RuntimeError("secret path /home/x and password hunter2")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "termgraph"):
        r = c.get("/_broken")
    assert r.status_code == 500
    assert r.json() == {"error": {"status": 500, "type": "InternalError", "message": errors.InternalError.GENERIC}}
    assert "hunter2" in caplog.text and "RuntimeError" in caplog.text


def test_a_bug_in_the_executor_is_a_generic_500_and_logged(service_state, caplog):
    job = Job(read("ASK {}"), Dataset(), "application/sparql-results+json", None, None)  # max_bytes None: the serialiser fails
    with pytest.raises(errors.InternalError) as info:
        asyncio.run(service_state.pool.run(job))
    assert info.value.message.startswith("TypeError: ")


BIG = Job(read("CONSTRUCT { ?a <http://e/p> ?b } WHERE { ?a ?x ?y . ?b ?z ?w }"), Dataset(),
          "application/n-triples", None, 1000)


def test_errors_keep_their_type_and_fields_from_the_inline_executor(service_state):
    with pytest.raises(errors.ResultTooLarge) as info:
        asyncio.run(service_state.pool.run(BIG))
    assert info.value.status == 422 and "larger than 1000 bytes" in info.value.message


@pytest.mark.live
def test_errors_keep_their_type_and_fields_across_the_worker_pipe(pooled_state):
    with pytest.raises(errors.ResultTooLarge) as info:
        asyncio.run(pooled_state.pool.run(BIG))
    assert info.value.status == 422 and "larger than 1000 bytes" in info.value.message
    with pytest.raises(errors.InternalError) as bug:
        asyncio.run(pooled_state.pool.run(Job(read("ASK {}"), Dataset(), "application/sparql-results+json", None, None)))
    assert bug.value.message.startswith("TypeError: ")


@pytest.mark.parametrize("failure, expected", [
    (RuntimeError("the engine failed mid-way"), errors.QueryEvaluationError),
    (errors.ResultTooLarge("the result is larger than 10 bytes; narrow the query or add LIMIT"), errors.ResultTooLarge),
])
def test_an_error_after_the_query_began_carries_no_engine_object(monkeypatch, failure, expected):
    """An error raised while a result is serialised (the engine's, or the size cap's) keeps no
    pyoxigraph result alive in its traceback's frames: such an object may be freed only on the
    thread that made it (pyo3: unsendable), and an exception kept in a reference cycle is freed by
    a garbage collection on whatever thread runs one ("... is unsendable, but is being dropped on
    another thread", and the object leaked)."""
    import pyoxigraph as ox

    from termgraph import formats
    from termgraph.executor.jobs import execute

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))

    def failing(form, value, media, out, cap):
        next(iter(value))  # the evaluation has begun
        raise failure
    monkeypatch.setattr(formats, "write_result", failing)
    job = Job(read("SELECT * WHERE { ?s ?p ?o }"), Dataset(), "application/sparql-results+json", None, 1_000_000)
    with pytest.raises(expected) as raised:
        execute(store, job, set())
    held, seen = [], set()
    todo = [raised.value]
    while todo:
        exc = todo.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        todo += [exc.__context__, exc.__cause__]
        tb = exc.__traceback__
        while tb is not None:
            held += [type(v).__name__ for v in tb.tb_frame.f_locals.values()  # (a Store may cross threads)
                     if type(v).__name__ in ("QuerySolutions", "QueryTriples", "QueryBoolean", "Result")]
            tb = tb.tb_next
    assert held == []
