"""Queries the engine cannot run safely (deep nesting, very many parts) get a 400 up front."""

from __future__ import annotations

import pytest

from termgraph.errors import QueryTooComplex
from termgraph.sparql import guard


def chain(n: int) -> str:
    return "SELECT * WHERE { " + " . ".join(f"?v{i} <http://e/p> ?v{i + 1}" for i in range(n)) + " }"


@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000, "nests 5000 levels deep; at most 128"),
    ("SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", "nests 302 levels deep"),
    ("SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(10_000)) + " }",
     "has about 10001 patterns and clauses; at most 400"),
    (chain(10_000), "has about 10000 patterns"),
])
def test_refused_before_the_engine(query, message):
    with pytest.raises(QueryTooComplex) as info:
        guard.check_complexity(query)
    assert message in str(info.value) and info.value.status == 400


@pytest.mark.parametrize("query", [
    chain(300),
    "SELECT * WHERE { VALUES ?x { " + " ".join(f"<http://e/{i}>" for i in range(20_000)) + " } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(str(i) for i in range(5_000)) + ")) }",
    'SELECT * WHERE { ?s ?p "' + "{" * 10_000 + '" } # ' + "." * 10_000,
])
def test_large_but_safe_queries_pass(query):
    guard.check_complexity(query)
