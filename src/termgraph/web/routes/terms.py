"""Term IRIs dereference: HTML for browsers, Turtle / JSON-LD / N-Triples / RDF/XML for RDF clients."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from termgraph.web import views as describe

from termgraph.sparql import formats

from termgraph.sparql import protocol
from termgraph import namespaces as ns
from termgraph.errors import NotFound
from termgraph.web import render

router = APIRouter()

KINDS = ("concept", "system", "org", "source", "claim", "contested")
TERM_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


def alternates(path: str) -> str:
    links = [f'<{path}?_mediatype={t}>; rel="alternate"; type="{t}"' for t in TERM_TYPES[1:]]
    return ", ".join(links)


def chosen_type(request: Request) -> str:
    override = request.query_params.get("_mediatype") or request.query_params.get("format")
    return protocol.negotiate(request.headers.get("accept"), TERM_TYPES, override)


@router.get("/{kind}/{name}", summary="Dereference a termgraph IRI (concept, system, org, source, claim)")
def term(kind: str, name: str, request: Request) -> Response:
    if kind not in KINDS:
        raise NotFound(f"/{kind}/…: not a kind of termgraph resource ({', '.join(KINDS)})")
    state = request.app.state.termgraph
    iri = f"{ns.BASE}{kind}/{name}"
    media = chosen_type(request)
    headers = {"Link": alternates(request.url.path), "Vary": "Accept"}
    if media != "text/html":
        triples = describe.resource_triples(state.store, iri)
        if not triples:
            raise NotFound(f"<{iri}> is not in the graph")
        body = ox.serialize(triples, format=formats.GRAPH_FORMATS[media], prefixes=ns.PREFIXES)
        return Response(body, media_type=media, headers=headers)
    view = describe.resource(state.store, iri)
    if view is None:
        raise NotFound(f"<{iri}> is not in the graph")
    return render.page(request, "term.html", headers=headers, view=view, kind=kind,
                       title=view.label, alternates=TERM_TYPES[1:])
