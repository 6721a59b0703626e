"""What every route needs from a request: the service's state, the public base URL, the client
(for fairness), the body within its cap, the negotiated format (_mediatype over format over Accept)
with its Link alternates, RDF responses, and whether a host is this machine. Routes import these,
never each other."""

from __future__ import annotations

import functools
import ipaddress

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response
from starlette.requests import ClientDisconnect

from termgraph import formats
from termgraph.errors import NotFound, PayloadTooLarge
from termgraph.sparql import protocol
from termgraph.web import views
from termgraph.web.state import ServiceState

def state_of(request: Request) -> ServiceState:
    return request.app.state.termgraph


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refused (413) as soon as it is known to be longer than `cap`: read from
    the ASGI messages themselves (Starlette's stream() adds a generator per request)."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise PayloadTooLarge(f"the request body is larger than {cap} bytes")
    body = b""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        body += message.get("body", b"")
        if len(body) > cap:
            raise PayloadTooLarge(f"the request body is larger than {cap} bytes")
        if not message.get("more_body", False):
            return body


def public_base(request: Request, state: ServiceState) -> str:
    """The service's public URL, ending in '/': the base_url setting, else the request's own,
    with X-Forwarded-Proto and X-Forwarded-Host taken together, only from a trusted proxy."""
    if state.settings.base_url:
        return state.settings.base_url.rstrip("/") + "/"
    proto, host = request.headers.get("x-forwarded-proto"), request.headers.get("x-forwarded-host")
    peer = request.client.host if request.client else None
    if proto and host and peer in state.settings.trusted_proxies and proto.split(",")[0].strip() in ("http", "https"):
        prefix = request.scope.get("root_path", "")
        return f"{proto.split(',')[0].strip()}://{host.split(',')[0].strip()}{prefix}/"
    scope, host = request.scope, request.headers.get("host")
    if host is not None and len(host) > 255:  # longer than any host name and port: not cached
        return str(request.base_url)
    return own_base(scope.get("scheme", "http"), host, tuple(scope["server"]) if scope.get("server") else None,
                    scope.get("app_root_path", scope.get("root_path", "")))


@functools.lru_cache(maxsize=256)  # per Host header: a few in practice, bounded whatever is sent
def own_base(scheme: str, host: str | None, server: tuple | None, root_path: str) -> str:
    """Starlette's base URL of a request with this scheme, Host header, server and root path."""
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root_path, "path": "/",
             "query_string": b"", "headers": headers}
    return str(Request(scope).base_url)


def client_of(request: Request, state: ServiceState) -> str:
    """Who is asking, for fairness: the peer's address, or, when the peer is a trusted proxy,
    the address it forwards (the last one of X-Forwarded-For: the one the proxy itself saw)."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and peer in state.settings.trusted_proxies:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def endpoint_url(request: Request, state: ServiceState) -> str:
    return public_base(request, state) + "sparql"


def alternates(path: str, offered: list[str]) -> str:
    return ", ".join(f'<{path}?_mediatype={t}>; rel="alternate"; type="{t}"' for t in offered if t != "text/html")


def chosen(request: Request, offered: list[str]) -> str:
    """The response policy: _mediatype over format over Accept."""
    return protocol.negotiate(request.headers.get("accept"), offered, protocol.override_of(request.query_params))


def rdf_response(triples, media: str, headers: dict) -> Response:
    return Response(formats.serialize_rdf(sorted(triples, key=str), media), media_type=media, headers=headers)


TERM_TYPES = ["text/html"] + formats.media_types(formats.GRAPH)  # from the format registry


def as_rdf(request: Request, iri: str, media: str, headers: dict) -> Response:
    triples = views.resource_triples(state_of(request).store, iri)
    if not triples:
        raise NotFound(f"<{iri}> is not in the graph")
    return Response(formats.serialize_rdf(triples, media), media_type=media, headers=headers)


def graph_response(request: Request, state: ServiceState, name: str | None) -> Response:
    """A named graph (or, with name None, the default graph) in the negotiated format."""
    offered = formats.media_types(formats.GRAPH) + [m for m in formats.media_types(formats.DATASET)
                                                     if m not in formats.GRAPH_FORMATS] + ["text/html"]
    media = protocol.negotiate(request.headers.get("accept"), offered, protocol.override_of(request.query_params))
    # A list, not pyoxigraph's iterator: an error's traceback keeps this frame, and the iterator
    # must not be dropped on another thread than the one that made it.
    quads = list(state.store.quads_for_pattern(None, None, None, ox.NamedNode(name) if name else ox.DefaultGraph()))
    if media == "text/html":  # a browser following a graph's link gets a page, not a download
        from termgraph.web import graphpage

        return graphpage.page(request, name, quads, len(quads))
    if media in formats.DATASET_FORMATS and media not in formats.GRAPH_FORMATS:
        items = sorted(quads, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    body = formats.serialize_rdf(items, media, state.settings.max_result_bytes)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False
