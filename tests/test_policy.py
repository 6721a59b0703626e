"""What every answer says about who may use it (web/policy.py): CORS and the security headers,
and the one layer that applies them (web/manners.py), on the app."""

from __future__ import annotations

import pytest

from termgraph.web import policy

EXPOSED = b"Link, Content-Type, Content-Length, Retry-After, ETag, Last-Modified, Vary"


def test_a_cross_origin_answer_is_readable_by_any_origin_and_says_vary_origin_once():
    headers = [(b"content-type", b"text/plain"), (b"vary", b"Accept"), (b"vary", b"Accept-Encoding")]
    assert policy.with_cors(headers, b"https://a.example") == [
        (b"content-type", b"text/plain"), (b"access-control-allow-origin", b"*"),
        (b"access-control-expose-headers", EXPOSED), (b"vary", b"Accept, Accept-Encoding, Origin")]
    assert policy.with_cors([(b"content-type", b"text/plain")], None) == [
        (b"content-type", b"text/plain"), (b"vary", b"Origin")]


def test_security_headers_are_added_unless_the_answer_sets_its_own():
    own = [(b"content-security-policy", b"default-src 'none'")]
    added = policy.with_security_headers(own)
    assert added[0] == own[0] and [k for k, _ in added].count(b"content-security-policy") == 1
    assert {k for k, _ in added} == {k for k, _ in policy.SECURITY_HEADERS}


def request(method: str = "POST", **extra: str) -> dict:
    return {b"origin": b"https://a.example", b"access-control-request-method": method.encode(),
            **{k.replace("_", "-").encode(): v.encode() for k, v in extra.items()}}


def test_a_preflight_is_allowed_for_our_methods_with_any_requested_headers():
    status, headers, body = policy.preflight(request(access_control_request_headers="content-type, x-a"))
    assert (status, body) == (200, b"OK")
    assert dict(headers) == {
        b"vary": b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                 b"Access-Control-Request-Private-Network",
        b"access-control-allow-origin": b"*", b"access-control-allow-methods": b"GET, POST, HEAD, OPTIONS",
        b"access-control-max-age": b"86400", b"access-control-allow-headers": b"content-type, x-a",
        b"content-type": b"text/plain; charset=utf-8", b"content-length": b"2"}


@pytest.mark.parametrize("asked, refused", [
    (request("DELETE"), b"Disallowed CORS method"),
    (request(access_control_request_private_network="true"), b"Disallowed CORS private-network"),
    (request("PUT", access_control_request_private_network="true"), b"Disallowed CORS method, private-network"),
])
def test_a_preflight_for_another_method_or_the_private_network_is_refused(asked, refused):
    status, headers, body = policy.preflight(asked)
    assert (status, body) == (400, refused)
    assert dict(headers)[b"content-length"] == str(len(refused)).encode()


def test_only_options_with_an_origin_and_a_requested_method_is_a_preflight():
    assert policy.is_preflight("OPTIONS", request())
    assert not policy.is_preflight("GET", request())
    assert not policy.is_preflight("OPTIONS", {b"origin": b"https://a.example"})
    assert not policy.is_preflight("OPTIONS", {b"access-control-request-method": b"POST"})


def test_the_app_answers_a_preflight_with_the_security_headers_and_a_refusal_with_400(client):
    pre = client.options("/sparql", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"})
    assert (pre.status_code, pre.text) == (200, "OK")
    assert pre.headers["x-frame-options"] == "DENY" and pre.headers["access-control-max-age"] == "86400"
    refused = client.options("/terms", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "PUT"})
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS method")
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_a_post_answer_gets_cors_and_security_headers_but_no_validators(client):
    r = client.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query",
                                                          "Accept": "application/sparql-results+json",
                                                          "Origin": "https://a.example"})
    assert r.status_code == 200 and r.content == b'{"head":{},"boolean":true}'
    assert r.headers["access-control-allow-origin"] == "*" and r.headers["vary"] == "Accept, Origin"
    assert "etag" not in r.headers and "last-modified" not in r.headers
    assert r.headers["referrer-policy"] == "no-referrer"
