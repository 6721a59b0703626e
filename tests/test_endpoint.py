"""The SPARQL endpoint in-process: protocol, formats, negotiation, service description, graph
store reads, term pages, CORS, and the safety limits."""

import threading
import time

import pytest

SELECT = "SELECT ?l WHERE { <https://w3id.org/termgraph/concept/foundation-model> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
CONSTRUCT = ("CONSTRUCT { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } WHERE { "
             "?c a <https://w3id.org/termgraph/ontology#Concept> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")


def bindings(response):
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


# --- the three ways to send a query -------------------------------------------------------------

def test_get(client):
    r = client.get("/sparql", params={"query": SELECT})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    assert bindings(r) == [{"l": "foundation model"}]


def test_post_form(client):
    r = client.post("/sparql", data={"query": SELECT})
    assert r.status_code == 200 and bindings(r) == [{"l": "foundation model"}]


def test_post_direct(client):
    r = client.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and bindings(r) == [{"l": "foundation model"}]


# --- the dataset ----------------------------------------------------------------------------------

COUNT_CLAIMS = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/termgraph/ontology#Claim> }"


def count(client, **params):
    return int(bindings(client.get("/sparql", params={"query": COUNT_CLAIMS, **params}))[0]["n"])


def test_default_graph_is_the_union(client):
    assert count(client) > 250


def test_default_graph_uri_narrows_the_default_graph(client):
    only_000 = count(client, **{"default-graph-uri": "https://w3id.org/termgraph/graph/claims/000"})
    curated = count(client, **{"default-graph-uri": "https://w3id.org/termgraph/graph/curated"})
    assert 0 < only_000 < count(client) and curated == 0


def test_protocol_dataset_overrides_from(client):
    q = "SELECT (COUNT(?c) AS ?n) FROM <https://w3id.org/termgraph/graph/curated> WHERE { ?c a <https://w3id.org/termgraph/ontology#Claim> }"
    assert int(bindings(client.get("/sparql", params={"query": q}))[0]["n"]) == 0
    r = client.get("/sparql", params={"query": q, "default-graph-uri": "https://w3id.org/termgraph/graph/claims/001"})
    assert int(bindings(r)[0]["n"]) > 50


