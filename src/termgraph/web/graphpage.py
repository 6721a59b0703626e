"""A named graph (or the default graph) as an HTML page, for a browser that follows a graph's
link (/rdf-graphs?graph=…, /graph/…): what the graph holds, its size, its first triples, and the
whole graph in each RDF format. Other clients get RDF (routes/sparql.py:graph_response)."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse

from termgraph import namespaces as ns
from termgraph import formats
from termgraph.graph.files import user_graph
from termgraph.graph.void import name_in_file
from termgraph.web import render

SHOWN = 100  # triples listed on the page; the rest are in the downloads

KINDS = [  # (IRI prefix, what a graph of that kind holds)
    (ns.GRAPH_CLAIMS, "the claims of source {n}: each statement it makes, with its stance and quote"),
    (ns.GRAPH_VIEW, "the statements source {n} asserts, as plain triples: the world according to that source"),
    (ns.GRAPH_USER, "the file {n}, added by the operator"),
    (ns.GRAPH_ONTOLOGY, "termgraph's ontology: its classes and properties"),
    (ns.GRAPH_CURATED, "the curated data: the terms, systems, organisations and sources"),
    (ns.GRAPH_DISAGREEMENTS, "where the sources disagree, one tg:Disagreement each"),
]
DEFAULT = ("the default graph (what a query sees without GRAPH or FROM): the ontology, the curated data, "
           "the claims, the disagreements, and as plain triples only the statements no source disputes")


def holds(name: str | None) -> str:
    """What the graph holds, in words."""
    if name is None:
        return DEFAULT
    of_file = user_graph(name)
    if of_file is not None and name != ns.GRAPH_USER + of_file[0]:
        return f"a graph of the file {of_file[0]}, added by the operator" + name_in_file(of_file[1], " ({})")
    for prefix, words in KINDS:
        if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
            return words.format(n=name[len(prefix):])
    return "a named graph of the dataset"


def cell(term) -> dict:
    if isinstance(term, ox.NamedNode):
        # an ontology term links to the ontology's page (not every term has an anchor of its own there)
        href = "/ontology" if term.value.startswith(ns.TG) else render.local_path(term.value)
        return {"iri": term.value, "href": href, "short": formats.shorten(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value}
    return {"text": term.value}


def page(request: Request, name: str | None, quads: list, size: int) -> HTMLResponse:
    triples = sorted({(q.subject, q.predicate, q.object) for q in quads}, key=str)[:SHOWN]
    here = request.url.remove_query_params(["_mediatype", "format"])
    downloads = [(f.name, str(here.include_query_params(_mediatype=f.name))) for f in formats.of_kind(formats.GRAPH)]
    title = ("The default graph" if name is None
             else f"Graph {name[len(ns.GRAPH):]}" if name.startswith(ns.GRAPH) else f"Graph <{name}>")
    return render.page(request, "graph.html", title=title, name=name, holds=holds(name), size=size,
                       rows=[[cell(t) for t in triple] for triple in triples], downloads=downloads,
                       headers={"Vary": "Accept"})
