"""The graph as nodes and edges, for the viewer and for other tools (Cytoscape.js JSON, GraphML).

Nodes: concepts, AI systems, organisations, sources. Edges: every statement a claim makes between
two of them (one edge per statement, carrying which sources take which stance, and whether it is
contested, i.e. whether any of its claims is in a derived or curated tg:Disagreement), and 'defines' edges from a source to each term it defines.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.web import disagreements as dis
from termgraph.web import page_queries as queries
from termgraph import wording

def short_id(iri: str) -> str:
    return iri[len(ns.BASE):] if iri.startswith(ns.BASE) else iri


def model(store: ox.Store) -> dict:
    """{'nodes': [...], 'edges': [...]} with plain values, deterministic order."""
    nodes = {}
    for r in queries.graph_nodes(store):
        nodes.setdefault(r["node"].value, {"id": short_id(r["node"].value), "label": r["label"].value,
                                           "kind": r["kind"].value, "iri": r["node"].value})
    edges: dict[tuple, dict] = {}
    stances: dict[tuple, dict] = defaultdict(dict)
    disputed = dis.by_claim([d for d in dis.read(store) if d.real])
    contested: set[tuple] = set()
    for r in queries.graph_statements(store):
        s, p, o = r["s"].value, r["p"].value, r["o"].value
        if s not in nodes or o not in nodes:
            continue
        key = (s, p, o)
        label = wording.relation(p).says
        edges.setdefault(key, {"source": short_id(s), "target": short_id(o), "relation": label, "predicate": p})
        if r["claim"].value in disputed:
            contested.add(key)
        stances[key].setdefault(short_id(r["source"].value), set()).add(r["stance"].value.rsplit("#", 1)[-1].lower())
    out_edges = []
    for key, edge in edges.items():
        by_source = {src: sorted(v) for src, v in sorted(stances[key].items())}
        kinds = {st for v in by_source.values() for st in v}
        out_edges.append({**edge, "id": f"e{len(out_edges)}", "sources": sorted(by_source),
                          "stances": sorted(kinds), "bySource": by_source, "contested": key in contested})
    for r in queries.definitions(store):
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


# --- The viewer's pieces: a neighbourhood, or one source's taxonomy, never the whole graph ---------

def node_data(iri: str, names, alts: dict, core: set) -> dict:
    return {"id": short_id(iri), "label": names.label(iri), "kind": names.kind(iri), "iri": iri,
            "alt": alts.get(iri, []), "core": iri in core}


def alt_labels(store: ox.Store, cache: dict) -> dict[str, list[str]]:
    if "alts" not in cache:
        found: dict[str, list[str]] = defaultdict(list)
        for r in queries.alt_labels(store):
            if r["alt"].value not in found[r["x"].value]:
                found[r["x"].value].append(r["alt"].value)
        cache["alts"] = dict(found)
    return cache["alts"]


def edge_key(c) -> tuple[str, str, str]:
    """The statement a claim makes, a symmetric relation's two ends in one order: 'A is distinct from B'
    and 'B is distinct from A' are one edge."""
    s, p, o = c.subject.value, c.predicate, c.object.value
    return (min(s, o), p, max(s, o)) if p in ns.SYMMETRIC else (s, p, o)


def edges_of(claims, names, disputes: dict) -> list[dict]:
    """One edge per pair of terms and relation (a symmetric relation's two directions are one
    edge), carrying every source's claims: the viewer counts the sources saying yes and no."""
    grouped: dict[tuple, list] = defaultdict(list)
    for c in claims:
        grouped[edge_key(c)].append(c)
    out = []
    for (s, p, o), group in sorted(grouped.items()):
        kinds = sorted({d.kind_label for c in group for d in disputes.get(c.iri, [])})
        pages = sorted({d.path for c in group for d in disputes.get(c.iri, [])})
        stances = sorted({c.stance for c in group})
        out.append({"id": short_id(s) + "|" + wording.local_words(p) + "|" + short_id(o),
                    "source": short_id(s), "target": short_id(o), "relation": wording.relation(p).says,
                    "denied": wording.relation(p).denies, "symmetric": p in ns.SYMMETRIC,
                    "taxonomy": p in (ns.RDFS + "subClassOf", ns.RDF + "type"),
                    "stances": " ".join(stances), "sources": " ".join(sorted({short_id(c.source) for c in group})),
                    "disputed": bool(kinds), "kinds": kinds, "disagreements": pages,
                    "claims": [{"source": short_id(c.source), "name": c.source_name, "stance": c.stance,
                                "answer": c.answer[0], "firmness": c.answer[1], "says": c.relation,
                                "quote": c.quote, "claim": short_id(c.iri)} for c in group]})
    return out


def elements(store, cache, claims, names, disputes, core: set, cap: int, keep: set) -> dict:
    """Cytoscape.js elements for these claims' statements, at most `cap` nodes (those in `keep`
    first, then the best connected); says how many there were."""
    claims = [c for c in claims if names.kind(c.subject.value) and names.kind(c.object.value)]
    degree: dict[str, int] = defaultdict(int)
    for c in claims:
        degree[c.subject.value] += 1
        degree[c.object.value] += 1
    ranked = sorted(degree, key=lambda n: (n not in keep, -degree[n], n))
    shown = set(ranked[:cap])
    claims = [c for c in claims if c.subject.value in shown and c.object.value in shown]
    alts = alt_labels(store, cache)
    nodes = [{"data": node_data(n, names, alts, core)} for n in sorted(shown)]
    edges = [{"data": e} for e in edges_of(claims, names, disputes)]
    return {"elements": {"nodes": nodes, "edges": edges}, "total": len(degree), "shown": len(shown)}


def neighbourhood_claims(store, centres: list[str], names) -> list:
    from termgraph.web import views

    if not centres:
        return []
    return views.claim_rows(queries.neighbourhood(store, centres), names)


def source_tree_claims(store, source: str, names) -> list:
    from termgraph.web import views

    return views.claim_rows(queries.source_tree(store, source), names)
