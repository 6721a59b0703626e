"""The landing page, the health check, the ontology (and its version IRI), the dataset's VoID
(also at /.well-known/void), the concept scheme, every named graph at its own IRI, the release
downloads and the offline API docs. HEAD, ETag and gzip come from manners.py."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from termgraph import namespaces as ns
from termgraph.graph import export
from termgraph.graph import load as loader
from termgraph.graph import skolem
from termgraph.graph.void import DATASET_IRI, void_triples
from termgraph.errors import NotFound
from termgraph import formats
from termgraph.web import page_queries as queries
from termgraph.web import render, views
from termgraph.web.manners import STREAMED, etag_of_digest
from termgraph.web.policy import policy_for_file
from termgraph.web.requests import TERM_TYPES, alternates, as_rdf, chosen, graph_response, public_base, rdf_response, state_of

router = APIRouter()
SWAGGER = "/static/vendor/swagger-ui-dist-5.35.0"

@router.get("/", summary="Landing page", include_in_schema=False)
def index(request: Request) -> Response:
    state = state_of(request)
    if "landing" not in state.cache:  # (the dataset never changes while served: read once, not per visit)
        store, names = state.store, views.names(state.store, state.cache).labels
        state.cache["landing"] = dict(
            counts=queries.counts(store), concepts=queries.listing(store, "tg:Concept"),
            systems=queries.listing(store, "tg:AISystem"), sources=sources_by_name(store, names),
            orgs=queries.listing(store, "schema:Organization"), per_source=per_source_files(store, names))
    return render.page(request, "index.html", title="termgraph", release_suffixes=list(export.FORMATS),
                       **state.cache["landing"])


def sources_by_name(store, names: dict[str, str]) -> list[tuple[str, str]]:
    """(IRI, full label) of each source, in the order of the short names the page shows first."""
    return sorted(queries.listing(store, "tg:Source"), key=lambda s: (names.get(s[0], s[1]).casefold(), s[0]))


def per_source_files(store, names: dict[str, str]) -> list[tuple[str, str]]:
    """(file name, source's name) of each per-source OWL file, by source."""
    return [(f"termgraph-source-{iri.rsplit('/', 1)[-1]}.ttl", names.get(iri, iri.rsplit("/", 1)[-1]))
            for iri in sorted(source.value for source in export.views(loader.LoadedData(store, [])).values())]


@router.get("/health", summary="Health check")
def health(request: Request) -> JSONResponse:
    state = state_of(request)
    executor = state.pool.health()  # every query executor offers health() (the pool, inline, remote)
    body = {"status": executor.get("status", "ok"), "graphs": len(state.sizes),
            "triples": sum(state.sizes.values()), "executor": executor}
    if state.quotes is not None:  # checked against the sources' texts, or why not (graph/texts.py)
        body["quotes"] = state.quotes.health()
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)


# --- release files ---------------------------------------------------------------------------------

@router.get("/download/{name}", summary="Release files (as written by termgraph export)")
def download(name: str, request: Request) -> Response:
    release = state_of(request).release  # written at start-up (web/state.py: write_release)
    if name not in release:
        raise NotFound(f"{name}: no such release file; available: {', '.join(release)}")
    fmt = formats.by_suffix("." + name.rsplit(".", 1)[-1])
    media = fmt.media_type if fmt else ("application/xml" if name.endswith(".xml") else "text/html")
    return html_file(release[name], media, {})


def html_file(path, media: str, headers: dict) -> FileResponse:
    """A release file, streamed (manners.py passes it through chunk by chunk, compressing on the
    fly, instead of holding it: the whole dataset's N-Quads are ~900 MB at ~3 M quads), with the
    ETag of its bytes; an HTML one (pyLODE's) with a CSP that allows its own <style> block by hash.
    (A sync route: the first hash of a file is read in the thread pool, not on the event loop.)"""
    if media == "text/html":
        headers = {**headers, "Content-Security-Policy": policy_for_file(str(path), path.stat().st_mtime_ns)}
    response = FileResponse(path, media_type=media, headers={**headers, "ETag": file_etag(path)})
    response.raw_headers.append((STREAMED, b"1"))
    return response


