"""HTML documentation of the ontology, generated with pyLODE (self-contained: no CDN)."""

from __future__ import annotations

import html
import logging

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import skolem


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
    schemes = set(graph.subjects(rdflib.RDF.type, rdflib.SKOS.ConceptScheme))
    graph.remove((None, rdflib.RDF.type, rdflib.SKOS.ConceptScheme))
    page = OntPub(ontology=graph).make_html()
    page = page.replace("</style>", NARROW_SCREENS + "</style>", 1)  # into pyLODE's own style block
    return page.replace('<div id="namespaces">', individuals_section(graph, schemes) + '<div id="namespaces">', 1)


# pyLODE lays its page out for wide screens only (a fixed table of contents over the text, a
# rotated credit in the margin): below 800 px the contents come first and the text wraps.
NARROW_SCREENS = """
@media (max-width: 800px) {
  #toc { position: static; width: auto; height: auto; margin-bottom: 1em; }
  #pylode { display: none; }
  #content { width: auto; }
  body { overflow-wrap: anywhere; }
}
"""


def individuals_section(graph, schemes: set) -> str:
    """The named individuals and concept schemes (the closed lists: stances, kinds of disagreement),
    which pyLODE leaves out, as one section with an anchor per term so that their IRIs resolve."""
    import rdflib

    terms = sorted((set(graph.subjects(rdflib.RDF.type, rdflib.OWL.NamedIndividual)) | schemes)
                   - {None}, key=str)
    entries = [individual_entry(graph, t) for t in terms if str(t).startswith(ns.TG)]
    if not entries:
        return ""
    return ('<div class="section" id="individuals"><h2>Named individuals and closed lists</h2>\n'
            + "\n".join(entries) + "\n</div>\n")


def individual_entry(graph, term) -> str:
    import rdflib

    local = str(term)[len(ns.TG):]
    label = graph.value(term, rdflib.SKOS.prefLabel) or graph.value(term, rdflib.RDFS.label) or local
    definition = graph.value(term, rdflib.SKOS.definition) or graph.value(term, rdflib.RDFS.comment) or ""
    kinds = sorted(graph.value(t, rdflib.RDFS.label) or t.split("#")[-1]
                   for t in graph.objects(term, rdflib.RDF.type) if t != rdflib.OWL.NamedIndividual)
    one_of = f"<tr><th>Is a</th><td>{html.escape(', '.join(map(str, kinds)))}</td></tr>" if kinds else ""
    return (f'<div class="property entity" id="{html.escape(local)}"><h3>{html.escape(str(label))}</h3><table>'
            f"<tr><th>IRI</th><td><code>{html.escape(str(term))}</code></td></tr>{one_of}"
            f"<tr><th>Description</th><td><p>{html.escape(str(definition))}</p></td></tr></table></div>")
