"""Graphs termgraph derives from the claims when it loads them.

- One *source view* per source, named by the source's IRI: the statements that source asserts
  (claims with stance tg:Asserts), so `GRAPH source:004 { ?s ?p ?o }` is source 004's view.
- The *contested* graph: one tg:ContestedStatement for every statement on which two sources
  take different stances (one asserts and another denies or qualifies, or one denies and
  another qualifies), with the sources on each side and the claims.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from termgraph import namespaces as ns

CLAIMS_QUERY = ns.sparql_prefixes() + """
SELECT ?claim ?s ?p ?o ?stance ?source WHERE {
  GRAPH ?g {
    ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
           tg:stance ?stance ; prov:wasDerivedFrom ?source .
  }
}
"""

STANCE_PROPERTY = {
    ns.TG + "Asserts": ns.TG + "assertedBy",
    ns.TG + "Denies": ns.TG + "deniedBy",
    ns.TG + "Qualifies": ns.TG + "qualifiedBy",
}


@dataclass(frozen=True)
class ClaimRow:
    claim: ox.NamedNode
    s: ox.NamedNode
    p: ox.NamedNode
    o: object
    stance: str
    source: ox.NamedNode


def claim_rows(store: ox.Store) -> list[ClaimRow]:
    rows = [
        ClaimRow(r["claim"], r["s"], r["p"], r["o"], r["stance"].value, r["source"])
        for r in store.query(CLAIMS_QUERY)
    ]
    return sorted(rows, key=lambda r: r.claim.value)


def statement_key(row: ClaimRow) -> tuple:
    """The statement a claim is about; a symmetric relation is the same either way round."""
    s, o = row.s, row.o
    if row.p.value in ns.SYMMETRIC and isinstance(o, ox.NamedNode) and o.value < s.value:
        s, o = o, s
    return (s, row.p, o)


def source_view_quads(rows: list[ClaimRow]) -> list[ox.Quad]:
    return [
        ox.Quad(r.s, r.p, r.o, ox.NamedNode(r.source.value))
        for r in rows
        if r.stance == ns.TG + "Asserts"
    ]


def contested_iri(key: tuple) -> ox.NamedNode:
    digest = hashlib.sha1("\n".join(str(t) for t in key).encode()).hexdigest()[:16]
    return ox.NamedNode(ns.CONTESTED + digest)


def is_contested(group: list[ClaimRow]) -> bool:
    """Two different sources take different stances: one asserts and another denies or
    qualifies, or one denies and another qualifies."""
    return any(a.source != b.source and a.stance != b.stance for a in group for b in group)


def contested_quads(rows: list[ClaimRow]) -> list[ox.Quad]:
    groups: dict[tuple, list[ClaimRow]] = defaultdict(list)
    for r in rows:
        groups[statement_key(r)].append(r)
    graph = ox.NamedNode(ns.GRAPH_CONTESTED)
    out = []
    for key, group in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if not is_contested(group):
            continue
        node = contested_iri(key)
        add = lambda p, o: out.append(ox.Quad(node, ox.NamedNode(p), o, graph))  # noqa: E731
        add(ns.RDF + "type", ox.NamedNode(ns.TG + "ContestedStatement"))
        add(ns.RDF + "subject", key[0])
        add(ns.RDF + "predicate", key[1])
        add(ns.RDF + "object", key[2])
        for r in group:
            add(STANCE_PROPERTY[r.stance], ox.NamedNode(r.source.value))
            add(ns.TG + "hasClaim", r.claim)
    return out


def add_derived_graphs(store: ox.Store) -> list[str]:
    """Add the source views and the contested graph; return the names of the graphs added."""
    rows = claim_rows(store)
    views = source_view_quads(rows)
    contested = contested_quads(rows)
    store.extend(views + contested)
    names = sorted({q.graph_name.value for q in views})
    return names + ([ns.GRAPH_CONTESTED] if contested else [])
