"""Reading a query's shape (sparql/guard.py): its form, its FROM graphs, updates refused."""

import pytest

from termgraph.errors import ForbiddenQuery
from termgraph.sparql import guard
from termgraph.sparql.guard import QueryShape

E = "http://e/"


@pytest.mark.parametrize("query,shape", [
    ("SELECT * WHERE { ?s ?p ?o }", QueryShape("SELECT")),
    ("ask {}", QueryShape("ASK")),
    ("PREFIX e: <http://e/> CONSTRUCT { ?s e:p ?o } WHERE { ?s ?p ?o }", QueryShape("CONSTRUCT")),
    ("DESCRIBE <http://e/x>", QueryShape("DESCRIBE")),
    ("# SELECT in a comment\nASK {}", QueryShape("ASK")),
    ('SELECT ("CONSTRUCT" AS ?x) {}', QueryShape("SELECT")),
    ("SELECT * FROM <http://e/a> FROM NAMED <http://e/b> WHERE {}", QueryShape("SELECT", (E + "a",), (E + "b",))),
    ("PREFIX e: <http://e/> SELECT * FROM e:a WHERE {}", QueryShape("SELECT", (E + "a",))),
    ("BASE <http://e/> SELECT * FROM <a> WHERE {}", QueryShape("SELECT", (E + "a",))),
    ("SELECT * WHERE { ?s <http://e/INSERT> ?o }", QueryShape("SELECT")),
    ("", QueryShape(None)),
])
def test_shape(query, shape):
    assert guard.inspect(query) == shape


def test_predeclared_prefixes_expand_from_graphs():
    assert guard.inspect("SELECT * FROM x:a {}", {"x": E}).from_graphs == (E + "a",)


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT"),
    ("delete where { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://e/x>", "LOAD"),
    ("PREFIX e: <http://e/> CLEAR GRAPH e:g", "CLEAR"),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
])
def test_updates_are_refused(query, word):
    with pytest.raises(ForbiddenQuery) as info:
        guard.inspect(query)
    assert str(info.value) == f"{word} is an update: this endpoint is read-only and accepts queries only"


def test_a_graph_outside_the_dataset_is_refused():
    guard.check_graphs(QueryShape("SELECT", (E + "a",)), {E + "a"})
    with pytest.raises(ForbiddenQuery, match=r"FROM <http://e/b>: no such graph in this dataset"):
        guard.check_graphs(QueryShape("SELECT", [], [E + "b"]), {E + "a"})


def test_a_kept_shape_is_kept_per_predeclared_prefixes():
    """A short query's shape is worked out once (guard.inspected); the prefixes are part of it."""
    query = "SELECT * FROM x:a {}"
    assert guard.inspect(query, {"x": E}).from_graphs == (E + "a",)
    assert guard.inspect(query, {"x": E + "other/"}).from_graphs == (E + "other/a",)
    assert guard.inspect(query).from_graphs == ("x:a",)


def test_predeclared_prefixes_may_be_given_as_their_items():
    from termgraph import namespaces as ns

    assert ns.PREFIX_ITEMS == tuple(ns.PREFIXES.items())  # PREFIXES is never changed after
    query = "SELECT * FROM concept:x WHERE { ?s ?p ?o }"
    assert guard.inspect(query, ns.PREFIX_ITEMS) == guard.inspect(query, ns.PREFIXES)
    assert guard.inspect(query, ns.PREFIX_ITEMS).from_graphs == (ns.CONCEPT + "x",)
