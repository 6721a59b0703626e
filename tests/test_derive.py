"""The derived graphs on the real data: each source's view, the disagreements, and the default
graph that holds as plain fact only what no source disputes."""

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import derive, load as loader, skolem
from termgraph.settings import Settings

VIEW = ns.GRAPH_VIEW


def ask(data, query):
    return bool(data.store.query(ns.sparql_prefixes() + query))


def test_a_source_view_holds_what_that_source_asserts(data):
    assert ask(data, f"ASK {{ GRAPH <{VIEW}004> {{ concept:large-language-model rdfs:subClassOf concept:generative-ai }} }}")
    assert ask(data, f"ASK {{ GRAPH <{VIEW}002> {{ concept:generative-ai rdfs:subClassOf concept:foundation-model }} }}")
    assert ask(data, f"ASK {{ <{VIEW}004> a tg:SourceView ; tg:viewOf source:004 }}")


def test_a_qualified_or_denied_statement_is_not_in_the_view(data):
    # 000 only qualifies the subclass relation; 002 denies that BERT is generative
    assert not ask(data, f"ASK {{ GRAPH <{VIEW}000> {{ concept:large-language-model rdfs:subClassOf concept:generative-ai }} }}")
    assert not ask(data, f"ASK {{ GRAPH <{VIEW}002> {{ system:bert a concept:generative-ai }} }}")
    assert not ask(data, f"ASK {{ GRAPH <{VIEW}000> {{ system:gato a concept:large-language-model }} }}")


def test_the_source_iri_is_not_a_graph_name(data):
    assert not ask(data, "ASK { GRAPH source:004 { ?s ?p ?o } }")


def test_a_disputed_statement_is_not_a_plain_fact_in_the_default_graph(data):
    assert not ask(data, "ASK { system:bert a concept:generative-ai }")
    assert not ask(data, "ASK { concept:large-language-model rdfs:subClassOf concept:generative-ai }")
    # ... but stays reachable with its attribution
    assert ask(data, f"ASK {{ GRAPH <{VIEW}004> {{ system:bert a concept:generative-ai }} }}")
    assert ask(data, "ASK { ?c rdf:subject system:bert ; rdf:predicate rdf:type ; rdf:object concept:generative-ai ; "
                     "tg:stance tg:Denies ; prov:wasDerivedFrom source:002 }")


def test_an_undisputed_statement_is_a_plain_fact(data):
    # 000 and 004 both assert that GPT-4 is a large language model, and no claim disputes it
    assert ask(data, "ASK { system:gpt-4 a concept:large-language-model }")
    assert ask(data, "ASK { ?d a tg:Disagreement } ") and ask(data, "ASK { ?c a tg:Claim }")


def test_the_default_graph_is_a_set(data):
    rows = data.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    distinct = data.store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    n = int(next(iter(rows))["n"].value)
    assert n == int(next(iter(distinct))["n"].value) == data.default_graph_size() > 1000


def test_there_are_no_blank_nodes_in_any_graph(data):
    assert not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
                   for q in data.store.quads_for_pattern(None, None, None, None))


def test_blank_nodes_become_the_same_iris_on_every_load(tmp_path, small_root):
    user = tmp_path / "mine.ttl"
    user.write_text("<http://example.org/a> <http://example.org/p> [ <http://example.org/q> [ <http://example.org/r> 1 ] ] .\n")
    settings = Settings(root=small_root, extra_files=(user,))
    graph = ox.NamedNode(ns.GRAPH_USER + "mine")
    first, second = (sorted(map(str, loader.load(settings).store.quads_for_pattern(None, None, None, graph)))
                     for _ in range(2))
    assert first == second and len(first) == 3
    assert all(skolem.GENID in line for line in first) and f"<{ns.GRAPH_USER}mine{skolem.GENID}c14n" in first[0]


def test_two_loads_derive_the_same_disagreements(settings, data):
    graph = ox.NamedNode(ns.GRAPH_DISAGREEMENTS)
    again = loader.load(settings)
    assert set(data.store.quads_for_pattern(None, None, None, graph)) == \
        set(again.store.quads_for_pattern(None, None, None, graph))


def test_bert_disagreements_are_derived_with_kind_title_and_sources(data):
    rows = list(data.store.query(ns.sparql_prefixes() + """
        SELECT ?kind ?title WHERE { GRAPH <https://w3id.org/termgraph/graph/disagreements> {
          ?d tg:about system:bert , concept:generative-ai ; tg:disagreementKind ?kind ; rdfs:label ?title ;
             tg:involvesSource source:002 , source:004 ; tg:foundByRule ?rule . } } ORDER BY ?kind"""))
    assert [(r["kind"].value.split("#")[1], r["title"].value) for r in rows] == [
        ("MembershipExcluded", "Is BERT a generative AI? Cognativ blog and FM vs Gen AI Q&A say no; GenAI-LLM-FM "
                               "explainer and LLM vs GenAI article say it is a large language model, and that every "
                               "large language model is a generative AI"),
        ("OppositeStances", "Is BERT a generative AI? LLM vs GenAI article says yes, Cognativ blog and FM vs Gen AI Q&A "
                            "say no"),
    ]


def test_each_rule_is_described_with_its_file(data):
    rows = list(data.store.query(ns.sparql_prefixes() + """
        SELECT ?id WHERE { ?r a tg:DerivationRule ; rdfs:label ?l ; dcterms:identifier ?id } ORDER BY ?id"""))
    assert [r["id"].value for r in rows] == [f"queries/disagreements/{n}.rq" for n in (
        "different-values", "hedging-difference", "incompatible-relations", "membership-excluded",
        "opposite-stances", "within-one-source")]


