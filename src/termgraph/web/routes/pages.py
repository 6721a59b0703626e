"""The landing page, the ontology, downloads and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from termgraph.build import export

from termgraph.build import load as loader
from termgraph import namespaces as ns
from termgraph.errors import NotFound
from termgraph.web import render

router = APIRouter()

COUNTS = ns.sparql_prefixes() + """
SELECT
  (COUNT(DISTINCT ?concept) AS ?concepts) (COUNT(DISTINCT ?system) AS ?systems)
  (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?contested) AS ?contestedStatements)
WHERE {
  { ?concept a tg:Concept } UNION { ?system a tg:AISystem } UNION { ?source a tg:Source }
  UNION { ?claim a tg:Claim } UNION { ?contested a tg:ContestedStatement }
}
"""


def counts(store) -> dict[str, int]:
    row = next(iter(store.query(COUNTS, use_default_graph_as_union=True)))
    return {k: int(row[k].value) for k in ("concepts", "systems", "sources", "claims", "contestedStatements")}


def listing(store, cls: str) -> list[tuple[str, str]]:
    q = ns.sparql_prefixes() + f"SELECT ?x ?l WHERE {{ ?x a {cls} ; rdfs:label ?l }} ORDER BY LCASE(?l)"
    return [(r["x"].value, r["l"].value) for r in store.query(q, use_default_graph_as_union=True)]


@router.get("/", summary="Landing page", include_in_schema=False)
def index(request: Request) -> Response:
    store = request.app.state.termgraph.store
    return render.page(request, "index.html", title="termgraph", counts=counts(store),
                       concepts=listing(store, "tg:Concept"), systems=listing(store, "tg:AISystem"),
                       sources=listing(store, "tg:Source"), orgs=listing(store, "schema:Organization"))


@router.get("/health", summary="Health check")
def health(request: Request) -> JSONResponse:
    state = request.app.state.termgraph
    pool = state.pool.health()
    return JSONResponse({"status": pool["status"], "graphs": len(state.sizes), "triples": sum(state.sizes.values()),
                         "pool": pool}, status_code=200 if pool["status"] == "ok" else 503)


@router.get("/download/{name}", summary="Release files (as written by termgraph export)")
def download(name: str, request: Request) -> Response:
    state = request.app.state.termgraph
    if name not in state.downloads and not (state.workdir / "dist").exists():
        data = loader.LoadedData(state.store, [])
        state.downloads.update({p.name: p for p in export.export(data, state.workdir / "dist")})
    if name not in state.downloads:
        raise NotFound(f"{name}: no such release file; available: {', '.join(sorted(state.downloads))}")
    return FileResponse(state.downloads[name], media_type=MEDIA.get(name.rsplit(".", 1)[-1]))


MEDIA = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
         "trig": "application/trig", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}



ONTOLOGY_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


@router.get("/ontology", summary="The ontology (its IRI dereferences here): pyLODE HTML, or Turtle/JSON-LD/RDF/XML")
def ontology(request: Request) -> Response:
    import pyoxigraph as ox

    from termgraph.build import ontology_html as docs

    from termgraph.sparql import formats

    from termgraph.sparql import protocol

    state = request.app.state.termgraph
    media = protocol.negotiate(request.headers.get("accept"), ONTOLOGY_TYPES,
                               request.query_params.get("_mediatype") or request.query_params.get("format"))
    headers = {"Vary": "Accept", "Link": ", ".join(
        f'</ontology?_mediatype={t}>; rel="alternate"; type="{t}"' for t in ONTOLOGY_TYPES[1:])}
    if media == "text/html":
        if "ontology.html" not in state.downloads:
            path = state.workdir / "ontology.html"
            path.write_text(docs.ontology_html(state.store), encoding="utf-8")
            state.downloads["ontology.html"] = path
        return FileResponse(state.downloads["ontology.html"], media_type="text/html", headers=headers)
    quads = state.store.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_ONTOLOGY))
    triples = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads), key=str)
    body = ox.serialize(triples, format=formats.GRAPH_FORMATS[media], prefixes=ns.PREFIXES)
    return Response(body, media_type=media, headers=headers)
