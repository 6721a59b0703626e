"""The query path's speed-ups change no answer: `serve --no-cache` serves its derived store
compacted (graph/snapshot.py `compacted`: the same quads loaded afresh), and the answers to the
eight benchmark queries (bench/run.py) are the same, row for row, on the project's data."""

from __future__ import annotations

import importlib.util
import json

import pyoxigraph as ox
import pytest

from termgraph.graph.snapshot import compacted

from .conftest import ROOT


def bench_queries() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.QUERIES


QUERIES = bench_queries()


def answer(store: ox.Store, query: str):
    """The query's answer as a comparable value: True/False, the sorted rows (SPARQL JSON
    bindings), or the sorted N-Triples lines. Every benchmark query's answer on the project's data
    is complete (under its LIMIT), so the rows' order is the only freedom the engine has."""
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        rows = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]
        return sorted(json.dumps(row, sort_keys=True) for row in rows)
    return sorted(result.serialize(format=ox.RdfFormat.N_TRIPLES).decode().splitlines())


@pytest.fixture(scope="module")
def fresh(data) -> ox.Store:
    return compacted(data.store)


def test_a_compacted_store_holds_exactly_the_same_quads(data, fresh):
    assert fresh is not data.store and len(fresh) == len(data.store) > 20_000
    assert set(fresh) == set(data.store)


@pytest.mark.parametrize("name", QUERIES)
def test_each_benchmark_query_answers_the_same_on_the_compacted_store(data, fresh, name):
    expected = answer(data.store, QUERIES[name])
    assert answer(fresh, QUERIES[name]) == expected
    assert expected not in ([], None)  # (an empty answer would prove nothing; ASK's False is an answer)


def test_the_comparison_sees_one_quad_missing(data, fresh):
    """The broken fixture: a store one claim's subject short answers differently."""
    claim_query = QUERIES["claims about a concept"]
    broken = ox.Store()
    broken.extend(fresh)
    some = next(iter(broken.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"),
                                              ox.NamedNode("https://w3id.org/termgraph/concept/large-language-model"),
                                              ox.DefaultGraph())))
    broken.remove(some)
    assert answer(broken, claim_query) != answer(data.store, claim_query)
