"""HTML documentation of the ontology, generated with pyLODE (self-contained: no CDN)."""

from __future__ import annotations

import logging

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.build import skolem


def ontology_turtle(store: ox.Store) -> bytes:
    """The ontology graph as Turtle, its skolem IRIs turned back into blank nodes (OWL lists)."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_ONTOLOGY))
    triples = sorted(skolem.unskolemise(ox.Triple(q.subject, q.predicate, q.object) for q in quads), key=str)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=ns.PREFIXES)


def ontology_html(store: ox.Store) -> str:
    """pyLODE's OntPub page for the ontology graph of the store."""
    import rdflib
    from pylode import OntPub

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    graph = rdflib.Graph().parse(data=ontology_turtle(store), format="turtle")
    # pyLODE takes any skos:ConceptScheme for the document itself (its title, its IRI); the
    # ontology's closed lists (tg:DisagreementKinds) are documented as the individuals they are.
    graph.remove((None, rdflib.RDF.type, rdflib.SKOS.ConceptScheme))
    return OntPub(ontology=graph).make_html()