def test_named_graph_uri(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": "https://w3id.org/termgraph/graph/view/004"})
    assert bindings(r) == [{"g": "https://w3id.org/termgraph/graph/view/004"}]


G = "https://w3id.org/termgraph/graph/"
A, B, MISSING = G + "claims/000", G + "view/004", G + "no-such-graph"
TRIPLES = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
GRAPHS = "SELECT DISTINCT ?g {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?g"


def dataset_seen(client, from_clause: str = "", **params) -> tuple[int, list[str]]:
    """(the triples in the default graph, the named graphs GRAPH ?g reaches) of one dataset."""
    n = client.get("/sparql", params={"query": TRIPLES.format(**{"from": from_clause}), **params})
    g = client.get("/sparql", params={"query": GRAPHS.format(**{"from": from_clause}), **params})
    assert n.status_code == 200 and g.status_code == 200, (n.text, g.text)
    return int(bindings(n)[0]["n"]), [b["g"] for b in bindings(g)]


def size_of(client, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(bindings(client.get("/sparql", params={"query": q}))[0]["n"])


# Each case: the query's FROM clauses, the protocol parameters, then the default graph it must
# have ("store": the store's own default graph; a graph: that graph alone; 0: empty) and the
# named graphs GRAPH ?g must reach ("all", or exactly these).
DATASET_CASES = {
    "none named: the store's default graph, every named graph": ("", {}, "store", "all"),
    "default-graph-uri only: no named graphs": ("", {"default-graph-uri": A}, A, []),
    "named-graph-uri only: an empty default graph": ("", {"named-graph-uri": B}, 0, [B]),
    "both protocol parameters": ("", {"default-graph-uri": A, "named-graph-uri": B}, A, [B]),
    "FROM only: no named graphs": (f"FROM <{A}>", {}, A, []),
    "FROM NAMED only: an empty default graph": (f"FROM NAMED <{B}>", {}, 0, [B]),
    "FROM and FROM NAMED": (f"FROM <{A}> FROM NAMED <{B}>", {}, A, [B]),
    "default-graph-uri replaces FROM and FROM NAMED": (f"FROM <{B}> FROM NAMED <{B}>",
                                                       {"default-graph-uri": A}, A, []),
    "named-graph-uri replaces FROM: an empty default graph": (f"FROM <{A}>", {"named-graph-uri": B}, 0, [B]),
    "a graph the dataset lacks is empty": ("", {"default-graph-uri": MISSING, "named-graph-uri": MISSING}, 0, []),
}


@pytest.mark.parametrize("case", list(DATASET_CASES))
def test_the_dataset_of_a_request(client, case):
    """SPARQL 1.1 Query §13.2 and Protocol §2.1.4, whatever the store's default graph holds."""
    from termgraph.sparql.service_description import default_size

    from_clause, params, default, named = DATASET_CASES[case]
    triples, graphs = dataset_seen(client, from_clause, **params)
    if default == "store":
        assert triples == default_size(client.app.state.termgraph.store) > 1000
    else:
        assert triples == (size_of(client, default) if isinstance(default, str) else default)
    if named == "all":
        assert A in graphs and B in graphs and len(graphs) > 5
    else:
        assert graphs == named


# --- formats and negotiation ------------------------------------------------------------------------

@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("text/html;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
])
def test_select_formats(client, accept, expected):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == expected
    assert "foundation model" in r.text


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_construct_formats(client, accept):
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
    assert "foundation model" in r.text


def test_describe(client):
    r = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/termgraph/system/gato>"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and "Gato" in r.text


def test_ask_json(client):
    r = client.get("/sparql", params={"query": "ASK { ?s a <https://w3id.org/termgraph/ontology#Claim> }"})
    assert r.json() == {"head": {}, "boolean": True}


def test_format_parameter_overrides_accept(client):
    r = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("text/csv")


def test_406_names_the_formats_on_offer(client):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["error"]["message"]


def test_415_for_a_body_type_it_does_not_take(client):
    r = client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.json()["error"]["message"]


@pytest.mark.parametrize("params,content,headers,needle", [
    ({"query": "SELEC * WHERE { ?s ?p ?o }"}, None, {}, "not a query form: SELEC;"),
    ({"query": ["ASK {}", "ASK {}"]}, None, {}, "query"),
    ({"query": "   "}, None, {}, "empty"),
    ({}, b"\xff\xfeA\x00", {"Content-Type": "application/sparql-query"}, "UTF-8"),
])
def test_400_with_a_message(client, params, content, headers, needle):
    if content is None:
        r = client.get("/sparql", params=params)
    else:
        r = client.post("/sparql", params=params, content=content, headers=headers)
    assert r.status_code == 400
    assert needle in r.json()["error"]["message"]


def test_head_and_options(client):
    assert client.head("/sparql", params={"query": SELECT}).status_code == 200
    r = client.options("/sparql")
    assert r.status_code == 204 and "POST" in r.headers["allow"]


def test_cors_for_reads(client):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "*"


# --- service description, VoID, graph store, downloads ---------------------------------------------

def test_service_description_in_turtle(client):
    import rdflib

    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    endpoint = rdflib.URIRef("http://testserver/sparql")
    assert (endpoint, SD.endpoint, endpoint) in g
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in g
    names = set(g.objects(None, SD.name))
    assert rdflib.URIRef("https://w3id.org/termgraph/graph/view/002") in names
    triples = {s: int(o) for s, o in g.subject_objects(VOID.triples)}
    assert triples[rdflib.URIRef("https://w3id.org/termgraph/graph/curated")] > 100


@pytest.mark.parametrize("accept", ["application/ld+json", "application/rdf+xml"])
def test_service_description_formats(client, accept):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert "sparql-service-description" in r.text


def test_browser_gets_an_html_page(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html") and "SPARQL endpoint" in r.text


def test_graph_store_read(client):
    r = client.get("/rdf-graphs", params={"graph": "https://w3id.org/termgraph/graph/ontology"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.count("\n") > 200
    assert client.get("/rdf-graphs", params={"default": ""}, headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/rdf-graphs", params={"graph": "http://example.org/none"}).status_code == 404
    assert client.get("/rdf-graphs").status_code == 400


def test_downloads(client):
    r = client.get("/download/termgraph-ontology.ttl")
    assert r.status_code == 200 and "owl:Ontology" in r.text
    assert client.get("/download/nothing.ttl").status_code == 404


# --- term IRIs ---------------------------------------------------------------------------------------

def test_term_page_for_a_browser(client):
    r = client.get("/concept/large-language-model", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "large language model" in r.text
    assert "In reality, LLMs are a subset of the broader field of generative AI" in r.text
    assert 'rel="alternate"' in r.headers["link"] and "text/turtle" in r.headers["link"]


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_term_as_rdf(client, accept):
    r = client.get("/system/gato", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept) and "Gato" in r.text


@pytest.mark.parametrize("path", ["/source/000", "/claim/004-010", "/org/openai", "/concept/foundation-model"])
def test_every_kind_of_term_dereferences(client, path):
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200
    assert client.get(path, params={"_mediatype": "text/turtle"}).headers["content-type"].startswith("text/turtle")


def test_unknown_term_is_404(client):
    assert client.get("/concept/no-such-thing").status_code == 404


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    assert "/sparql" in client.get("/openapi.json").json()["paths"]


# --- safety ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <{url}>",
])
def test_no_outbound_connection(client, listener, template):
    url, seen = listener
    r = client.get("/sparql", params={"query": template.format(url=url)})
    assert r.status_code == 400 and r.json()["error"]["message"]
    time.sleep(0.3)
    assert seen == []


@pytest.mark.live
def test_a_runaway_query_is_stopped_and_others_are_served(pooled_client, pooled_state):
    client, service_state = pooled_client, pooled_state
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    pids_before = {w.pid for w in service_state.pool.idle + list(service_state.pool.busy)}
    result = {}

    def slow():
        start = time.monotonic()
        result["response"] = client.get("/sparql", params={"query": runaway})
        result["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    quick = client.get("/sparql", params={"query": SELECT})  # served meanwhile by the other worker
    assert quick.status_code == 200
    thread.join(30)
    r = result["response"]
    assert r.status_code == 503 and "longer than 3 s" in r.json()["error"]["message"]
    assert result["seconds"] < 3 + 3  # the limit, plus the time to start a fresh worker
    killed = pids_before - {w.pid for w in service_state.pool.idle + list(service_state.pool.busy)}
    assert len(killed) == 1  # its worker was stopped (its CPU released) and replaced
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200


def test_result_cap(client):
    pairs = ("CONSTRUCT { ?a <http://example.org/with> ?b } WHERE { ?a a <https://w3id.org/termgraph/ontology#Claim> . "
             "?b a <https://w3id.org/termgraph/ontology#Claim> }")  # ~250,000 triples, past the 2 MB cap
    r = client.get("/sparql", params={"query": pairs}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 422 and "larger than" in r.json()["error"]["message"]


def test_body_and_query_string_caps(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000
    assert client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    long_get = client.get("/sparql", params={"query": "ASK {} #" + "x" * 9_000})
    assert long_get.status_code == 414


def test_put_is_405(client):
    r = client.put("/sparql", content="ASK {}")
    assert r.status_code == 405 and "GET" in r.headers["allow"]


def test_graph_exports_for_other_viewers(client):
    import xml.etree.ElementTree as ET

    cy = client.get("/graph.cyjs").json()["elements"]
    g = ET.fromstring(client.get("/graph.graphml").content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(g.findall(".//g:node", ns)) == len(cy["nodes"]) > 50
    assert len(g.findall(".//g:edge", ns)) == len(cy["edges"]) > 100
    bert = [e["data"] for e in cy["edges"] if e["data"]["source"] == "system/bert"
            and e["data"]["target"] == "concept/generative-ai"]
    assert bert and bert[0]["contested"] is True and "source/002: denies" in bert[0]["bySource"]


def test_a_term_page_shows_only_the_curated_definition_as_curated(client):
    r = client.get("/concept/foundation-model", headers={"Accept": "text/html"})
    assert r.text.count("Curated definition") == 1


def test_term_rdf_does_not_flatten_source_views_into_facts(client):
    import rdflib

    r = client.get("/system/bert", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    bert = rdflib.URIRef("https://w3id.org/termgraph/system/bert")
    assert (bert, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/termgraph/concept/generative-ai")) not in g
    assert len(set(g.subjects(rdflib.RDF.subject, bert))) >= 5  # the claims about BERT, attributed


# --- exact bodies, each format (in the style of Oxigraph's server tests) ------------------------------

@pytest.mark.parametrize("accept,content_type,body", [
    ("text/csv", "text/csv", "l\r\nfoundation model\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", '?l\n"foundation model"@en\n'),
    ("application/sparql-results+json", "application/sparql-results+json",
     '{"head":{"vars":["l"]},"results":{"bindings":[{"l":{"type":"literal","value":"foundation model",'
     '"xml:lang":"en"}}]}}'),
    ("application/json", "application/sparql-results+json",
     '{"head":{"vars":["l"]},"results":{"bindings":[{"l":{"type":"literal","value":"foundation model",'
     '"xml:lang":"en"}}]}}'),
])
def test_select_exact_bodies(client, accept, content_type, body):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == content_type
    assert r.headers["vary"].startswith("Accept") and r.text == body


ONE_TRIPLE = ("CONSTRUCT { <https://w3id.org/termgraph/concept/foundation-model> "
              "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } WHERE { "
              "<https://w3id.org/termgraph/concept/foundation-model> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")


@pytest.mark.parametrize("accept,content_type,body", [
    ("application/n-triples", "application/n-triples",
     '<https://w3id.org/termgraph/concept/foundation-model> <http://www.w3.org/2004/02/skos/core#prefLabel> '
     '"foundation model"@en .\n'),
    ("text/plain", "application/n-triples",
     '<https://w3id.org/termgraph/concept/foundation-model> <http://www.w3.org/2004/02/skos/core#prefLabel> '
     '"foundation model"@en .\n'),
    ("application/ld+json", "application/ld+json",
     '{"@context":{"concept":"https://w3id.org/termgraph/concept/","skos":"http://www.w3.org/2004/02/skos/core#"},'
     '"@graph":[{"@id":"concept:foundation-model","skos:prefLabel":[{"@language":"en","@value":"foundation model"}]}]}'),
])
def test_construct_exact_bodies(client, accept, content_type, body):
    r = client.get("/sparql", params={"query": ONE_TRIPLE}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == content_type and r.text == body


def test_ask_exact_bodies(client):
    ask = "ASK { ?s a <https://w3id.org/termgraph/ontology#Claim> }"
    assert client.get("/sparql", params={"query": ask, "format": "xml"}).text == (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
        '<boolean>true</boolean></sparql>')
    assert client.get("/sparql", params={"query": ask}, headers={"Accept": "text/*"}).text == "true"


def test_an_html_results_page_shows_at_most_its_row_cap(client, monkeypatch):
    """Issue #27: a browser GET of a 150,000-row SELECT was built whole (8 s, +380 MiB): the
    page now shows at most HTML_ROWS rows and counts the rest."""
    from termgraph.web import results_page

    monkeypatch.setattr(results_page, "HTML_ROWS", 3)
    r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"},
                   headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.text.count("<tr><td>") == 3
    assert "10 rows; the first 3 shown here." in r.text
