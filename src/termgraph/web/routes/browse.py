"""Browsing pages: the graph viewer, the disagreement view, the query UI, graph exports."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from termgraph.web import graphview
from termgraph import namespaces as ns
from termgraph.web import render

router = APIRouter()
DRAW_CAP = 1500  # the viewer draws at most this many nodes (the best connected) and says so


def graph_of(request: Request) -> dict:
    state = request.app.state.termgraph
    if "graph" not in state.cache:
        state.cache["graph"] = graphview.model(state.store)
    return state.cache["graph"]


@router.get("/graph.cyjs", summary="The graph as Cytoscape.js JSON (also for Cytoscape desktop)")
def cytoscape(request: Request) -> JSONResponse:
    return JSONResponse(graphview.cytoscape_json(graph_of(request)),
                        headers={"Content-Disposition": 'inline; filename="termgraph.cyjs"'})


@router.get("/graph.graphml", summary="The graph as GraphML (Gephi, yEd, Cytoscape desktop)")
def graphml(request: Request) -> Response:
    return Response(graphview.graphml(graph_of(request)), media_type="application/graphml+xml",
                    headers={"Content-Disposition": 'attachment; filename="termgraph.graphml"'})


@router.get("/viewer", summary="Interactive graph viewer", include_in_schema=False)
def viewer(request: Request) -> Response:
    graph = graph_of(request)
    sources = sorted({s for e in graph["edges"] for s in e["sources"]})
    try:  # ?cap=N draws at most N nodes (10 to 5,000)
        cap = min(5000, max(10, int(request.query_params.get("cap", DRAW_CAP))))
    except ValueError:
        cap = DRAW_CAP
    return render.page(request, "viewer.html", title="Graph viewer", sources=sources, cap=cap,
                       total=len(graph["nodes"]))


DISAGREEMENTS = ns.sparql_prefixes() + """
SELECT ?s ?p ?o ?source ?stance ?sl ?pl ?ol WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; tg:stance ?stance ; prov:wasDerivedFrom ?source .
  FILTER (isIRI(?o))
  FILTER (?p NOT IN (schema:creator))
  OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?p rdfs:label ?pl } OPTIONAL { ?o rdfs:label ?ol }
}
"""


def matrix(store) -> tuple[list[str], list[dict]]:
    rows: dict[tuple, dict] = {}
    sources: set[str] = set()
    for r in store.query(DISAGREEMENTS, use_default_graph_as_union=True):
        key = (r["s"].value, r["p"].value, r["o"].value)
        row = rows.setdefault(key, {"s": key[0], "o": key[2], "cells": {},
                                    "label": " ".join(x.value if x is not None else "?" for x in (r["sl"], r["pl"], r["ol"]))})
        source = r["source"].value.rsplit("/", 1)[-1]
        sources.add(source)
        row["cells"].setdefault(source, set()).add(r["stance"].value.rsplit("#", 1)[-1].lower())
    for row in rows.values():
        stances = {st for v in row["cells"].values() for st in v}
        row["contested"] = len(stances) > 1 and len(row["cells"]) > 1
        row["cells"] = {k: "/".join(sorted(v)) for k, v in row["cells"].items()}
    ordered = sorted(rows.values(), key=lambda r: (not r["contested"], -len(r["cells"]), r["label"]))
    return sorted(sources), ordered


@router.get("/disagreements", summary="Claims by sources: who asserts, denies or qualifies what", include_in_schema=False)
def disagreements(request: Request) -> Response:
    sources, rows = matrix(request.app.state.termgraph.store)
    return render.page(request, "disagreements.html", title="Where sources disagree", sources=sources, rows=rows)


@router.get("/query", summary="Query UI (YASGUI) with the README's example queries", include_in_schema=False)
def query_ui(request: Request) -> Response:
    state = request.app.state.termgraph
    examples = []
    folder = state.settings.root / "queries" / "examples"
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip()
        examples.append({"name": title[:60], "query": ns.sparql_prefixes() + text})
    return render.page(request, "query.html", title="Query", examples=json.dumps(examples))
