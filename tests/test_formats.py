"""The format registry and the serialisers (formats.py): exact bodies on a small graph."""

import json

import pyoxigraph as ox
import pytest

from termgraph.errors import ResultTooLarge
from termgraph import formats

N, L = ox.NamedNode, ox.Literal
TG = "https://w3id.org/termgraph/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GRAPH = [
    ox.Triple(N(TG + "concept/llm"), N(SKOS + "prefLabel"), L("large language model", language="en")),
    ox.Triple(N(TG + "concept/llm"), N(SKOS + "broader"), N(TG + "concept/generative-ai")),
]
QUADS = [ox.Quad(t.subject, t.predicate, t.object, N(TG + "graph/curated")) for t in GRAPH]


# --- the registry: every table derives from it ---------------------------------------------------

def test_names_media_types_and_suffixes_are_unique():
    assert len({f.name for f in formats.FORMATS}) == len(formats.FORMATS)
    assert len(formats.BY_MEDIA_TYPE) == len(formats.FORMATS)
    suffixes = [s for f in formats.FORMATS for s in ("." + f.suffix, *f.suffixes)]
    assert len(suffixes) == len(set(suffixes))


@pytest.mark.parametrize("kind,expected", [
    (formats.SOLUTIONS, ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                         "text/tab-separated-values"]),
    (formats.GRAPH, ["text/turtle", "application/n-triples", "text/n3", "application/ld+json", "application/rdf+xml"]),
    (formats.DATASET, ["application/ld+json", "application/trig", "application/n-quads"]),
])
def test_media_types_of_each_kind(kind, expected):
    assert formats.media_types(kind) == expected


@pytest.mark.parametrize("suffix,media", [
    (".ttl", "text/turtle"), (".TTL", "text/turtle"), (".nt", "application/n-triples"), (".nq", "application/n-quads"),
    (".trig", "application/trig"), (".jsonld", "application/ld+json"), (".json", "application/ld+json"),
    (".rdf", "application/rdf+xml"), (".owl", "application/rdf+xml"), (".xml", "application/rdf+xml"),
    (".n3", "text/n3"), (".csv", None), (".txt", None), (".html", None),
])
def test_file_suffixes(suffix, media):
    found = formats.by_suffix(suffix)
    assert (found.media_type if found else None) == media


@pytest.mark.parametrize("name,media", [
    ("json", "application/sparql-results+json"), ("turtle", "text/turtle"), ("ttl", "text/turtle"),
    ("nt", "application/n-triples"), ("jsonld", "application/ld+json"), ("json-ld", "application/ld+json"),
    ("rdf", "application/rdf+xml"), ("nq", "application/n-quads"), ("text/turtle", "text/turtle"),
])
def test_short_names(name, media):
    assert formats.BY_NAME[name].media_type == media


# --- exact bodies -----------------------------------------------------------------------------------

@pytest.mark.parametrize("media,body", [
    ("application/n-triples",
     '<https://w3id.org/termgraph/concept/llm> <http://www.w3.org/2004/02/skos/core#prefLabel> "large language model"@en .\n'
     '<https://w3id.org/termgraph/concept/llm> <http://www.w3.org/2004/02/skos/core#broader> '
     '<https://w3id.org/termgraph/concept/generative-ai> .\n'),
    ("text/turtle",
     "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix concept: <https://w3id.org/termgraph/concept/> .\n"
     'concept:llm skos:prefLabel "large language model"@en ;\n\tskos:broader concept:generative-ai .\n'),
    ("application/ld+json",
     '{"@context":{"concept":"https://w3id.org/termgraph/concept/","skos":"http://www.w3.org/2004/02/skos/core#"},'
     '"@graph":[{"@id":"concept:llm","skos:prefLabel":[{"@language":"en","@value":"large language model"}],'
     '"skos:broader":[{"@id":"concept:generative-ai"}]}]}'),
])
def test_graph_bodies(media, body):
    prefixes = {"concept": TG + "concept/", "skos": SKOS}
    assert formats.serialize_rdf(GRAPH, media, prefixes=prefixes).decode() == body


