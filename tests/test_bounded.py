"""Queries bounded by their shape (executor/bounded.py): which run in the server's process, and
every way a query is sent to a worker instead."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from termgraph.executor import bounded
from termgraph.sparql import query as reader
from termgraph.sparql.query import read

E = "http://e/"


def store_with(n: int) -> ox.Store:
    """n triples <s0> <p> "0" ...; <big> has n triples; one triple in the named graph <g>."""
    store = ox.Store()
    p = ox.NamedNode(E + "p")
    for i in range(n):
        store.add(ox.Quad(ox.NamedNode(f"{E}s{i}"), p, ox.Literal(str(i)), ox.DefaultGraph()))
        store.add(ox.Quad(ox.NamedNode(E + "big"), p, ox.Literal(str(i)), ox.DefaultGraph()))
    store.add(ox.Quad(ox.NamedNode(E + "s1"), p, ox.Literal("in g"), ox.NamedNode(E + "g")))
    return store


SMALL, LARGE = store_with(10), store_with(bounded.MATCHES_HERE + 1)

HERE = [
    "ASK { ?s ?p ?o }",
    "ask where { ?s ?p ?o . }",
    f"PREFIX e: <{E}> ASK {{ e:s1 e:p \"1\"@en-GB }}",
    f"PREFIX e: <{E}> ASK {{ e:s1 e:p \"1\"^^<http://www.w3.org/2001/XMLSchema#string> }}",
    f"ASK {{ GRAPH <{E}g> {{ ?s a ?o }} }}",
    f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "# a comment\nASK { ?s ?p ?o } # another",
    f"SELECT ?o WHERE {{ <{E}s1> <{E}p> ?o }} LIMIT 10 OFFSET 2",
    f"SELECT DISTINCT * {{ ?s <{E}p> ?o }}",
    f"SELECT $o {{ <{E}s1> ?p ?o }}",
    f"BASE <{E}> PREFIX e: <{E}> DESCRIBE e:s1 <{E}s2>",
    "ASK {}",
    "SELECT * WHERE { }",
]


@pytest.mark.parametrize("query", HERE)
def test_queries_of_a_bounded_shape_run_here(query):
    assert bounded.runs_here(SMALL, read(query), has_dataset=False)
    SMALL.query(query)  # (and are queries the engine reads)


WORKERS = [
    "ASK { ?s ?p ?o . ?a ?b ?c }",  # two patterns
    "ASK { ?x ?p ?x }",  # a variable twice: the engine scans and compares
    "ASK { ?x ?p $x }",  # ?x and $x are one variable
    "ASK { GRAPH ?g { ?g ?p ?o } }",
    "ASK { ?s ?p ?o FILTER (?o != 1) }",
    "ASK { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "ASK { ?s ?p ?o } VALUES ?s { <http://e/s1> }",
    "ASK FROM <http://e/g> { ?s ?p ?o }",
    f"ASK {{ ?s <{E}p>/<{E}p> ?o }}",  # a path
    f"ASK {{ ?s <{E}p>* ?o }}",
    "ASK { ?s ?p 1 }",  # a number (not read here)
    "ASK { ?s ?p true }",
    "ASK { _:b ?p ?o }",  # blank nodes
    "ASK { [] ?p ?o }",
    "ASK { ?s ?p ?o \\u007D",  # escapes are decoded before the engine reads the query
    "ASK { ?s ?p \"\\u0022 } \" }",
    f"SELECT * {{ <{E}s1> ?p ?o # the grammar ends a comment at CR\r . ?a ?b ?c \n}}",
    f"PREFIX e: <{E}> SELECT * {{ ?s ?p e:s1.}}",  # e:s1 and a full stop, not <…s1.>
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s { ?s ?p ?o } GROUP BY ?s",
    f"SELECT ?s {{ {{ SELECT ?s {{ ?s ?p ?o }} }} }}",
    f"CONSTRUCT WHERE {{ <{E}s1> ?p ?o }}",
    f"DESCRIBE ?s WHERE {{ ?s ?p ?o }}",
    "DESCRIBE *",
    f"DESCRIBE <{E}s1> FROM <{E}g>",
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",  # so a query run here never has SERVICE
    "SELECT * { SERVICE ?x { ?s ?p ?o } }",
    "ASK { GRAPH <http://e/g> { } }",
    "",
]


@pytest.mark.parametrize("query", WORKERS)
def test_every_other_shape_goes_to_a_worker(query):
    assert reader.bounded_shape(query) is None  # (some of them may not run at all: read refuses them)


def test_a_request_naming_its_dataset_goes_to_a_worker():
    assert not bounded.runs_here(SMALL, read("ASK { ?s ?p ?o }"), has_dataset=True)


@pytest.mark.parametrize("query", [
    f"SELECT * {{ ?s <{E}p> ?o }}",  # more matches than MATCHES_HERE
    f"SELECT * {{ <{E}big> ?p ?o }}",
    f"SELECT ?s {{ ?s <{E}p> \"1\" }}",  # a literal counts as any term: never below the truth
    "SELECT * { <s1> ?p ?o }",  # a relative IRI (resolved by the engine) counts as any term
    f"PREFIX e: <s/> SELECT * {{ e:1 ?p ?o }}",  # so does a prefix bound to one
    f"DESCRIBE <{E}big>",
])
def test_a_select_or_describe_matching_more_than_the_cap_goes_to_a_worker(query):
    assert bounded.runs_here(SMALL, read(query), has_dataset=False)
    assert not bounded.runs_here(LARGE, read(query), has_dataset=False)


def test_a_select_with_a_small_limit_needs_no_count_unless_distinct():
    assert bounded.runs_here(LARGE, read(f"SELECT * {{ ?s <{E}p> ?o }} LIMIT 10"), has_dataset=False)
    assert bounded.runs_here(LARGE, read(f"SELECT * {{ ?s <{E}p> ?o }} OFFSET 6 LIMIT 250"), has_dataset=False)
    assert not bounded.runs_here(LARGE, read(f"SELECT * {{ ?s <{E}p> ?o }} LIMIT 250 OFFSET 7"), has_dataset=False)
    assert not bounded.runs_here(LARGE, read(f"SELECT DISTINCT ?p {{ ?s ?p ?o }} LIMIT 10"), has_dataset=False)
    assert not bounded.runs_here(SMALL, read("SELECT * { ?s ?p ?o } LIMIT 1 LIMIT 2"), has_dataset=False)


def test_an_ask_runs_here_however_many_triples_match():
    assert bounded.runs_here(LARGE, read(f"ASK {{ ?s <{E}p> ?o }}"), has_dataset=False)


def test_the_cap_counts_exactly_at_the_limit():
    store = ox.Store()
    for i in range(bounded.MATCHES_HERE):
        store.add(ox.Quad(ox.NamedNode(f"{E}s{i}"), ox.NamedNode(E + "p"), ox.Literal("x"), ox.DefaultGraph()))
    assert bounded.runs_here(store, read(f"SELECT * {{ ?s <{E}p> ?o }}"), has_dataset=False)
    store.add(ox.Quad(ox.NamedNode(E + "one-more"), ox.NamedNode(E + "p"), ox.Literal("x"), ox.DefaultGraph()))
    assert not bounded.runs_here(store, read(f"SELECT * {{ ?s <{E}p> ?o }}"), has_dataset=False)


def test_the_count_reads_the_pattern_as_the_engine_does():
    """The counting query gives the true number of matches, for each kind of term and graph."""
    shape = reader.read_shape(f"SELECT * {{ GRAPH <{E}g> {{ ?s <{E}p> ?o }} }}")
    assert next(iter(SMALL.query(bounded.count_query(shape, 5))))["n"].value == "1"
    shape = reader.read_shape(f"SELECT * {{ <{E}big> ?p ?o }}")
    assert next(iter(LARGE.query(bounded.count_query(shape, 5))))["n"].value == "6"  # stops at limit + 1
    shape = reader.read_shape(f"DESCRIBE <{E}s1> <{E}s2>")
    assert next(iter(SMALL.query(bounded.count_query(shape, 5))))["n"].value == "2"
    shape = reader.read_shape(f"SELECT * {{ GRAPH ?g {{ ?s <{E}p> ?o }} }}")  # named graphs only
    assert next(iter(LARGE.query(bounded.count_query(shape, 5))))["n"].value == "1"


def test_a_decision_is_remembered_per_store_and_query_text(monkeypatch):
    small, large = bounded.Decider(SMALL), bounded.Decider(LARGE)
    query = f"SELECT * {{ ?s <{E}p> ?o }}"
    assert small(read(query), has_dataset=False) and not large(read(query), has_dataset=False)
    counted = []
    monkeypatch.setattr(bounded, "count_query", lambda *a: counted.append(a) or "SELECT (0 AS ?n) {}")
    assert small(read(query), has_dataset=False) and not large(read(query), has_dataset=False)
    assert counted == []  # the served data never changes: asked again, nothing is counted
    assert not small(read(query), has_dataset=True)


LOOKUPS = [
    "ASK { ?s ?p ?o }", "ASK {}", "ask where { ?s ?p ?o . }", f"ASK {{ <{E}s1> ?p ?o }}", f"ASK {{ <{E}s1> <{E}p> ?o }}",
    f"ASK {{ <{E}nobody> ?p ?o }}", f"ASK {{ ?s <{E}q> ?o }}", f"ASK {{ ?s a ?o }}", f"ASK {{ <{E}big> ?p ?o }}",
    f"PREFIX e: <{E}> ASK {{ e:s1 e:p ?o }}", f"ASK {{ GRAPH <{E}g> {{ ?s ?p ?o }} }}",
    f"ASK {{ GRAPH <{E}g> {{ <{E}s2> ?p ?o }} }}", f"ASK {{ GRAPH <{E}none> {{ ?s ?p ?o }} }}",
    f"ASK {{ ?s ?p <{E}s1> }}", f"ASK {{ GRAPH <{E}g> {{ ?s ?p <{E}s1> }} }}",
]


@pytest.mark.parametrize("query", LOOKUPS)
@pytest.mark.parametrize("store", [SMALL, ox.Store()], ids=["data", "empty"])
def test_an_exact_ask_is_answered_by_one_lookup_as_the_engine_answers_it(query, store):
    found = bounded.ask_by_lookup(store, read(query))
    assert found is not None and bool(found) == bool(store.query(query))
    assert isinstance(found, ox.QueryBoolean)


@pytest.mark.parametrize("query", [
    f"PREFIX e: <{E}> ASK {{ e:s1 e:p \"1\" }}",  # a literal: not read exactly
    "ASK { GRAPH ?g { ?s ?p ?o } }",  # any named graph: the engine (the index would read the default graph too)
    "ASK { <s1> ?p ?o }",  # a relative IRI
    "PREFIX e: <s/> ASK { e:x ?p ?o }",
    f"ASK FROM <{E}g> {{ ?s ?p ?o }}",
    "SELECT * { ?s ?p ?o }",
    f"ASK {{ ?s ?p ?o . ?o ?q ?r }}",
])
def test_any_other_query_is_left_to_the_engine(query):
    assert bounded.ask_by_lookup(SMALL, read(query)) is None


def test_the_engine_runs_an_exact_ask_by_lookup_but_not_one_with_a_dataset(monkeypatch):
    from termgraph.executor import engine
    from termgraph.sparql.protocol import Dataset

    looked_up = []
    original = bounded.ask_by_lookup
    monkeypatch.setattr(bounded, "ask_by_lookup", lambda store, query: looked_up.append(query.text) or original(store, query))
    assert bool(engine.run(SMALL, read(f"ASK {{ GRAPH <{E}g> {{ ?s ?p ?o }} }}")).value)
    assert looked_up == [f"ASK {{ GRAPH <{E}g> {{ ?s ?p ?o }} }}"]
    assert not bool(engine.run(SMALL, read("ASK { ?s ?p ?o }"), Dataset((E + "none",), ())).value)
    assert len(looked_up) == 1
