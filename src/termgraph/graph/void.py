"""A VoID description of the loaded dataset: its licence, triple counts in all and per named
graph, and (when served) its SPARQL endpoint and a data dump per release file."""

from __future__ import annotations

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph.files import user_graph

DATASET_IRI = ns.BASE + "dataset"

GRAPH_TITLES = {
    ns.GRAPH_ONTOLOGY: "The termgraph ontology",
    ns.GRAPH_CURATED: "Curated data: concepts, systems, organisations, sources (not attributed to any source)",
    ns.GRAPH_DISAGREEMENTS: "Derived: the disagreements between claims (tg:Disagreement), with the rules that found them",
}


def graph_title(name: str) -> str:
    if name in GRAPH_TITLES:
        return GRAPH_TITLES[name]
    if name.startswith(ns.GRAPH_CLAIMS):
        return f"Claims of source {name.rsplit('/', 1)[-1]}, with stances and quotes"
    if name.startswith(ns.GRAPH_VIEW):
        return f"Derived: the statements source {name.rsplit('/', 1)[-1]} asserts (its view)"
    if (of_file := user_graph(name)) is not None:
        stem, original = of_file
        if name == ns.GRAPH_USER + stem:
            return f"A user's file: {stem}"
        return f"A graph of the user's file {stem}" + name_in_file(original, ", {}")
    return name


def name_in_file(original: str | None, frame: str) -> str:
    """How a user's file named a graph moved under the file's own (graph/files.py), in words."""
    if original is None:
        return ""
    return frame.format("named by a blank node in the file" if original.startswith("_:")
                        else f"named <{original}> in the file")


LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def void_triples(sizes: dict[str, int], store: ox.Store, base: str | None = None,
                 dumps: tuple[str, ...] = ()) -> list[ox.Triple]:
    """VoID: the dataset, its licence, one void:subset per named graph with its size; with the
    service's public `base` URL also its SPARQL endpoint and a void:dataDump per release file
    named in `dumps` (export.release_names())."""
    N, L = ox.NamedNode, ox.Literal
    xsd_int = N(ns.XSD + "integer")
    ds = N(DATASET_IRI)
    out = [
        ox.Triple(ds, N(ns.RDF + "type"), N(ns.VOID + "Dataset")),
        ox.Triple(ds, N(ns.DCTERMS + "title"), L("termgraph: a knowledge graph of AI terminology", language="en")),
        ox.Triple(ds, N(ns.DCTERMS + "license"), N(LICENSE)),
        ox.Triple(ds, N(ns.VOID + "triples"), L(str(sum(sizes.values())), datatype=xsd_int)),
        ox.Triple(ds, N(ns.VOID + "uriSpace"), L(ns.BASE)),
        ox.Triple(ds, N(ns.VOID + "vocabulary"), N(ns.TG)),
    ]
    for vocab in (ns.SKOS, ns.PROV, ns.OA, ns.DCTERMS, ns.SCHEMA, ns.OWL):
        out.append(ox.Triple(ds, N(ns.VOID + "vocabulary"), N(vocab)))
    if base:
        out.append(ox.Triple(ds, N(ns.VOID + "sparqlEndpoint"), N(base + "sparql")))
        out += [ox.Triple(ds, N(ns.VOID + "dataDump"), N(base + "download/" + name)) for name in dumps
                if not name.endswith(".html")]
    for name, count in sorted(sizes.items()):
        g = N(name)
        out += [
            ox.Triple(ds, N(ns.VOID + "subset"), g),
            ox.Triple(g, N(ns.RDF + "type"), N(ns.VOID + "Dataset")),
            ox.Triple(g, N(ns.DCTERMS + "title"), L(graph_title(name), language="en")),
            ox.Triple(g, N(ns.VOID + "triples"), L(str(count), datatype=xsd_int)),
        ]
        original = (user_graph(name) or (None, None))[1]
        if original and not original.startswith("_:"):  # (a user's file's graph, moved under the file's own)
            out.append(ox.Triple(g, N(ns.PROV + "wasDerivedFrom"), N(original)))
    return out