def test_compact_json_ld_keeps_the_graph_names_of_quads():
    body = json.loads(formats.serialize_rdf(QUADS, "application/ld+json"))
    assert body["@context"] == {"concept": TG + "concept/", "skos": SKOS}
    assert body["@graph"][0]["@id"] == TG + "graph/curated"  # the graph IRI has no prefix of its own
    assert sorted(map(str, ox.parse(json.dumps(body).encode(), format=ox.RdfFormat.JSON_LD))) == sorted(map(str, QUADS))


@pytest.mark.parametrize("iri,expected", [
    (TG + "concept/llm", "concept:llm"),
    (TG + "concept/", TG + "concept/"),  # no local part: left whole
    (TG + "concept///x", TG + "concept///x"),  # a local part JSON-LD would read as an IRI: left whole
    ("http://example.org/x", "http://example.org/x"),
])
def test_compact_iri(iri, expected):
    assert formats.compact_iri(iri, {"concept": TG + "concept/"}, set()) == expected


def test_compact_json_ld_reads_back_as_the_same_triples_for_every_prefix():
    from termgraph import namespaces as ns

    triples = [ox.Triple(N(base + "x"), N(ns.RDFS + "label"), L("x", datatype=N(ns.XSD + "integer")))
               for base in ns.PREFIXES.values()]
    body = formats.serialize_rdf(triples, "application/ld+json")
    assert sorted(map(str, ox.parse(body, format=ox.RdfFormat.JSON_LD))) == sorted(map(str, triples))


def test_solutions_csv_body():
    store = ox.Store()
    for t in GRAPH:
        store.add(ox.Quad(t.subject, t.predicate, t.object))
    result = store.query(f"SELECT ?l WHERE {{ ?c <{SKOS}prefLabel> ?l }}")
    assert formats.serialize_result("SELECT", result, "text/csv", 1000) == b"l\r\nlarge language model\r\n"


def test_a_construct_in_n_triples_is_written_natively_with_the_same_bytes_and_cap():
    store = ox.Store()
    for t in GRAPH:
        store.add(ox.Quad(t.subject, t.predicate, t.object))
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    native = formats.serialize_result("CONSTRUCT", store.query(construct), "application/n-triples", 10_000)
    assert native == formats.serialize_rdf(list(store.query(construct)), "application/n-triples")
    assert sorted(map(str, ox.parse(native, format=ox.RdfFormat.N_TRIPLES))) == sorted(map(str, GRAPH))
    with pytest.raises(ResultTooLarge, match="larger than 50 bytes"):
        formats.serialize_result("CONSTRUCT", store.query(construct), "application/n-triples", 50)


def test_the_cap_stops_a_large_result():
    with pytest.raises(ResultTooLarge, match="larger than 50 bytes"):
        formats.serialize_rdf(GRAPH, "application/n-triples", cap=50)
    with pytest.raises(ResultTooLarge):
        formats.serialize_rdf(GRAPH, "application/ld+json", cap=200)


def test_table():
    store = ox.Store()
    for t in GRAPH:
        store.add(ox.Quad(t.subject, t.predicate, t.object))
    result = store.query(f"SELECT ?c ?l WHERE {{ ?c <{SKOS}prefLabel> ?l }}")
    assert formats.table(result) == ("| c           | l                    |\n"
                                     "|-------------|----------------------|\n"
                                     "| concept:llm | large language model |\n"
                                     "(1 row)")


@pytest.mark.parametrize("media", sorted(formats.SOLUTION_FORMATS))
@pytest.mark.parametrize("query", ["ASK { ?s ?p ?o }", "ASK { ?s <urn:none> ?o }"])
def test_an_ask_answer_has_the_serialiser_s_own_bytes_in_every_format(media, query):
    store = ox.Store()
    for t in GRAPH:
        store.add(ox.Quad(t.subject, t.predicate, t.object))
    expected = formats.capped(10_000, lambda out: store.query(query).serialize(out, formats.SOLUTION_FORMATS[media]))
    assert formats.serialize_result("ASK", store.query(query), media, 10_000) == expected
    assert (b"true" in expected) == query.startswith("ASK { ?s ?p")
    with pytest.raises(ResultTooLarge, match="larger than 3 bytes"):
        formats.serialize_result("ASK", store.query(query), media, 3)
