"""The short way for queries (web/query_path.py): which requests take it, and that its answers
and errors are the router's."""

from __future__ import annotations

import asyncio

from fastapi.responses import JSONResponse, PlainTextResponse

from termgraph import errors
from termgraph.web.query_path import QueryPathMiddleware, route_path


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


async def router(scope, receive, send):
    await PlainTextResponse("router")(scope, receive, send)


async def handler(request):
    return PlainTextResponse("handler")


async def refusing(request):
    raise errors.BadRequest("no")


async def on_error(request, exc):
    return JSONResponse(errors.envelope(exc), status_code=exc.status)


def body(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_get_and_post_of_sparql_take_the_short_way_everything_else_the_router():
    middleware = QueryPathMiddleware(router, handler, on_error)
    assert body(call(middleware, "GET", "/sparql")) == b"handler"
    assert body(call(middleware, "POST", "/sparql")) == b"handler"
    assert body(call(middleware, "OPTIONS", "/sparql")) == b"router"
    assert body(call(middleware, "PUT", "/sparql")) == b"router"
    assert body(call(middleware, "GET", "/sparql/")) == b"router"
    assert body(call(middleware, "GET", "/rdf-graphs")) == b"router"


def test_the_path_is_matched_below_the_root_path():
    assert route_path({"path": "/tg/sparql", "root_path": "/tg"}) == "/sparql"
    assert route_path({"path": "/sparql", "root_path": ""}) == "/sparql"
    middleware = QueryPathMiddleware(router, handler, on_error)
    assert body(call(middleware, "GET", "/tg/sparql", root_path="/tg")) == b"handler"


def test_an_error_gets_the_error_handlers_answer():
    sent = call(QueryPathMiddleware(router, refusing, on_error), "GET", "/sparql")
    assert sent[0]["status"] == 400
    assert body(sent) == b'{"error":{"status":400,"type":"BadRequest","message":"no"}}'


def test_the_base_url_is_cached_per_ordinary_host_and_computed_for_a_long_one(client):
    from termgraph.web.routes.sparql import own_base

    own_base.cache_clear()
    for host in ("example.org", "example.org", "h" * 300):
        r = client.get("/sparql", headers={"Host": host, "Accept": "application/n-triples"})
        assert r.status_code == 200 and f"<http://{host}/sparql>".encode() in r.content
    assert own_base.cache_info().currsize == 1