def row(claim, s, p, o, stance, source):
    N = ox.NamedNode
    return derive.ClaimRow(N(ns.CLAIM + claim), N(s), N(p), N(o), ns.TG + stance, N(ns.SOURCE + source))


def test_undisputed_needs_every_claim_to_assert_and_none_disputed():
    a, b, p = ns.CONCEPT + "a", ns.CONCEPT + "b", ns.RDFS + "subClassOf"
    agreeing = [row("000-001", a, p, b, "Asserts", "000"), row("001-001", a, p, b, "Asserts", "001")]
    hedged = [row("000-001", a, p, b, "Asserts", "000"), row("001-001", a, p, b, "Qualifies", "001")]
    assert len(derive.undisputed_triples(agreeing, set())) == 1
    assert derive.undisputed_triples(hedged, set()) == []
    assert derive.undisputed_triples(agreeing, {ns.CLAIM + "001-001"}) == []


def test_a_symmetric_relation_is_the_same_statement_either_way_round():
    a, b, p = ns.CONCEPT + "a", ns.CONCEPT + "b", ns.TG + "synonymousWith"
    rows = [row("c1", a, p, b, "Asserts", "000"), row("c2", b, p, a, "Denies", "004")]
    assert derive.statement_key(rows[0]) == derive.statement_key(rows[1])
    assert derive.undisputed_triples(rows, set()) == []


def test_the_service_description_counts_the_default_graph(data):
    from termgraph.sparql import service_description

    count = next(iter(data.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
    assert service_description.default_size(data.store) == int(count) == data.default_graph_size()
    triples = service_description.describe("http://example.org/sparql", data.graph_sizes(), data.store)
    assert not any(t.object == ox.NamedNode(ns.SD + "UnionDefaultGraph") for t in triples)


def test_the_default_graph_is_every_named_graph_but_the_views_plus_the_derived_facts(data):
    """What the module docstring says it holds, exactly: each triple of each named graph except
    the source views, the view descriptions and the undisputed statements, each once."""
    rows = derive.claim_rows(data.store)
    held = {q.object.value for q in data.store.quads_for_pattern(
        None, ox.NamedNode(ns.TG + "hasClaim"), None, ox.NamedNode(ns.GRAPH_DISAGREEMENTS))}
    expected = set(derive.view_descriptions({r.source for r in rows}) + derive.undisputed_triples(rows, held))
    for q in data.store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VIEW):
            expected.add(ox.Triple(q.subject, q.predicate, q.object))
    default = [ox.Triple(q.subject, q.predicate, q.object)
               for q in data.store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    assert len(default) == len(set(default)) and set(default) == expected


def test_copying_into_the_default_graph_skips_the_views_and_stores_a_triple_once():
    N = ox.NamedNode
    a, p, b, c = N("http://example.org/a"), N("http://example.org/p"), N("http://example.org/b"), N("http://example.org/c")
    store = ox.Store()
    store.extend([ox.Quad(a, p, b, N("http://example.org/g1")), ox.Quad(a, p, b, N("http://example.org/g2")),
                  ox.Quad(a, p, c, N(VIEW + "004")), ox.Quad(b, p, c, ox.DefaultGraph())])
    derive.copy_into_default_graph(store)
    assert sorted(map(str, store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == sorted(
        [str(ox.Quad(a, p, b, ox.DefaultGraph())), str(ox.Quad(b, p, c, ox.DefaultGraph()))])


def test_skolemising_only_the_quads_with_blank_nodes_names_them_as_the_whole_graph_would():
    """RDFC-1.0 labels a blank node from the quads it is in: canonicalising the whole graph (as
    termgraph did) and only its quads with blank nodes give the same IRIs, and the rest stays."""
    N, g = ox.NamedNode, ox.NamedNode("http://example.org/g")
    x, y, p, q = ox.BlankNode("x"), ox.BlankNode("y"), N("http://example.org/p"), N("http://example.org/q")
    quads = [ox.Quad(N("http://example.org/a"), p, x, g), ox.Quad(x, q, y, g), ox.Quad(y, q, ox.Literal("1"), g),
             ox.Quad(N("http://example.org/a"), p, N("http://example.org/b"), g), ox.Quad(y, p, x, g)]
    whole = ox.Dataset(quads)
    whole.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    expected = {str(ox.Quad(skolem.skolem_term(t.subject, g), t.predicate, skolem.skolem_term(t.object, g), g))
                for t in whole}
    store = ox.Store()
    store.extend(quads)
    skolem.skolemise(store)
    assert {str(t) for t in store} == expected and len(store) == len(quads)


def test_a_source_view_states_nothing_is_both_in_owl_too():
    N = ox.NamedNode
    rows = [row("004-001", ns.CONCEPT + "a", ns.TG + "disjointWith", ns.CONCEPT + "b", "Asserts", "004"),
            row("004-002", ns.CONCEPT + "a", ns.TG + "distinctFrom", ns.CONCEPT + "c", "Asserts", "004"),
            row("002-001", ns.CONCEPT + "a", ns.TG + "disjointWith", ns.CONCEPT + "d", "Denies", "002")]
    view = N(ns.GRAPH_VIEW + "004")
    assert derive.source_view_quads(rows) == [
        ox.Quad(N(ns.CONCEPT + "a"), N(ns.TG + "disjointWith"), N(ns.CONCEPT + "b"), view),
        ox.Quad(N(ns.CONCEPT + "a"), N(ns.OWL + "disjointWith"), N(ns.CONCEPT + "b"), view),
        ox.Quad(N(ns.CONCEPT + "a"), N(ns.TG + "distinctFrom"), N(ns.CONCEPT + "c"), view)]
