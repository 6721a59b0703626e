"""/sparql and /query agree with the CLI: termgraph's prefixes are predeclared at the endpoint
(and said so), the editor's examples are short and named in full, the page describes the default
graph as it is, and a named graph's link opens a page in a browser."""

import json
import re

import pytest

from termgraph import namespaces as ns
from termgraph.executor import engine

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
NO_PREFIXES = "SELECT ?l WHERE { concept:foundation-model skos:prefLabel ?l }"


@pytest.mark.parametrize("send", ["get", "form", "direct"])
def test_a_query_without_prefix_lines_runs_at_the_endpoint(client, send):
    if send == "get":
        r = client.get("/sparql", params={"query": NO_PREFIXES})
    elif send == "form":
        r = client.post("/sparql", data={"query": NO_PREFIXES})
    else:
        r = client.post("/sparql", content=NO_PREFIXES, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert [b["l"]["value"] for b in r.json()["results"]["bindings"]] == ["foundation model"]


def test_a_querys_own_prefix_wins_over_the_predeclared_one(client):
    q = "PREFIX concept: <https://example.org/other/> ASK { concept:foundation-model ?p ?o }"
    assert client.get("/sparql", params={"query": q}).json()["boolean"] is False


def test_an_unknown_prefix_is_still_an_error_naming_it(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:x ?o }"})
    assert r.status_code == 400 and "unknown prefix 'nope:'" in r.json()["error"]["message"]


def test_a_store_elsewhere_is_sent_the_prefix_lines_the_query_needs():
    assert engine.declared(NO_PREFIXES) == (f"PREFIX concept: <{ns.CONCEPT}>\nPREFIX skos: <{ns.SKOS}>\n"
                                            + NO_PREFIXES)
    own = "PREFIX skos: <http://e/> SELECT * { ?s skos:x ?o ; nope:y ?z }"
    assert engine.declared(own) == own


def test_the_service_description_says_which_prefixes_are_predeclared(client):
    r = client.get("/sparql", headers={"Accept": "application/n-triples"})
    line = next(line for line in r.text.splitlines() if "Prefixes predeclared" in line)
    assert "<http://purl.org/dc/terms/description>" in line and f"tg: <{ns.TG}>" in line


def test_the_sparql_page_describes_the_default_graph_and_labels_the_query_box(client):
    page = client.get("/sparql", headers=BROWSER).text
    assert "union of all graphs" not in page
    assert "not the union of the named graphs" in page and "only the statements no source disputes" in page
    assert '<label for="sparql-query">Query</label>' in page and 'id="sparql-query" name="query"' in page
    assert "termgraph's prefixes are predeclared" in page
    box = re.search(r'<textarea[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "PREFIX" not in box and box.count("\n") == 0


def test_the_query_editor_examples_are_short_and_named_in_full(client):
    page = client.get("/query", headers=BROWSER).text
    examples = json.loads(re.search(r'id="example-queries">(.*?)</script>', page, re.S).group(1))
    assert examples and all("PREFIX" not in e["query"] for e in examples)
    names = [e["name"] for e in examples]
    assert "Where do the sources disagree about how generative AI, large language models and foundation " \
           "models relate?" in names
    assert all(n.endswith(("?", ".")) for n in names), names
    assert json.loads(re.search(r'id="predeclared">(.*?)</script>', page, re.S).group(1)) == ns.PREFIXES


@pytest.mark.parametrize("path", ["/rdf-graphs?graph=" + ns.GRAPH + "view/004", "/graph/view/004"])
def test_a_named_graphs_link_opens_a_page_in_a_browser_and_rdf_elsewhere(client, path):
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Graph view/004</h1>" in page.text and "The statements source 004 asserts" in page.text
    assert '?graph=' not in path or "_mediatype=turtle" in page.text
    for accept in ("*/*", "text/turtle"):
        rdf = client.get(path, headers={"Accept": accept})
        assert rdf.headers["content-type"].startswith("text/turtle")


def test_the_default_graphs_page(client):
    page = client.get("/rdf-graphs?default", headers=BROWSER).text
    assert "<h1>The default graph</h1>" in page and "The first 100 triples" in page
