"""/sparql (SPARQL 1.1 Protocol, queries only) and /rdf-graphs (Graph Store Protocol, read side)."""

from __future__ import annotations

import functools
import json

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.requests import ClientDisconnect
from fastapi.responses import Response

from termgraph import namespaces as ns
from termgraph.errors import BadRequest, MethodNotAllowed, NotFound, PayloadTooLarge
from termgraph import formats
from termgraph.sparql import guard, protocol
from termgraph.executor.pool import Job, run_while_connected
from termgraph.sparql.service_description import describe
from termgraph.web.state import ServiceState
from termgraph.web import render
from termgraph.web.streaming import result_response

router = APIRouter()

QUERY_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "a SPARQL 1.1 query"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "graphs whose merge is the default graph (overrides FROM)"},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "the named graphs (overrides FROM NAMED)"},
    {"name": "_mediatype", "in": "query", "schema": {"type": "string"},
     "description": "result format, overriding format= and Accept: a media type or one of "
                    + ", ".join(formats.format_names(formats.SOLUTIONS) + formats.format_names(formats.GRAPH))
                    + ", html"},
    {"name": "format", "in": "query", "schema": {"type": "string"},
     "description": "result format, overriding Accept (the same values as _mediatype)"},
]
ALLOW = "GET, POST, HEAD, OPTIONS"


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


SPARQL_DOC = {"parameters": QUERY_PARAMETERS, "requestBody": {"content": {
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}}}}}


@router.get("/sparql", summary="SPARQL query (GET ?query=), or the service description without a query",
            openapi_extra={"parameters": QUERY_PARAMETERS})
@router.post("/sparql", summary="SPARQL query (POST form-encoded or application/sparql-query)",
             openapi_extra=SPARQL_DOC)
async def sparql(request: Request) -> Response:
    """Read the request, choose the result format here (the response policy in protocol.py),
    and let the executor only run and serialise. A browser gets the results as an HTML table."""
    state = state_of(request)
    settings = state.settings
    body = await read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
    limits = protocol.Limits(settings.max_body_bytes, settings.max_query_string)
    parsed = protocol.parse_request(request.method, query_string(request), request.headers.get("content-type"),
                                    body, limits)
    if parsed is None:
        return service_description(request, state)
    form = guard.inspect(parsed.query, ns.PREFIX_ITEMS).form or "SELECT"
    media = protocol.result_type(request.headers.get("accept"), form, parsed.format, html=True)
    sent_as = media if media != "text/html" else HTML_CARRIER[form in ("SELECT", "ASK")]
    job = Job(parsed.query, parsed.dataset, None, sent_as, endpoint_url(request, state), settings.max_result_bytes,
              tag=request.method == "GET",  # (HEAD arrives here as GET: manners.py)
              stream=request.method == "POST" and media != "text/html")  # (no ETag to send first)
    answer = await run_job(request, state, job)
    if media == "text/html":
        return results_page(request, parsed.query, answer)
    return result_response(answer, {"Vary": "Accept"})


def query_string(request: Request) -> str:
    """The query string as sent (what `request.url.query` gives, without building the whole URL)."""
    try:
        return request.scope.get("query_string", b"").decode()
    except UnicodeDecodeError:
        raise BadRequest("the query string is not UTF-8: percent-encode the query") from None


HTML_CARRIER = {True: "application/sparql-results+json", False: "application/n-triples"}


async def run_job(request: Request, state: ServiceState, job: Job):
    client = client_of(request, state)
    return await run_while_connected(state.pool, job, client, request.is_disconnected)


