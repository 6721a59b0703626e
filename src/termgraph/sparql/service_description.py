"""The SPARQL 1.1 Service Description of the endpoint, with a VoID description of the dataset."""

from __future__ import annotations

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph import formats
from termgraph.graph.void import DATASET_IRI, void_triples

N, L = ox.NamedNode, ox.Literal
FORMATS_NS = formats.W3C_FORMATS
# What a query result can be sent as, from the format registry.
RESULT_FORMATS = [f.w3c for f in formats.FORMATS if f.w3c and (f.can_carry(formats.SOLUTIONS) or f.can_carry(formats.GRAPH))]


def default_size(store: ox.Store) -> int:
    """Triples in the default graph: what GET /rdf-graphs?default returns."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


PREDECLARED = ("Prefixes predeclared (a query may use them without PREFIX lines; its own PREFIX lines win): "
               + ", ".join(f"{p}: <{iri}>" for p, iri in ns.PREFIXES.items()))


def describe(endpoint: str, sizes: dict[str, int], store: ox.Store, base: str | None = None,
             dumps: tuple[str, ...] = ()) -> list[ox.Triple]:
    """sd:Service for `endpoint` (the real URL it is reached at), its formats and its dataset
    (with VoID: the endpoint and the release files under the public `base` URL)."""
    sd, rdf = ns.SD, ns.RDF
    service = N(endpoint)
    dataset = N(DATASET_IRI)
    default = ox.BlankNode("defaultGraph")
    t = [
        ox.Triple(service, N(rdf + "type"), N(sd + "Service")),
        ox.Triple(service, N(sd + "endpoint"), service),
        ox.Triple(service, N(sd + "supportedLanguage"), N(sd + "SPARQL11Query")),
        ox.Triple(service, N(sd + "defaultEntailmentRegime"), N(ns.ENTAILMENT + "Simple")),
        ox.Triple(service, N(ns.DCTERMS + "title"), L("termgraph SPARQL endpoint (read-only)", language="en")),
        ox.Triple(service, N(ns.DCTERMS + "description"), L(PREDECLARED, language="en")),
        ox.Triple(service, N(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, N(rdf + "type"), N(sd + "Dataset")),
        ox.Triple(dataset, N(sd + "defaultGraph"), default),
        ox.Triple(default, N(rdf + "type"), N(sd + "Graph")),
        ox.Triple(default, N(ns.DCTERMS + "description"),
                  L("The ontology, the curated data, the claims, the disagreements, and as plain facts only "
                    "the statements no source disputes (each source's view: GRAPH <…/graph/view/NNN>)", language="en")),
        ox.Triple(default, N(ns.VOID + "triples"), L(str(default_size(store)), datatype=N(ns.XSD + "integer"))),
    ]
    for fmt in RESULT_FORMATS:
        t.append(ox.Triple(service, N(sd + "resultFormat"), N(FORMATS_NS + fmt)))
    for name in sorted(sizes):
        node = ox.BlankNode("g" + str(len(t)))
        t += [
            ox.Triple(dataset, N(sd + "namedGraph"), node),
            ox.Triple(node, N(rdf + "type"), N(sd + "NamedGraph")),
            ox.Triple(node, N(sd + "name"), N(name)),
            ox.Triple(node, N(sd + "graph"), N(name)),
            ox.Triple(N(name), N(rdf + "type"), N(sd + "Graph")),
        ]
    return t + void_triples(sizes, store, base, dumps)
