"""/sparql (SPARQL 1.1 Protocol, queries only) and /rdf-graphs (Graph Store Protocol, read side)."""

from __future__ import annotations

import time

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from termgraph.sparql import formats

from termgraph.sparql import protocol
from termgraph.errors import BadRequest, NotFound, PayloadTooLarge
from termgraph.sparql.pool import Job, run_while_connected
from termgraph.sparql.service_description import describe
from termgraph.web.service import ServiceState
from termgraph.web import render

router = APIRouter()

QUERY_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "a SPARQL 1.1 query"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "graphs whose merge is the default graph (overrides FROM)"},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "the named graphs (overrides FROM NAMED)"},
    {"name": "format", "in": "query", "schema": {"type": "string"},
     "description": "result format, overriding Accept: json, xml, csv, tsv, turtle, nt, jsonld, rdfxml"},
]
ALLOW = "GET, POST, HEAD, OPTIONS"


def state_of(request: Request) -> ServiceState:
    return request.app.state.termgraph


async def read_body(request: Request, cap: int) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise PayloadTooLarge(f"the request body is larger than {cap} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise PayloadTooLarge(f"the request body is larger than {cap} bytes")
    return bytes(body)


def endpoint_url(request: Request, state: ServiceState) -> str:
    base = state.settings.base_url or str(request.base_url)
    return base.rstrip("/") + "/sparql"


SPARQL_DOC = {"parameters": QUERY_PARAMETERS, "requestBody": {"content": {
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}}}}}


@router.get("/sparql", summary="SPARQL query (GET ?query=), or the service description without a query",
            openapi_extra={"parameters": QUERY_PARAMETERS})
@router.head("/sparql", include_in_schema=False)
@router.post("/sparql", summary="SPARQL query (POST form-encoded or application/sparql-query)",
             openapi_extra=SPARQL_DOC)
async def sparql(request: Request) -> Response:
    state = state_of(request)
    settings = state.settings
    body = await read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
    limits = protocol.Limits(settings.max_body_bytes, settings.max_query_string)
    parsed = protocol.parse_request(request.method, request.url.query, request.headers.get("content-type"),
                                    body, limits)
    if parsed is None:
        return service_description(request, state)
    job = Job(parsed.query, parsed.dataset, request.headers.get("accept"), parsed.format,
              endpoint_url(request, state), settings.max_result_bytes)
    client = request.client.host if request.client else "unknown"
    answer = await run_while_connected(state.pool, job, client, request.is_disconnected)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def wrong_method(request: Request) -> Response:
    return Response(
        content=f'{{"error": {{"status": 405, "type": "MethodNotAllowed", "message": "{request.method} is not '
                f'a SPARQL protocol method: use GET or POST"}}}}',
        status_code=405, media_type="application/json", headers={"Allow": ALLOW})


@router.options("/sparql", include_in_schema=False)
async def options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


SD_TYPES = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]


def service_description(request: Request, state: ServiceState) -> Response:
    override = request.query_params.get("format") or request.query_params.get("_mediatype")
    media = protocol.negotiate(request.headers.get("accept"), SD_TYPES + ["text/html"], override)
    triples = describe(endpoint_url(request, state), state.sizes, state.store)
    if media == "text/html":
        return render.page(request, "sparql.html", title="SPARQL endpoint",
                           endpoint=endpoint_url(request, state), sizes=state.sizes)
    body = ox.serialize(triples, format=formats.GRAPH_FORMATS[media], prefixes=SD_PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


SD_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#", "void": "http://rdfs.org/ns/void#",
               "dcterms": "http://purl.org/dc/terms/", "formats": "http://www.w3.org/ns/formats/"}


@router.get("/rdf-graphs", summary="Graph Store Protocol (read): one graph of the dataset",
            openapi_extra={"parameters": [
                {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "the graph's IRI"},
                {"name": "default", "in": "query", "schema": {"type": "string"}, "allowEmptyValue": True,
                 "description": "the default graph (the union of all graphs)"}]})
def rdf_graphs(request: Request) -> Response:
    state = state_of(request)
    params = request.query_params
    if ("graph" in params) == ("default" in params):
        raise BadRequest("give exactly one of ?graph=IRI or ?default")
    media = protocol.negotiate(request.headers.get("accept"), protocol.GRAPH_TYPES, params.get("format"))
    if "default" in params:
        quads = state.store.quads_for_pattern(None, None, None, None)
    else:
        name = params["graph"]
        if name not in state.sizes:
            raise NotFound(f"<{name}>: no such graph (GET /sparql lists the named graphs)")
        quads = state.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    out = formats.CappedWriter(state.settings.max_result_bytes)
    ox.serialize(triples, out, formats.GRAPH_FORMATS[media], prefixes=formats.ns.PREFIXES)
    return Response(out.getvalue(), media_type=media, headers={"Vary": "Accept"})