DIGESTS: dict[tuple, str] = {}  # (path, size, mtime) -> SHA-256 of a release file's bytes, once per file


def file_etag(path) -> str:
    status = path.stat()
    key = (str(path), status.st_size, status.st_mtime_ns)
    if key not in DIGESTS:
        with open(path, "rb") as handle:
            DIGESTS[key] = hashlib.file_digest(handle, "sha256").hexdigest()
    return etag_of_digest(DIGESTS[key])


# --- the ontology, its version, the concept scheme, the dataset, the graphs -------------------------

def graph_triples(store: ox.Store, graph: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]


ONTOLOGY_TYPES = ["text/html"] + formats.media_types(formats.GRAPH)


@router.get("/ontology", summary="The ontology (its IRI dereferences here): pyLODE HTML, or RDF")
def ontology(request: Request) -> Response:
    media = chosen(request, ONTOLOGY_TYPES)
    headers = {"Vary": "Accept", "Link": alternates("/ontology", ONTOLOGY_TYPES)}
    if media == "text/html":
        page = state_of(request).release.get("termgraph-ontology.html")
        if page is None:  # (a service built without its release files: build_state always writes them)
            raise NotFound("the ontology's HTML page is not among this service's release files; ask for RDF")
        return html_file(page, "text/html", headers)
    return rdf_response(graph_triples(state_of(request).store, ns.GRAPH_ONTOLOGY), media, headers)


def version_iris(store: ox.Store) -> set[str]:
    found = store.quads_for_pattern(ox.NamedNode(ns.ONTOLOGY), ox.NamedNode(ns.OWL + "versionIRI"), None, None)
    return {q.object.value for q in found}


@router.get("/ontology/{version}", summary="The ontology's version IRI: this version of the ontology")
def ontology_version(version: str, request: Request) -> Response:
    iri = f"{ns.ONTOLOGY}/{version}"
    if iri not in version_iris(state_of(request).store):
        raise NotFound(f"<{iri}> is not a version of the ontology served here (see /ontology)")
    return ontology(request)


@router.get("/dataset", summary="The dataset: its VoID description")
@router.get("/.well-known/void", summary="The dataset's VoID description (RFC 8615 well-known location)")
def dataset(request: Request) -> Response:
    state = state_of(request)
    media = chosen(request, formats.media_types(formats.GRAPH))
    triples = void_triples(state.sizes, state.store, public_base(request, state), tuple(export.release_names()))
    headers = {"Vary": "Accept", "Content-Location": "/dataset", "Link": f'<{DATASET_IRI}>; rel="describedby"'}
    return rdf_response(triples, media, headers)


@router.get("/graph/{rest:path}", summary="A named graph at its own IRI: its triples (or quads)")
def named_graph(rest: str, request: Request) -> Response:
    state = state_of(request)
    iri = ns.GRAPH + rest
    if skolem.GENID in "/" + rest:
        return skolem_node(request, iri)
    if iri not in state.sizes:  # a name with percent-escapes (a user's file's: graph/files.py) as sent
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        iri = ns.GRAPH + raw[raw.find("/graph/") + len("/graph/"):] if "/graph/" in raw else iri
    if iri not in state.sizes:
        raise NotFound(f"<{iri}>: no such graph (GET /sparql lists the named graphs)")
    return graph_response(request, state, iri)


def skolem_node(request: Request, iri: str) -> Response:
    """A blank node of a file, given an IRI by skolemisation (an OWL list's cell, say): its triples
    in the RDF format asked for; it has no page, so a browser gets Turtle (text it can show)."""
    media = chosen(request, TERM_TYPES)
    media = formats.media_types(formats.GRAPH)[0] if media == "text/html" else media
    return as_rdf(request, iri, media, {"Link": alternates(request.url.path, TERM_TYPES), "Vary": "Accept"})


# --- the API docs, offline --------------------------------------------------------------------------

@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    """Swagger UI from the vendored npm package (no CDN: it works without a network), started by
    a static script (templates/docs.html, static/docs.js): the pages' CSP allows no inline script."""
    return render.page(request, "docs.html", title="termgraph API", swagger=SWAGGER)
