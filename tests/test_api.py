"""The Python API: typed values for each form of query, the DataFrame helper, and the README's
example printing what the README shows."""

import contextlib
import datetime as dt
import io
import re
from decimal import Decimal

import pytest

import termgraph
from termgraph import values

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("literal,expected,kind", [
    ('"3"^^xsd:integer', 3, int),
    ("42", 42, int),
    ('"7"^^xsd:nonNegativeInteger', 7, int),
    ("1.50", Decimal("1.50"), Decimal),
    ("1.5e0", 1.5, float),
    ("true", True, bool),
    ('"0"^^xsd:boolean', False, bool),
    ('"2023-05-01"^^xsd:date', dt.date(2023, 5, 1), dt.date),
    ('"2023-05-01T10:00:00Z"^^xsd:dateTime', dt.datetime(2023, 5, 1, 10, tzinfo=dt.timezone.utc), dt.datetime),
    ('"plain"', "plain", str),
    ('"three"^^xsd:integer', values.TypedLiteral("three", XSD + "integer"), values.TypedLiteral),  # ill-typed
])
def test_literals_become_python_values(data, literal, expected, kind):
    [row] = termgraph.query(f"SELECT ?v WHERE {{ BIND({literal} AS ?v) }}", data)
    assert row["v"] == expected and type(row["v"]) is kind


def test_iris_language_strings_and_unbound(data):
    [row] = termgraph.query("SELECT ?c ?l ?none WHERE { BIND(concept:foundation-model AS ?c) "
                            "concept:foundation-model skos:prefLabel ?l }", data)
    assert type(row["c"]) is values.IRI and row["c"] == "https://w3id.org/termgraph/concept/foundation-model"
    assert type(row["l"]) is values.LangString and row["l"] == "foundation model" and row["l"].lang == "en"
    assert row["none"] is None
    other = termgraph.query('SELECT ?v WHERE { BIND("x"^^<http://e/dt> AS ?v) }', data)[0]["v"]
    assert type(other) is values.TypedLiteral and other.datatype == "http://e/dt"
    assert repr(other) == "'x'^^<http://e/dt>" and repr(row["l"]) == "'foundation model'@en"


def test_construct_is_a_list_of_dicts_like_select(data):
    rows = termgraph.query("CONSTRUCT { concept:foundation-model skos:prefLabel ?l } "
                           "WHERE { concept:foundation-model skos:prefLabel ?l }", data)
    assert rows == [{"subject": "https://w3id.org/termgraph/concept/foundation-model",
                     "predicate": "http://www.w3.org/2004/02/skos/core#prefLabel", "object": "foundation model"}]
    assert type(rows[0]["subject"]) is values.IRI and rows[0]["object"].lang == "en"


def test_ask_is_a_bool(data):
    assert termgraph.query("ASK { ?c a tg:Claim }", data) is True
    assert termgraph.query("ASK { concept:foundation-model a tg:Claim }", data) is False


def test_values_survive_pickling():
    import pickle

    for v in (values.IRI("http://e/x"), values.LangString("x", "de"), values.TypedLiteral("x", "http://e/dt")):
        back = pickle.loads(pickle.dumps(v))
        assert back == v and type(back) is type(v)
        assert getattr(back, "lang", None) == getattr(v, "lang", None)
        assert getattr(back, "datatype", None) == getattr(v, "datatype", None)


def test_query_frame(data):
    frame = termgraph.query_frame("SELECT ?l ?n WHERE { VALUES (?l ?n) { (\"a\" 1) (\"b\" 2) } } ORDER BY ?l", data)
    assert list(frame.columns) == ["l", "n"] and frame["l"].tolist() == ["a", "b"] and frame["n"].tolist() == [1, 2]
    triples = termgraph.query_frame("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s ?p ?o) { (<http://e/s> <http://e/p> 1) } }",
                                    data)
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) == 1
    with pytest.raises(TypeError, match="use termgraph.query"):
        termgraph.query_frame("ASK {}", data)


def test_the_readme_python_example_prints_what_the_readme_shows(root):
    readme = (root / "README.md").read_text()
    block = readme.split("<!-- python:start -->")[1].split("<!-- python:end -->")[0]
    code = re.search(r"```python\n(.*?)```", block, flags=re.S).group(1)
    shown = re.search(r"```text\n(.*?)\n```", block, flags=re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue().rstrip() == shown, "run python tools/render_readme.py"
