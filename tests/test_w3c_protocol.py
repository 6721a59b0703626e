"""A runner for the W3C SPARQL 1.1 Protocol tests (../shared/w3c/sparql11/protocol/manifest.ttl).

Each test's HTTP requests are sent to the app in-process. Query tests must get the status,
result format and boolean the manifest specifies. termgraph is read-only, so update tests must
be refused cleanly instead: a 4xx, and the dataset unchanged.
"""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import Namespace
from rdflib.collection import Collection

from .conftest import TEST_SETTINGS, W3C, add_w3c_graphs, app_client, inline_state

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

MANIFEST = rdflib.Graph().parse(W3C / "protocol" / "manifest.ttl", format="turtle")
ENTRIES = list(Collection(MANIFEST, next(MANIFEST.objects(None, MF.entries))))


@pytest.fixture(scope="module")
def client(small_root):
    """The app in-process over the W3C tests' named graphs, beside conftest's small_root."""
    from termgraph.settings import Settings

    state = inline_state(Settings(root=small_root, **TEST_SETTINGS), prepare=add_w3c_graphs)
    with app_client(state) as c:
        yield c
    state.close()


def requests_of(test):
    action = MANIFEST.value(test, MF.action)
    return list(Collection(MANIFEST, MANIFEST.value(action, HT.requests)))


def is_update(test) -> bool:
    name = str(test).rsplit("#", 1)[-1]
    return "update" in name


def send(client, req):
    g = MANIFEST
    method = str(g.value(req, HT.methodName))
    path = str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    headers = {}
    headers_list = g.value(req, HT.headers)
    if headers_list is not None:
        for h in Collection(g, headers_list):
            headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    body = g.value(g.value(req, HT.body), CNT.chars) if g.value(req, HT.body) is not None else None
    content = None
    if body is not None:
        charset = headers.get("content-type", "").lower()
        content = str(body).encode("utf-16" if "utf-16" in charset else "utf-8")
    return client.request(method, path, headers=headers, content=content)


def status_ok(status: int, expected) -> bool:
    classes = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4, HTS.StatusCode5xx: 5}
    return any(status // 100 == classes[e] for e in expected)


def check_format(response, fmt: str):
    ctype = response.headers["content-type"].split(";")[0]
    allowed = {
        "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
        "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                    "text/tab-separated-values"},
        "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
    }[fmt]
    assert ctype in allowed, (fmt, ctype)


def check_boolean(response, expected: bool):
    ctype = response.headers["content-type"].split(";")[0]
    if ctype == "application/sparql-results+json":
        assert json.loads(response.content)["boolean"] is expected
    else:
        assert f"<boolean>{str(expected).lower()}</boolean>" in response.text


def dataset_fingerprint(client) -> str:
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    return r.text


def test_the_manifest_has_all_its_tests():
    assert len(ENTRIES) == 34


@pytest.mark.parametrize("test", [t for t in ENTRIES if not is_update(t)], ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_query_protocol(client, test):
    for req in requests_of(test):
        response = send(client, req)
        resp = MANIFEST.value(req, HT.resp)
        expected = list(MANIFEST.objects(resp, MF.expectedStatus))
        assert status_ok(response.status_code, expected), (response.status_code, response.text[:300])
        fmt = MANIFEST.value(resp, MF.expectedFormat)
        if fmt is not None:
            check_format(response, str(fmt))
        boolean = MANIFEST.value(resp, MF.expectedBoolean)
        if boolean is not None:
            check_boolean(response, boolean.toPython())
        if response.status_code >= 400:
            assert response.json()["error"]["message"]


@pytest.mark.parametrize("test", [t for t in ENTRIES if is_update(t)], ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_update_is_refused_and_changes_nothing(client, test):
    before = dataset_fingerprint(client)
    first = requests_of(test)[0]
    response = send(client, first)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["message"]
    assert dataset_fingerprint(client) == before
