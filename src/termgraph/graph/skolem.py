"""Blank nodes become stable IRIs (skolemisation, RDF 1.1 §3.5), and back again for release files.

Every query worker loads the data itself; a parser gives blank nodes fresh labels on every load,
so answers that show them would differ between workers and restarts. At load each graph's blank
nodes are renamed canonically (RDFC-1.0) and replaced by IRIs under the graph's name:
<GRAPH/.well-known/genid/c14nN>, the same on every load of the same file. Release files turn them
back into blank nodes, so OWL tools see the lists and restrictions of the ontology as OWL needs.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

GENID = "/.well-known/genid/"


def has_blank_node(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def skolem_term(term, graph: ox.NamedNode):
    return ox.NamedNode(graph.value + GENID + term.value) if isinstance(term, ox.BlankNode) else term


def skolemised(quads: list[ox.Quad], graph: ox.NamedNode) -> list[ox.Quad]:
    """One graph's quads that hold a blank node (each in `graph`), their blank nodes replaced by
    IRIs derived from their canonical labels. Only these quads are canonicalised: RDFC-1.0
    labels a blank node from the quads it is in, so the others would change nothing."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [ox.Quad(skolem_term(q.subject, graph), q.predicate, skolem_term(q.object, graph), graph) for q in dataset]


def skolemise_graph(store: ox.Store, graph: ox.NamedNode) -> None:
    """Replace the graph's blank nodes in the store by IRIs (`skolemised`)."""
    quads = [q for q in store.quads_for_pattern(None, None, None, graph) if has_blank_node(q)]
    if not quads:
        return
    for q in quads:
        store.remove(q)
    store.extend(skolemised(quads, graph))


def skolemise(store: ox.Store, done=lambda name: False) -> None:
    """Every named graph's blank nodes replaced, but in the graphs `done` says were (a user's
    file's graphs come skolemised from graph/load.py: replacing them in the store would remove and
    add again every quad with a blank node)."""
    for graph in sorted(store.named_graphs(), key=str):
        if isinstance(graph, ox.NamedNode) and not done(graph.value):
            skolemise_graph(store, graph)


def is_skolem(term) -> bool:
    return isinstance(term, ox.NamedNode) and GENID in term.value


def unskolem_term(term):
    """<…/.well-known/genid/c14n3> → a blank node (distinct per graph, as the IRI is)."""
    if not is_skolem(term):
        return term
    graph, label = term.value.split(GENID, 1)
    return ox.BlankNode(f"{label}x{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:8]}")


def unskolemise(triples):
    """Triples (or quads) with skolem IRIs turned back into blank nodes."""
    out = []
    for t in triples:
        s, o = unskolem_term(t.subject), unskolem_term(t.object)
        out.append(ox.Quad(s, t.predicate, o, t.graph_name) if isinstance(t, ox.Quad) else ox.Triple(s, t.predicate, o))
    return out
