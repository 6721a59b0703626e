"""Browsing pages: the viewer and its JSON, the disagreement matrix, compare, search, the query UI,
graph exports."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from termgraph import namespaces as ns
from termgraph.errors import BadRequest
from termgraph.web import disagreements as dis
from termgraph.web import graphview, render, search, tables, views
from termgraph.web.requests import state_of

router = APIRouter()
DRAW_CAP = 150  # the most nodes one viewer request returns (those asked for first, then the best connected)


def graph_of(request: Request) -> dict:
    state = state_of(request)
    if "graph" not in state.cache:
        state.cache["graph"] = graphview.model(state.store)
    return state.cache["graph"]


@router.get("/graph.cyjs", summary="The whole graph as Cytoscape.js JSON (for Cytoscape desktop and other tools)")
def cytoscape(request: Request) -> JSONResponse:
    return JSONResponse(graphview.cytoscape_json(graph_of(request)),
                        headers={"Content-Disposition": 'inline; filename="termgraph.cyjs"'})


@router.get("/graph.graphml", summary="The graph as GraphML (Gephi, yEd, Cytoscape desktop)")
def graphml(request: Request) -> Response:
    return Response(graphview.graphml(graph_of(request)), media_type="application/graphml+xml",
                    headers={"Content-Disposition": 'attachment; filename="termgraph.graphml"'})


def iri_param(request: Request, name: str, value: str, kinds=("concept", "system", "org", "source")) -> str:
    """A request's 'concept/x'-style path (or full IRI) as a known resource's IRI, or a 400."""
    iri = value if value.startswith(ns.BASE) else ns.BASE + value.strip("/")
    state = state_of(request)
    if views.names(state.store, state.cache).kind(iri) not in kinds:
        raise BadRequest(f"{name}={value}: not a known {' or '.join(kinds)} (use a path such as concept/generative-ai)")
    return iri


def cap_param(request: Request) -> int:
    raw = request.query_params.get("cap", str(DRAW_CAP))
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise BadRequest(f"cap={raw}: give a whole number of nodes from 1 to 1000")
    return int(raw)


def core_terms(request: Request) -> list[str]:
    return sorted(views.top_concepts(state_of(request).store))


@router.get("/viewer/neighbourhood.json", summary="The viewer's data: the given nodes and their neighbours "
            "(default: the core terms), with every source's claims on each edge")
def neighbourhood(request: Request) -> JSONResponse:
    state = state_of(request)
    asked = [iri_param(request, "node", v) for v in request.query_params.getlist("node")]
    centres = asked or core_terms(request)
    who = views.names(state.store, state.cache)
    claims = graphview.neighbourhood_claims(state.store, centres, who)
    disputes = dis.by_claim(dis.cached(state.store, state.cache))
    body = graphview.elements(state.store, state.cache, claims, who, disputes, set(core_terms(request)),
                              cap_param(request), set(centres))
    return JSONResponse({**body, "centres": [graphview.short_id(c) for c in centres]})


@router.get("/viewer/source-view.json", summary="One source's taxonomy: the 'is a kind of' and 'is an example of' "
            "statements it asserts or qualifies, as a tree")
def source_view(request: Request) -> JSONResponse:
    state = state_of(request)
    source = iri_param(request, "source", request.query_params.get("source", ""), kinds=("source",))
    who = views.names(state.store, state.cache)
    claims = graphview.source_tree_claims(state.store, source, who)
    disputes = dis.by_claim(dis.cached(state.store, state.cache))
    body = graphview.elements(state.store, state.cache, claims, who, disputes, set(core_terms(request)),
                              cap_param(request), set())
    return JSONResponse({**body, "source": graphview.short_id(source), "name": who.label(source)})


@router.get("/viewer", summary="Interactive graph viewer", include_in_schema=False)
def viewer(request: Request) -> Response:
    state = state_of(request)
    who = views.names(state.store, state.cache)
    sources = sorted(((graphview.short_id(i), who.label(i)) for i, k in who.kinds.items() if k == "source"),
                     key=lambda s: s[1].casefold())
    return render.page(request, "viewer.html", title="Graph viewer", sources=sources, cap=cap_param(request),
                       kinds=dis.kinds(dis.cached(state.store, state.cache)))


def pick(request: Request) -> dict:
    state = state_of(request)
    who = views.names(state.store, state.cache)
    return {kind: sorted(((graphview.short_id(i), who.label(i)) for i, k in who.kinds.items() if k == kind),
                         key=lambda x: x[1].casefold()) for kind in ("concept", "system", "org", "source")}


@router.get("/disagreements", summary="Where sources disagree: statements x sources, and every disagreement",
            include_in_schema=False)
def disagreements(request: Request) -> Response:
    state = state_of(request)
    params = request.query_params
    term = iri_param(request, "term", params["term"]) if params.get("term") else None
    found = dis.cached(state.store, state.cache)
    kinds = dis.kinds(found)
    kind = ns.TG + params["kind"] if params.get("kind") else None
    if kind and kind not in {k for k, _ in kinds}:
        names = ", ".join(k[len(ns.TG):] for k, _ in kinds)
        raise BadRequest(f"kind={params['kind']}: not a kind of disagreement found here (one of: {names})")
    sources, rows = tables.matrix(state.store, state.cache, term, kind)
    listed = [d for d in found if (not term or term in d.about) and (not kind or d.kind == kind)]
    firmness = [d for d in dis.firmness(state.store, state.cache) if not kind and (not term or term in d.about)]
    return render.page(request, "disagreements.html", title="Where sources disagree", sources=sources, rows=rows,
                       found=listed, firmness=firmness, kinds=kinds, term=graphview.short_id(term) if term else "", kind=params.get("kind", ""),
                       choices=pick(request))


@router.get("/compare", summary="Two terms, or two sources, side by side", include_in_schema=False)
def compare(request: Request) -> Response:
    state = state_of(request)
    params = request.query_params
    context = {"choices": pick(request), "a": params.get("a", ""), "b": params.get("b", ""), "mode": None}
    if params.get("a") and params.get("b"):
        a, b = iri_param(request, "a", params["a"]), iri_param(request, "b", params["b"])
        who = views.names(state.store, state.cache)
        context.update(a_name=who.label(a), b_name=who.label(b), a_iri=a, b_iri=b)
        if who.kind(a) == "source" and who.kind(b) == "source":
            both, one = tables.between_sources(state.store, state.cache, a, b)
            context.update(mode="sources", both=both, one=one)
        elif "source" in (who.kind(a), who.kind(b)):
            raise BadRequest("a, b: compare two terms or two sources, not a term with a source")
        else:
            sources, rows = tables.between_terms(state.store, state.cache, a, b)
            context.update(mode="terms", sources=sources, rows=rows)
    return render.page(request, "compare.html", title="Compare", **context)


@router.get("/search", summary="Find terms, systems, organisations and sources by any of their names",
            include_in_schema=False)
def search_page(request: Request) -> Response:
    state = state_of(request)
    q = request.query_params.get("q", "")
    hits = search.search(state.store, state.cache, q)
    return render.page(request, "search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits)


@router.get("/search.json", summary="Search as JSON (for the viewer): [{id, label, kind, matched, how}]")
def search_json(request: Request) -> JSONResponse:
    state = state_of(request)
    hits = search.search(state.store, state.cache, request.query_params.get("q", ""), limit=20)
    return JSONResponse([{"id": graphview.short_id(h.iri), "label": h.label, "kind": h.kind, "matched": h.matched,
                          "how": h.how} for h in hits])


@router.get("/query", summary="Query UI (YASGUI) with the README's example queries", include_in_schema=False)
def query_ui(request: Request) -> Response:
    state = state_of(request)
    examples = []
    folder = state.settings.root / "queries" / "examples"
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        # termgraph's prefixes are predeclared at /sparql: the examples need no PREFIX lines
        examples.append({"name": example_name(text), "query": text})
    return render.page(request, "query.html", title="Query", examples=json.dumps(examples),
                       prefixes=[p for p, _ in ns.PREFIX_ITEMS], predeclared=json.dumps(ns.PREFIXES))


def example_name(text: str) -> str:
    """An example's name: the first sentence of its leading comment (which may run over lines)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    words = " ".join(lines)
    end = re.search(r"[?.](\s|$)", words)
    return words[:end.start() + 1] if end else words
