"""The derived graphs: each source's view, and the contested statements."""

import pyoxigraph as ox

from termgraph.build import derive
from termgraph import namespaces as ns


def ask(data, query):
    return bool(data.store.query(ns.sparql_prefixes() + query, use_default_graph_as_union=True))


def test_a_source_view_holds_what_that_source_asserts(data):
    assert ask(data, "ASK { GRAPH source:004 { concept:large-language-model rdfs:subClassOf concept:generative-ai } }")
    assert ask(data, "ASK { GRAPH source:002 { concept:generative-ai rdfs:subClassOf concept:foundation-model } }")


def test_a_qualified_or_denied_statement_is_not_in_the_view(data):
    # 000 only qualifies the subclass relation; 002 denies that BERT is generative
    assert not ask(data, "ASK { GRAPH source:000 { concept:large-language-model rdfs:subClassOf concept:generative-ai } }")
    assert not ask(data, "ASK { GRAPH source:002 { system:bert a concept:generative-ai } }")
    assert not ask(data, "ASK { GRAPH source:000 { system:gato a concept:large-language-model } }")


def test_the_llm_subclass_relation_is_contested(data):
    assert ask(data, """ASK { GRAPH <https://w3id.org/termgraph/graph/contested> {
        ?st rdf:subject concept:large-language-model ; rdf:predicate rdfs:subClassOf ;
            rdf:object concept:generative-ai ; tg:assertedBy source:004 ; tg:qualifiedBy source:000 } }""")


def row(claim, s, p, o, stance, source):
    N = ox.NamedNode
    return derive.ClaimRow(N(ns.CLAIM + claim), N(s), N(p), N(o), ns.TG + stance, N(ns.SOURCE + source))


def test_contested_needs_two_sources_with_different_stances():
    a, b, p = ns.CONCEPT + "a", ns.CONCEPT + "b", ns.RDFS + "subClassOf"
    same_source = [row("c1", a, p, b, "Asserts", "000"), row("c2", a, p, b, "Qualifies", "000")]
    agreeing = [row("c1", a, p, b, "Asserts", "000"), row("c2", a, p, b, "Asserts", "001")]
    disagreeing = [row("c1", a, p, b, "Asserts", "000"), row("c2", a, p, b, "Denies", "001")]
    assert not derive.is_contested(same_source)
    assert not derive.is_contested(agreeing)
    assert derive.is_contested(disagreeing)


def test_a_symmetric_relation_is_the_same_statement_either_way_round():
    a, b, p = ns.CONCEPT + "a", ns.CONCEPT + "b", ns.TG + "synonymousWith"
    rows = [row("c1", a, p, b, "Qualifies", "000"), row("c2", b, p, a, "Denies", "004")]
    quads = derive.contested_quads(rows)
    statements = {q.subject for q in quads}
    assert len(statements) == 1
