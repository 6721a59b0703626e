"""Reading a query (sparql/guard.py's lexer and checks, sparql/query.py's read): its form, its FROM
graphs, updates refused, read once into one immutable Query."""

import pytest

from termgraph.errors import ForbiddenQuery
from termgraph.sparql import guard
from termgraph.sparql.guard import QueryShape
from termgraph.sparql.query import Query, read

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
    assert guard.find_shape(query, ()) == shape


def test_predeclared_prefixes_expand_from_graphs():
    assert guard.find_shape("SELECT * FROM x:a {}", (("x", E),)).from_graphs == (E + "a",)


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT"),
    ("delete where { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://e/x>", "LOAD"),
    ("PREFIX e: <http://e/> CLEAR GRAPH e:g", "CLEAR"),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
])
def test_updates_are_refused(query, word):
    with pytest.raises(ForbiddenQuery) as info:
        read(query)
    assert str(info.value) == f"{word} is an update: this endpoint is read-only and accepts queries only"


def test_a_graph_outside_the_dataset_is_refused():
    guard.check_graphs(QueryShape("SELECT", (E + "a",)), {E + "a"})
    with pytest.raises(ForbiddenQuery, match=r"FROM <http://e/b>: no such graph in this dataset"):
        guard.check_graphs(QueryShape("SELECT", [], [E + "b"]), {E + "a"})


def test_a_read_query_is_kept_per_predeclared_prefixes():
    """A short query is read once (sparql/query.py: read_cached); the prefixes are part of the key."""
    query = "SELECT * FROM x:a {}"
    assert read(query, (("x", E),)).from_graphs == (E + "a",)
    assert read(query, (("x", E + "other/"),)).from_graphs == (E + "other/a",)
    assert read(query).from_graphs == ("x:a",)
    assert read(query) is read(query)


def test_predeclared_prefixes_are_given_as_items():
    from termgraph import namespaces as ns

    assert ns.PREFIX_ITEMS == tuple(ns.PREFIXES.items())  # PREFIXES is never changed after
    query = "SELECT * FROM concept:x WHERE { ?s ?p ?o }"
    assert read(query, ns.PREFIX_ITEMS).from_graphs == (ns.CONCEPT + "x",)


def test_one_read_gives_the_form_the_graphs_and_the_bounded_shape():
    from termgraph.sparql.query import Shape

    assert read(f"ASK {{ <{E}s> ?p ?o }}") == Query(f"ASK {{ <{E}s> ?p ?o }}", "ASK", bounded=Shape(
        "ASK", (__import__("pyoxigraph").NamedNode(E + "s"), "?p", "?o"), None, exact=True))
    many = read(f"SELECT * FROM <{E}g> {{ ?s ?p ?o . ?o ?q ?r }}")
    assert (many.form, many.from_graphs, many.bounded) == ("SELECT", (E + "g",), None)


@pytest.mark.parametrize("text,message", [("", "the query is empty"), ("  # only a comment\n", None)])
def test_an_empty_query_is_refused_as_it_is_read(text, message):
    from termgraph.errors import QuerySyntaxError

    if message:
        with pytest.raises(QuerySyntaxError, match=message):
            read(text)
    else:
        assert read(text).form == "SELECT"  # (the engine then says what is missing)
