"""Stable answers: the same ordered query gives the same bytes from every query worker and after a
restart (`termgraph serve` with two workers, started twice). The data has no blank nodes, so no
worker's own labels can leak into an answer."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from .test_live import start_server

PREFIXES = """PREFIX tg: <https://w3id.org/termgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
CONSTRUCT = PREFIXES + """CONSTRUCT { ?claim tg:evidence ?evidence . ?evidence oa:hasSelector ?selector .
                         ?selector oa:exact ?quote }
WHERE { ?claim tg:evidence ?evidence . ?evidence oa:hasSelector ?selector . ?selector oa:exact ?quote }
ORDER BY ?claim LIMIT 20"""
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 300 OFFSET 2000"
TIMES = 10


def ask(url: str, query: str, accept: str) -> bytes:
    request = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def answers(url: str) -> dict[str, set[bytes]]:
    return {
        "construct": {ask(url, CONSTRUCT, "application/n-triples") for _ in range(TIMES)},
        "select": {ask(url, SELECT, "application/sparql-results+json") for _ in range(TIMES)},
    }


def serve_and_ask() -> dict[str, set[bytes]]:
    url, proc = start_server("--workers", "2")
    try:
        return answers(url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.live
def test_ordered_queries_give_the_same_bytes_from_every_worker_and_after_a_restart():
    first = serve_and_ask()
    second = serve_and_ask()
    for form in ("construct", "select"):
        assert len(first[form]) == 1, f"{form}: {len(first[form])} different answers from one server"
        assert first[form] == second[form], f"{form}: a restart changed the answer"
    assert b"_:" not in next(iter(first["construct"]))  # evidence and selectors are IRIs
    assert next(iter(first["construct"])).count(b"\n") >= 20
