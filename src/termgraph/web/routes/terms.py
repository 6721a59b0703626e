"""Term IRIs dereference: HTML for browsers, Turtle / JSON-LD / N-Triples / RDF/XML for RDF clients."""

from __future__ import annotations

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
TERM_TYPES = ["text/html"] + formats.media_types(formats.GRAPH)  # from the format registry


def alternates(path: str) -> str:
    links = [f'<{path}?_mediatype={t}>; rel="alternate"; type="{t}"' for t in TERM_TYPES[1:]]
    return ", ".join(links)


def chosen_type(request: Request) -> str:
    return protocol.negotiate(request.headers.get("accept"), TERM_TYPES, protocol.override_of(request.query_params))


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
        body = formats.serialize_rdf(triples, media)
        return Response(body, media_type=media, headers=headers)
    view = describe.resource(state.store, iri)
    if view is None:
        raise NotFound(f"<{iri}> is not in the graph")
    return render.page(request, "term.html", headers=headers, view=view, kind=kind,
                       title=view.label, alternates=TERM_TYPES[1:])
