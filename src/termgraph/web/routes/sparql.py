"""/sparql (SPARQL 1.1 Protocol, queries only) and /rdf-graphs (Graph Store Protocol, read side)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from termgraph import namespaces as ns
from termgraph.errors import BadRequest, MethodNotAllowed, NotFound
from termgraph import formats
from termgraph.sparql import protocol
from termgraph.sparql.query import CACHED_UP_TO, Query, read
from termgraph.executor.interface import Job, run_while_connected
from termgraph.sparql.service_description import describe
from termgraph.graph.export import release_names
from termgraph.web.state import ServiceState
from termgraph.web import render, results_page
from termgraph.web.streaming import result_response
from termgraph.web.requests import client_of, endpoint_url, graph_response, public_base, read_body, state_of

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
    query = await read_query(parsed.query)  # once: the job carries what was read, the executor only runs it
    media = protocol.result_type(request.headers.get("accept"), query.form, parsed.format, html=True)
    html = media == "text/html"  # (the page is made from an answer of one row per line: results_page.py)
    job = Job(query, parsed.dataset, results_page.CARRIER[query.form] if html else media,
              endpoint_url(request, state), settings.max_result_bytes,
              tag=request.method == "GET",  # (HEAD arrives here as GET: manners.py)
              stream=request.method == "POST")  # (no ETag to send first)
    answer = await run_job(request, state, job)
    if html:
        return await results_page.results_page(request, parsed.query, answer, charger(request, state),
                                               {"Vary": "Accept"})
    return result_response(answer, {"Vary": "Accept"})


async def read_query(text: str) -> Query:
    """The query, read once (sparql/query.py), with termgraph's prefixes predeclared; a long one is
    read in a thread, so the event loop (every other client's requests, /health) keeps its turns."""
    if len(text) <= CACHED_UP_TO:
        return read(text, ns.PREFIX_ITEMS)
    return await asyncio.to_thread(read, text, ns.PREFIX_ITEMS)


def query_string(request: Request) -> str:
    """The query string as sent (what `request.url.query` gives, without building the whole URL)."""
    try:
        return request.scope.get("query_string", b"").decode()
    except UnicodeDecodeError:
        raise BadRequest("the query string is not UTF-8: percent-encode the query") from None


async def run_job(request: Request, state: ServiceState, job: Job):
    client = client_of(request, state)
    return await run_while_connected(state.pool, job, client, request.is_disconnected)


def charger(request: Request, state: ServiceState):
    """What charges the client for work done for it outside its query (its results page: fairness.py)."""
    ledger, client = getattr(state.pool, "ledger", None), client_of(request, state)
    return (lambda seconds: ledger.charge(client, seconds)) if ledger is not None else (lambda seconds: None)


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
                           description_formats=formats.format_names(formats.GRAPH), prefixes=ns.PREFIX_ITEMS)
    triples = describe(endpoint_url(request, state), state.sizes, state.store, public_base(request, state),
                       tuple(release_names()))
    body = formats.serialize_rdf(triples, media, prefixes=SD_PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


SD_PREFIXES = {"sd": ns.SD, "void": ns.VOID, "dcterms": ns.DCTERMS, "formats": ns.FORMATS, **ns.PREFIXES}


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


