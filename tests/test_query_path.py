"""The short way for queries (web/query_path.py): which requests take it, and that its answers,
headers and errors are those every other route gets."""

from __future__ import annotations

import asyncio

from fastapi.responses import JSONResponse, PlainTextResponse

from termgraph import errors
from termgraph.web.query_path import QueryEndpoint, is_query, route_path


def call(middleware, method: str, path: str, root_path: str = "") -> list[dict]:
    scope = {"type": "http", "method": method, "path": path, "root_path": root_path, "query_string": b"",
             "headers": [], "http_version": "1.1", "scheme": "http", "server": ("test", 80)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)
    asyncio.run(middleware(scope, receive, send))
    return sent


async def handler(request):
    return PlainTextResponse("handler")


async def refusing(request):
    raise errors.BadRequest("no")


async def on_error(request, exc):
    return JSONResponse(errors.envelope(exc), status_code=exc.status)


def body(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def scope_of(method: str, path: str, root_path: str = "") -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": root_path}


def test_get_head_and_post_of_sparql_take_the_short_way_everything_else_the_router():
    assert [m for m in ("GET", "HEAD", "POST", "OPTIONS", "PUT") if is_query(scope_of(m, "/sparql"))] == \
        ["GET", "HEAD", "POST"]
    assert not is_query(scope_of("GET", "/sparql/"))
    assert not is_query(scope_of("GET", "/rdf-graphs"))
    assert not is_query({"type": "websocket", "method": "GET", "path": "/sparql"})


def test_the_path_is_matched_below_the_root_path():
    assert route_path({"path": "/tg/sparql", "root_path": "/tg"}) == "/sparql"
    assert route_path({"path": "/sparql", "root_path": ""}) == "/sparql"
    assert is_query(scope_of("GET", "/tg/sparql", root_path="/tg"))


async def failing(request):
    raise KeyError("broken")


async def on_unexpected(request, exc):
    return JSONResponse(errors.envelope(errors.InternalError("the service failed")), status_code=500)


def test_the_endpoint_answers_with_the_handler_or_the_error_handlers():
    assert body(call(QueryEndpoint(handler, on_error, on_unexpected), "GET", "/sparql")) == b"handler"
    sent = call(QueryEndpoint(refusing, on_error, on_unexpected), "GET", "/sparql")
    assert sent[0]["status"] == 400
    assert body(sent) == b'{"error":{"status":400,"type":"BadRequest","message":"no"}}'
    sent = call(QueryEndpoint(failing, on_error, on_unexpected), "GET", "/sparql")
    assert sent[0]["status"] == 500 and b'"type":"InternalError"' in body(sent)


def test_a_query_gets_the_same_middleware_as_any_route(client):
    """Security headers, CORS, ETag, Last-Modified and 304 on the short way, as on a page."""
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org",
                                                                    "Accept": "application/sparql-results+json"})
    page = client.get("/", headers={"Origin": "https://example.org"})
    for name in ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy",
                 "access-control-allow-origin", "last-modified"):
        assert r.headers[name] == page.headers[name], name
    assert r.headers["etag"].startswith('W/"')
    again = client.get("/sparql", params={"query": "ASK {}"}, headers={"If-None-Match": r.headers["etag"],
                                                                        "Accept": "application/sparql-results+json"})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == r.headers["content-length"]


def test_an_unexpected_failure_on_the_short_way_is_the_500_envelope(client, monkeypatch):
    from termgraph.web.routes import sparql

    async def broken(request, state, job):
        raise KeyError("broken")
    monkeypatch.setattr(sparql, "run_job", broken)
    r = client.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "InternalError" and "broken" not in r.text


def test_the_base_url_is_cached_per_ordinary_host_and_computed_for_a_long_one(client):
    from termgraph.web.requests import own_base

    own_base.cache_clear()
    for host in ("example.org", "example.org", "h" * 300):
        r = client.get("/sparql", headers={"Host": host, "Accept": "application/n-triples"})
        assert r.status_code == 200 and f"<http://{host}/sparql>".encode() in r.content
    assert own_base.cache_info().currsize == 1


def test_a_client_gone_while_sending_its_query_gets_no_answer_and_no_error_logged(caplog):
    from starlette.requests import ClientDisconnect

    async def gone(request):
        raise ClientDisconnect()
    with caplog.at_level("ERROR"):
        assert call(QueryEndpoint(gone, on_error, on_unexpected), "POST", "/sparql") == []
    assert caplog.text == ""
