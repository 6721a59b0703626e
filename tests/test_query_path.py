"""Queries go through the app's one stack (FastAPI's public API: the short way past it, a
FastAPI.__call__ override, gained 0.06 ms a request and was removed, see docs/performance.md):
their answers, headers and errors are those every other route gets."""

from __future__ import annotations

import asyncio



def test_a_query_gets_the_same_middleware_as_any_route(client):
    """Security headers, CORS, ETag, Last-Modified and 304 on a query, as on a page."""
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


def test_an_unexpected_failure_of_a_query_is_the_500_envelope(client, monkeypatch):
    from termgraph.web.routes import sparql

    async def broken(request, state, job):
        raise KeyError("broken")
    monkeypatch.setattr(sparql, "run_job", broken)
    from fastapi.testclient import TestClient

    r = TestClient(client.app, raise_server_exceptions=False).get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "InternalError" and "broken" not in r.text


def test_the_base_url_is_cached_per_ordinary_host_and_computed_for_a_long_one(client):
    from termgraph.web.requests import own_base

    own_base.cache_clear()
    for host in ("example.org", "example.org", "h" * 300):
        r = client.get("/sparql", headers={"Host": host, "Accept": "application/n-triples"})
        assert r.status_code == 200 and f"<http://{host}/sparql>".encode() in r.content
    assert own_base.cache_info().currsize == 1


def test_a_client_gone_while_sending_its_query_is_no_error_logged(client, caplog):
    sent: list[dict] = []
    scope = {"type": "http", "http_version": "1.1", "method": "POST", "scheme": "http", "path": "/sparql",
             "raw_path": b"/sparql", "root_path": "", "query_string": b"", "server": ("test", 80),
             "client": ("127.0.0.1", 1), "headers": [(b"content-type", b"application/sparql-query")]}

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
    with caplog.at_level("ERROR"):
        asyncio.run(client.app(scope, receive, send))
    assert caplog.text == "" and sent[0]["status"] == 400
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b""
