"""The graph as nodes and edges, for the viewer and for other tools (Cytoscape.js JSON, GraphML).

Nodes: concepts, AI systems, organisations, sources. Edges: every statement a claim makes between
two of them (one edge per statement, carrying which sources take which stance, and whether it is
contested), and 'defines' edges from a source to each term it defines.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

import pyoxigraph as ox

from termgraph import namespaces as ns

NODES = ns.sparql_prefixes() + """
SELECT ?node ?kind ?label WHERE {
  VALUES (?type ?kind) { (tg:Concept "concept") (tg:AISystem "system") (schema:Organization "org") (tg:Source "source") }
  ?node a ?type ; rdfs:label ?label .
} ORDER BY ?node
"""
EDGES = ns.sparql_prefixes() + """
SELECT ?s ?p ?o ?source ?stance ?plabel WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; tg:stance ?stance ;
         prov:wasDerivedFrom ?source .
  FILTER (isIRI(?o))
  OPTIONAL { ?p rdfs:label ?plabel }
} ORDER BY ?s ?p ?o ?source
"""
DEFINES = ns.sparql_prefixes() + """
SELECT DISTINCT ?source ?term WHERE {
  ?claim rdf:predicate skos:definition ; rdf:subject ?term ; prov:wasDerivedFrom ?source .
} ORDER BY ?source ?term
"""


def short_id(iri: str) -> str:
    return iri[len(ns.BASE):] if iri.startswith(ns.BASE) else iri


def model(store: ox.Store) -> dict:
    """{'nodes': [...], 'edges': [...]} with plain values, deterministic order."""
    nodes = {}
    for r in store.query(NODES, use_default_graph_as_union=True):
        nodes.setdefault(r["node"].value, {"id": short_id(r["node"].value), "label": r["label"].value,
                                           "kind": r["kind"].value, "iri": r["node"].value})
    edges: dict[tuple, dict] = {}
    stances: dict[tuple, dict] = defaultdict(dict)
    for r in store.query(EDGES, use_default_graph_as_union=True):
        s, p, o = r["s"].value, r["p"].value, r["o"].value
        if s not in nodes or o not in nodes:
            continue
        key = (s, p, o)
        label = r["plabel"].value if r["plabel"] is not None else p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        edges.setdefault(key, {"source": short_id(s), "target": short_id(o), "relation": label, "predicate": p})
        stances[key].setdefault(short_id(r["source"].value), set()).add(r["stance"].value.rsplit("#", 1)[-1].lower())
    out_edges = []
    for key, edge in edges.items():
        by_source = {src: sorted(v) for src, v in sorted(stances[key].items())}
        kinds = {st for v in by_source.values() for st in v}
        contested = len(kinds) > 1 and len(by_source) > 1
        out_edges.append({**edge, "id": f"e{len(out_edges)}", "sources": sorted(by_source),
                          "stances": sorted(kinds), "bySource": by_source, "contested": contested})
    for r in store.query(DEFINES, use_default_graph_as_union=True):
        src, term = r["source"].value, r["term"].value
        if src in nodes and term in nodes:
            out_edges.append({"id": f"e{len(out_edges)}", "source": short_id(src), "target": short_id(term),
                              "relation": "defines", "predicate": ns.SKOS + "definition", "sources": [short_id(src)],
                              "stances": ["asserts"], "bySource": {short_id(src): ["asserts"]}, "contested": False})
    return {"nodes": list(nodes.values()), "edges": out_edges}


def cytoscape_json(graph: dict) -> dict:
    """Cytoscape.js / Cytoscape desktop JSON ('elements' with 'data')."""
    return {"format_version": "1.0", "generated_by": "termgraph", "target_cytoscapejs_version": "~3.34",
            "data": {"name": "termgraph"},
            "elements": {"nodes": [{"data": n} for n in graph["nodes"]],
                         "edges": [{"data": {**e, "sources": " ".join(e["sources"]), "stances": " ".join(e["stances"]),
                                             "bySource": "; ".join(f"{k}: {'/'.join(v)}" for k, v in e["bySource"].items())}}
                                   for e in graph["edges"]]}}


def graphml(graph: dict) -> str:
    """GraphML for Gephi, yEd and Cytoscape desktop."""
    keys = [("label", "node"), ("kind", "node"), ("iri", "node"),
            ("relation", "edge"), ("sources", "edge"), ("stances", "edge"), ("contested", "edge")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for name, domain in keys:
        kind = "boolean" if name == "contested" else "string"
        lines.append(f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="termgraph" edgedefault="directed">')
    for n in graph["nodes"]:
        lines.append(f'    <node id="{escape(n["id"])}">' + "".join(
            f'<data key="{k}">{escape(n[k])}</data>' for k in ("label", "kind", "iri")) + "</node>")
    for e in graph["edges"]:
        values = {"relation": e["relation"], "sources": " ".join(e["sources"]), "stances": " ".join(e["stances"]),
                  "contested": str(e["contested"]).lower()}
        lines.append(f'    <edge id="{e["id"]}" source="{escape(e["source"])}" target="{escape(e["target"])}">' +
                     "".join(f'<data key="{k}">{escape(v)}</data>' for k, v in values.items()) + "</edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
