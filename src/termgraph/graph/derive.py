"""Graphs termgraph derives from the claims when it loads them.

- One *source view* per source, <https://w3id.org/termgraph/graph/view/NNN>: the statements that
  source asserts (claims with stance tg:Asserts), so `GRAPH <…/graph/view/004> { ?s ?p ?o }` is
  the world according to source 004.
- The *disagreements* graph: one tg:Disagreement per disagreement the rules in
  queries/disagreements/ find (see disagreements.py).
- The *default graph* (what a query sees without GRAPH or FROM): the ontology, the curated data,
  the claims (reified, with their sources and quotes), the disagreements, a description of every
  view, any user file, and as plain triples only the *undisputed* statements: those some source
  asserts, that no claim denies or qualifies, and that no disagreement involves. It is a real
  graph (a set of triples), not the union of the named graphs, so no row comes twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import disagreements
from termgraph.paths import default_root

N, L = ox.NamedNode, ox.Literal

CLAIMS_QUERY = ns.sparql_prefixes() + """
SELECT ?claim ?s ?p ?o ?stance ?source WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         tg:stance ?stance ; prov:wasDerivedFrom ?source .
}
"""


@dataclass(frozen=True)
class ClaimRow:
    claim: ox.NamedNode
    s: ox.NamedNode
    p: ox.NamedNode
    o: object
    stance: str
    source: ox.NamedNode


def claim_rows(store: ox.Store, claims: list[tuple] | None = None) -> list[ClaimRow]:
    """Every claim with a stance and a source (from `claims`, disagreements.read_claims, if given)."""
    if claims is not None:
        rows = {ClaimRow(claim, s, p, o, stance.value, source)
                for claim, s, p, o, stance, _, source, _ in claims if stance is not None and source is not None}
        return sorted(rows, key=lambda r: r.claim.value)
    rows = {
        ClaimRow(r["claim"], r["s"], r["p"], r["o"], r["stance"].value, r["source"])
        for r in store.query(CLAIMS_QUERY, use_default_graph_as_union=True)
    }
    return sorted(rows, key=lambda r: r.claim.value)


def statement_key(row: ClaimRow) -> tuple:
    """The statement a claim is about; a symmetric relation is the same either way round."""
    s, o = row.s, row.o
    if row.p.value in ns.SYMMETRIC and isinstance(o, ox.NamedNode) and o.value < s.value:
        s, o = o, s
    return (s, row.p, o)


def view_graph(source: ox.NamedNode) -> ox.NamedNode:
    """<…/source/004> → <…/graph/view/004>."""
    return N(ns.GRAPH_VIEW + source.value.rsplit("/", 1)[-1])


# In a source's view, a relation with an OWL meaning is also stated in OWL, so that a reasoner checks
# the source's statements against each other: "nothing is both" is owl:disjointWith.
AS_OWL = {ns.TG + "disjointWith": ox.NamedNode(ns.OWL + "disjointWith")}


def source_view_quads(rows: list[ClaimRow]) -> list[ox.Quad]:
    out = []
    for r in rows:
        if r.stance == ns.TG + "Asserts":
            out.append(ox.Quad(r.s, r.p, r.o, view_graph(r.source)))
            if r.p.value in AS_OWL:
                out.append(ox.Quad(r.s, AS_OWL[r.p.value], r.o, view_graph(r.source)))
    return out


def view_descriptions(sources: set[ox.NamedNode]) -> list[ox.Triple]:
    out = []
    for source in sorted(sources, key=lambda s: s.value):
        view = view_graph(source)
        number = source.value.rsplit("/", 1)[-1]
        out += [ox.Triple(view, N(ns.RDF + "type"), N(ns.TG + "SourceView")),
                ox.Triple(view, N(ns.TG + "viewOf"), source),
                ox.Triple(view, N(ns.RDFS + "label"), L(f"the statements source {number} asserts", language="en"))]
    return out


def undisputed_triples(rows: list[ClaimRow], disputed_claims: set[str]) -> list[ox.Triple]:
    """Statements some source asserts, on which every claim asserts and none is in a disagreement."""
    by_statement: dict[tuple, list[ClaimRow]] = {}
    for r in rows:
        by_statement.setdefault(statement_key(r), []).append(r)
    out = set()
    for group in by_statement.values():
        if all(r.stance == ns.TG + "Asserts" and r.claim.value not in disputed_claims for r in group):
            out.update(ox.Triple(r.s, r.p, r.o) for r in group)
    return sorted(out, key=str)


def disputed_triples(rows: list[ClaimRow], undisputed: list[ox.Triple]) -> list[ox.Triple]:
    """The statements some claim is about that are not undisputed (a claim denies or qualifies
    them, or a disagreement holds one of their claims), either way round for a symmetric relation:
    none of them is a plain fact in the default graph, whatever a user's file says."""
    plain = set(undisputed)
    out = set()
    for r in rows:
        t = ox.Triple(r.s, r.p, r.o)
        if t in plain:
            continue
        out.add(t)
        if r.p.value in ns.SYMMETRIC and isinstance(r.o, ox.NamedNode):
            out.add(ox.Triple(r.o, r.p, r.s))
    return sorted(out, key=str)


def rules_folder(root: Path) -> Path:
    """queries/disagreements/ of the data folder, or termgraph's own when the folder has none."""
    own = root / "queries" / "disagreements"
    return own if own.is_dir() else default_root() / "queries" / "disagreements"


def copy_into_default_graph(store: ox.Store) -> None:
    """Copy every triple of every named graph except the source views into the default graph,
    inside Oxigraph: the default graph is a set, so a triple in several graphs is stored once.
    One update per graph keeps the update's own buffer small; no Python object is made per triple
    (a Python set of every triple took a third of the build's memory on large graphs)."""
    for name in sorted(store.named_graphs(), key=str):
        if isinstance(name, ox.NamedNode) and not name.value.startswith(ns.GRAPH_VIEW):
            store.update(f"ADD {name} TO DEFAULT")  # (faster than INSERT … WHERE: 0.2-0.3 s against 0.4 at ~340k quads)


def add_derived_graphs(store: ox.Store, root: Path) -> list[str]:
    """Add the source views, the disagreements graph and the default graph; return the names of
    the named graphs added."""
    claims = disagreements.read_claims(store)  # (one query for the rows, the keys and the titles)
    rows = claim_rows(store, claims)
    views = source_view_quads(rows)
    found_quads, disputed = disagreements.derive(store, rules_folder(root), root, claims)
    store.extend(views + found_quads)
    undisputed = undisputed_triples(rows, disputed)
    extra = view_descriptions({r.source for r in rows}) + undisputed
    default = ox.DefaultGraph()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in extra)
    copy_into_default_graph(store)
    # a user's file may state a disputed statement plainly (in its own graph, where it stays the
    # file's): the default graph holds no disputed statement as a plain fact
    for t in disputed_triples(rows, undisputed):
        store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
    names = sorted({q.graph_name.value for q in views})
    return names + [ns.GRAPH_DISAGREEMENTS]