def results_page(request: Request, query: str, answer) -> Response:
    """A result as an HTML table whose IRIs are links (a CONSTRUCT as subject, predicate, object)."""
    body = answer.read()
    if answer.media_type == "application/sparql-results+json":
        data = json.loads(body)
        variables, rows = data.get("head", {}).get("vars", []), data.get("results", {}).get("bindings", [])
        boolean = data.get("boolean")
    else:
        variables, boolean = ["subject", "predicate", "object"], None
        rows = [dict(zip(variables, map(binding, (t.subject, t.predicate, t.object))))
                for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    kind = formats.SOLUTIONS if answer.media_type == "application/sparql-results+json" else formats.GRAPH
    alternates = [(f.name, str(request.url.include_query_params(_mediatype=f.name)))
                  for f in formats.of_kind(kind)] if request.method == "GET" else []
    return render.page(request, "results.html", title="Query results", query=query, variables=variables,
                       rows=rows, boolean=boolean, alternates=alternates, headers={"Vary": "Accept"})


def binding(term) -> dict:
    """A pyoxigraph term as a SPARQL JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != ns.XSD + "string":
        out["datatype"] = term.datatype.value
    return out


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def wrong_method(request: Request) -> Response:
    raise MethodNotAllowed(f"{request.method} is not a SPARQL protocol method: use GET or POST", allow=ALLOW)


@router.options("/sparql", include_in_schema=False)
async def options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


def service_description(request: Request, state: ServiceState) -> Response:
    offered = formats.media_types(formats.GRAPH) + ["text/html"]
    media = protocol.negotiate(request.headers.get("accept"), offered, protocol.override_of(request.query_params))
    if media == "text/html":
        return render.page(request, "sparql.html", title="SPARQL endpoint", headers={"Vary": "Accept"},
                           endpoint=endpoint_url(request, state), sizes=state.sizes,
                           result_formats=formats.format_names(formats.SOLUTIONS) + formats.format_names(formats.GRAPH),
                           description_formats=formats.format_names(formats.GRAPH))
    triples = describe(endpoint_url(request, state), state.sizes, state.store, public_base(request, state))
    body = formats.serialize_rdf(triples, media, prefixes=SD_PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


SD_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#", "void": "http://rdfs.org/ns/void#",
               "dcterms": "http://purl.org/dc/terms/", "formats": "http://www.w3.org/ns/formats/",
               **formats.ns.PREFIXES}


@router.get("/rdf-graphs", summary="Graph Store Protocol (read): one graph of the dataset",
            openapi_extra={"parameters": [
                {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "the graph's IRI"},
                {"name": "default", "in": "query", "schema": {"type": "string"}, "allowEmptyValue": True,
                 "description": "the default graph (undisputed facts, the ontology, curated data, claims)"}]})
def rdf_graphs(request: Request) -> Response:
    """One graph (?graph=IRI) or the default graph (?default: the store's own, not a union). Quad formats (TriG,
    N-Quads, JSON-LD asked for as a dataset) keep each triple's graph name."""
    state = state_of(request)
    params = request.query_params
    if ("graph" in params) == ("default" in params):
        raise BadRequest("give exactly one of ?graph=IRI or ?default")
    name = params.get("graph")
    if name is not None and name not in state.sizes:
        raise NotFound(f"<{name}>: no such graph (GET /sparql lists the named graphs)")
    return graph_response(request, state, name)


def graph_response(request: Request, state: ServiceState, name: str | None) -> Response:
    """A named graph (or, with name None, the default graph) in the negotiated format."""
    offered = formats.media_types(formats.GRAPH) + [m for m in formats.media_types(formats.DATASET)
                                                     if m not in formats.GRAPH_FORMATS]
    media = protocol.negotiate(request.headers.get("accept"), offered, protocol.override_of(request.query_params))
    # A list, not pyoxigraph's iterator: an error's traceback keeps this frame, and the iterator
    # must not be dropped on another thread than the one that made it.
    quads = list(state.store.quads_for_pattern(None, None, None, ox.NamedNode(name) if name else ox.DefaultGraph()))
    if media in formats.DATASET_FORMATS and media not in formats.GRAPH_FORMATS:
        items = sorted(quads, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    body = formats.serialize_rdf(items, media, state.settings.max_result_bytes)
    return Response(body, media_type=media, headers={"Vary": "Accept"})
