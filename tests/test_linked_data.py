"""Linked-data manners: HEAD on every GET route, Vary on negotiated answers, ETag/Last-Modified
and 304, gzip, every IRI the data uses resolves, VoID, quad formats and aliases, compact JSON-LD,
HTML results for browsers, offline API docs, two extra files never merged, forwarded headers
only from a trusted proxy."""

import gzip
import json
import re

import pyoxigraph as ox
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from termgraph import namespaces as ns

SAMPLE = {"kind": "concept", "name": "foundation-model", "version": "0.1.0", "rest": "curated"}
DOWNLOAD_SAMPLE = "termgraph-void.ttl"
SELECT = ns.sparql_prefixes() + "SELECT ?c ?l WHERE { ?c a tg:Concept ; skos:prefLabel ?l } ORDER BY ?l LIMIT 3"


def all_routes(routes):
    for route in routes:
        nested = getattr(route, "original_router", None)  # FastAPI keeps included routers whole
        yield from all_routes(nested.routes) if nested is not None else [route]


REQUIRED_PARAMETERS = {"/viewer/source-view.json": "?source=source/004"}


def a_disagreement(app) -> dict[str, str]:
    """The kind and name of the first derived disagreement (its IRI's last two steps)."""
    rows = app.state.termgraph.store.query(ns.sparql_prefixes() + "SELECT ?d WHERE { ?d a tg:Disagreement } ORDER BY ?d LIMIT 1")
    kind, name = next(iter(rows))["d"].value.rsplit("/", 2)[1:]
    return {"rule": kind, "name": name}


def get_paths(app) -> list[str]:
    paths = []
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute) and "GET" in route.methods:
            sample = dict(SAMPLE, name=DOWNLOAD_SAMPLE) if route.path.startswith("/download") else SAMPLE
            sample = dict(sample, **a_disagreement(app)) if route.path.startswith("/disagreement/") else sample
            path = re.sub(r"\{(\w+)(:path)?\}", lambda m: sample[m[1]], route.path)
            paths.append(path + REQUIRED_PARAMETERS.get(path, ""))
    return paths


def test_every_get_route_is_covered(client):
    paths = get_paths(client.app)
    assert {"/", "/health", "/ontology", "/sparql", "/rdf-graphs", "/viewer", "/query", "/docs",
            "/download/termgraph-void.ttl", "/concept/foundation-model", "/graph/curated", "/dataset",
            "/.well-known/void", "/ontology/0.1.0", "/concepts"} <= set(paths)


HEAD_EXTRA = ["/sparql?query=ASK%7B%7D", "/rdf-graphs?graph=https://w3id.org/termgraph/graph/ontology",
              "/static/vendor/cytoscape-3.34.4/LICENSE", "/openapi.json"]


def test_head_on_every_get_route_has_the_get_headers_and_no_body(client):
    for path in get_paths(client.app) + HEAD_EXTRA:
        if path == "/rdf-graphs":
            path += "?default"
        got = client.get(path, headers={"Accept-Encoding": "identity"})
        head = client.head(path, headers={"Accept-Encoding": "identity"})
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        assert dict(head.headers) == dict(got.headers), path
        assert int(head.headers["content-length"]) == len(got.content), path


@pytest.mark.parametrize("path,headers", [
    ("/sparql", {"Accept": "text/html"}),
    ("/sparql", {"Accept": "text/turtle"}),
    ("/sparql?query=ASK%7B%7D", {}),
    ("/sparql?query=ASK%7B%7D", {"Accept": "text/html"}),
    ("/sparql?query=ASK%7B%7D", {"Accept": "image/png"}),
    ("/ontology", {"Accept": "text/turtle"}),
    ("/concept/foundation-model", {"Accept": "text/html"}),
    ("/concept/foundation-model", {"Accept": "image/png"}),
    ("/rdf-graphs?default", {"Accept": "application/n-quads"}),
    ("/graph/curated", {}),
    ("/dataset", {}),
])
def test_vary_accept_on_every_negotiated_answer(client, path, headers):
    r = client.get(path, headers=headers)
    assert r.status_code in (200, 406)
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]


def test_etag_and_304(client):
    first = client.get("/concept/foundation-model", headers={"Accept": "text/turtle"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", modified)
    again = client.get("/concept/foundation-model", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["vary"] == first.headers["vary"]
    other = client.get("/concept/foundation-model", headers={"Accept": "application/n-triples",
                                                              "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag  # another representation
    since = client.get("/concept/foundation-model", headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    older = client.get("/concept/foundation-model", headers={"Accept": "text/turtle",
                                                              "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert older.status_code == 200
    assert client.get("/health", headers={"If-None-Match": "*"}).status_code == 304


def test_posts_and_errors_get_no_etag(client):
    assert "etag" not in client.post("/sparql", data={"query": "ASK {}"}).headers
    assert "etag" not in client.get("/concept/none").headers


def test_large_bodies_are_gzipped(client):
    r = client.get("/download/termgraph.nq", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and "Accept-Encoding" in r.headers["vary"]
    raw = client.get("/download/termgraph.nq", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and r.content == raw.content  # httpx decoded it
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    assert gzip.decompress(gzip.compress(raw.content)) == raw.content


# --- every IRI the data uses resolves -------------------------------------------------------------

def iris_used(store) -> set[str]:
    found = set()
    for q in store:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(ns.BASE):
                found.add(term.value)
    return found


def local_paths(store) -> list[str]:
    """Every IRI under https://w3id.org/termgraph/ the data uses, as a path on this server."""
    return sorted({"/" + iri[len(ns.BASE):].split("#")[0] for iri in iris_used(store)})


def test_every_iri_the_data_uses_resolves(client, service_state):
    """Every IRI that is not a term's is fetched, and of each kind of term (one route and one
    query per kind, ~0.1-0.3 s a page) the first and the last, and every term must be described in
    the data. tests/test_live.py fetches every single one from the live server."""
    paths = local_paths(service_state.store)
    by_kind: dict[str, list[str]] = {}
    for p in paths:
        by_kind.setdefault(p.split("/")[1], []).append(p)
    fetched = [p for kind, ps in by_kind.items() for p in (ps if len(ps) < 10 else [ps[0], ps[-1]])]
    assert len(paths) > 300 and {"claim", "concept", "system", "graph", "ontology"} <= set(by_kind)
    failed = [p for p in fetched if client.get(p, headers={"Accept": "text/turtle"}).status_code != 200]
    assert failed == []
    described = {q.subject.value for q in service_state.store}
    terms = [p for p in paths if p.split("/")[1] in ("claim", "concept", "system", "org", "source", "disagreement")]
    assert [p for p in terms if ns.BASE + p[1:] not in described] == []


@pytest.mark.parametrize("path", ["/ontology/0.1.0", "/concepts", "/dataset", "/graph/ontology",
                                  "/graph/claims/000", "/graph/disagreements", "/graph/view/004"])
def test_the_named_iris_resolve_to_rdf_about_them(client, path):
    r = client.get(path, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert len(r.text.splitlines()) > 3


def test_an_unknown_version_or_graph_is_404(client):
    assert client.get("/ontology/9.9.9").status_code == 404
    assert client.get("/graph/nothing").json()["error"]["message"].startswith(
        "<https://w3id.org/termgraph/graph/nothing>: no such graph")


def test_a_graph_in_a_quad_format_keeps_its_name(client):
    r = client.get("/graph/curated", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/n-quads"
    lines = r.text.splitlines()
    assert lines and all(line.endswith("<https://w3id.org/termgraph/graph/curated> .") for line in lines)
    trig = client.get("/rdf-graphs?default", headers={"Accept": "application/trig"})  # the default graph is one graph
    assert {q.graph_name for q in ox.parse(trig.content, format=ox.RdfFormat.TRIG)} == {ox.DefaultGraph()}


# --- VoID -----------------------------------------------------------------------------------------

def void_graph(client, path):
    import rdflib

    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.text, format="turtle")


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void", "/sparql"])
def test_void_names_endpoint_dumps_and_licence(client, path):
    import rdflib

    from termgraph.graph.export import release_names

    g = void_graph(client, path)
    VOID, DCT = rdflib.Namespace("http://rdfs.org/ns/void#"), rdflib.Namespace("http://purl.org/dc/terms/")
    ds = rdflib.URIRef(ns.BASE + "dataset")
    assert set(g.objects(ds, VOID.sparqlEndpoint)) == {rdflib.URIRef("http://testserver/sparql")}
    assert set(g.objects(ds, DCT.license)) == {rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")}
    dumps = {str(o) for o in g.objects(ds, VOID.dataDump)}
    assert dumps == {f"http://testserver/download/{n}" for n in release_names() if not n.endswith(".html")}
    for dump in sorted(dumps)[:3]:
        assert client.get(dump.replace("http://testserver", "")).status_code == 200


# --- formats and aliases --------------------------------------------------------------------------

@pytest.mark.parametrize("accept,media", [
    ("application/json", "application/ld+json"),
    ("application/x-turtle", "text/turtle"),
    ("text/n3", "text/n3"),
])
def test_term_aliases(client, accept, media):
    r = client.get("/system/gato", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media


def test_json_ld_is_compact_with_a_context(client):
    r = client.get("/system/gato", headers={"Accept": "application/ld+json"})
    body = r.json()
    assert body["@context"]["system"] == ns.SYSTEM and body["@context"]["rdfs"] == ns.RDFS
    ids = {node["@id"] for node in body["@graph"]}
    assert "system:gato" in ids
    parsed = {str(t) for t in ox.parse(r.content, format=ox.RdfFormat.JSON_LD)}
    nt = client.get("/system/gato", headers={"Accept": "application/n-triples"}).content
    assert parsed == {str(t) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("param", ["_mediatype", "format"])
def test_sparql_takes_mediatype_and_format(client, param):
    r = client.get("/sparql", params={"query": "ASK {}", param: "csv"}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    both = client.get("/sparql", params={"query": "ASK {}", "_mediatype": "tsv", "format": "csv"})
    assert both.headers["content-type"].startswith("text/tab-separated-values")


# --- a browser opening a query URL ----------------------------------------------------------------

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_gets_the_results_as_a_table_with_links(client):
    r = client.get("/sparql", params={"query": SELECT}, headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<th>c</th><th>l</th>" in r.text
    links = re.findall(r'<a href="(/concept/[^"]+)">', r.text)
    assert len(links) == 3 and all(client.get(link, headers=BROWSER).status_code == 200 for link in links)
    assert "3 rows." in r.text


def test_a_browser_gets_a_construct_as_a_table_and_clients_get_rdf(client):
    q = "CONSTRUCT { <https://w3id.org/termgraph/system/gato> ?p ?o } WHERE { <https://w3id.org/termgraph/system/gato> ?p ?o }"
    html = client.get("/sparql", params={"query": q}, headers=BROWSER)
    assert "<th>subject</th><th>predicate</th><th>object</th>" in html.text
    assert client.get("/sparql", params={"query": q}).headers["content-type"].startswith("text/turtle")
    xml = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")


# --- /docs offline --------------------------------------------------------------------------------

def test_docs_load_nothing_from_elsewhere(client):
    r = client.get("/docs")
    urls = re.findall(r'(?:src|href)="([^"]+)"', r.text) + re.findall(r"url: '([^']+)'", r.text)
    assert urls and all(u.startswith("/") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "https://" not in r.text.replace("https://w3id.org", "")


def test_swagger_ui_is_vendored_with_its_licence(root):
    folder = root / "src/termgraph/web/static/vendor/swagger-ui-dist-5.35.0"
    assert "Apache License" in (folder / "LICENSE").read_text()
    pinned = json.loads((root / "frontend/package.json").read_text())["dependencies"]["swagger-ui-dist"]
    assert folder.name.endswith(pinned)


# --- two extra files, one stem --------------------------------------------------------------------

def test_two_extra_files_with_one_stem_are_an_error_not_a_merge(tmp_path, root):
    from termgraph.graph import load as loader
    from termgraph.errors import DataNotFound
    from termgraph.settings import Settings

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "extra.ttl", tmp_path / "b" / "extra.jsonld"
    a.write_text("<http://e/a> <http://e/p> <http://e/o> .\n")
    b.write_text('{"@id": "http://e/b", "http://e/p": {"@id": "http://e/o"}}')
    with pytest.raises(DataNotFound) as info:
        loader.load(Settings(root=root, extra_files=(a, b)))
    assert str(info.value) == (f"{a} and {b} would both be the graph <https://w3id.org/termgraph/graph/user/extra> "
                               "(one graph per file name stem): rename one of them")


def test_serve_refuses_two_files_for_one_graph_before_loading(tmp_path, capsys):
    from termgraph.cli import main

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for path in (tmp_path / "a" / "x.ttl", tmp_path / "b" / "x.nt"):
        path.write_text("<http://e/a> <http://e/p> <http://e/o> .\n")
    code = main(["serve", str(tmp_path / "a" / "x.ttl"), str(tmp_path / "b" / "x.nt")])
    err = capsys.readouterr().err
    assert code == 2 and "rename one of them" in err and len(err.strip().splitlines()) == 1


# --- behind a proxy -------------------------------------------------------------------------------

@pytest.fixture
def proxied(service_state):
    """The app as seen through a proxy at 127.0.0.1 (TestClient's peer is 'testclient')."""
    from termgraph.web.app import create_app

    def make(trusted):
        service_state.settings = service_state.settings.with_(trusted_proxies=trusted)
        return TestClient(create_app(service_state), base_url="http://backend:8000")
    original = service_state.settings
    yield make
    service_state.settings = original


def endpoint_of(client, headers) -> str:
    import rdflib

    r = client.get("/sparql", headers={"Accept": "text/turtle", **headers})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    return str(next(g.objects(None, SD.endpoint)))


@pytest.mark.parametrize("trusted,headers,expected", [
    (("testclient",), {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tg.example.org"},
     "https://tg.example.org/sparql"),
    (("testclient",), {"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "tg.example.org, inner"},
     "https://tg.example.org/sparql"),
    (("testclient",), {"X-Forwarded-Proto": "https"}, "http://backend:8000/sparql"),  # one alone: neither
    (("testclient",), {"X-Forwarded-Host": "tg.example.org"}, "http://backend:8000/sparql"),
    ((), {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tg.example.org"}, "http://backend:8000/sparql"),
    (("10.0.0.1",), {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tg.example.org"},
     "http://backend:8000/sparql"),  # not from the trusted proxy
    (("testclient",), {"X-Forwarded-Proto": "gopher", "X-Forwarded-Host": "tg.example.org"},
     "http://backend:8000/sparql"),
])
def test_forwarded_headers_together_and_only_from_a_trusted_proxy(proxied, trusted, headers, expected):
    with proxied(trusted) as c:
        assert endpoint_of(c, headers) == expected


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # nothing printed either
def test_a_graph_over_the_result_cap_is_a_422_not_a_crash(client, service_state):
    original = service_state.settings
    service_state.settings = original.with_(max_result_bytes=10_000)
    try:
        for fmt in ("application/n-triples", "application/n-quads", "application/ld+json"):
            r = client.get("/rdf-graphs?default", headers={"Accept": fmt})
            assert r.status_code == 422, fmt
            assert r.json()["error"]["message"] == ("the result is larger than 10000 bytes; narrow the query "
                                                    "or add LIMIT")
    finally:
        service_state.settings = original


def test_the_endpoint_page_form_offers_the_registry_formats(client):
    from termgraph import formats

    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    offered = re.findall(r"<option>(\w+)</option>", page)
    assert offered == formats.format_names(formats.SOLUTIONS) + formats.format_names(formats.GRAPH)
    r = client.post("/sparql", data={"query": "ASK {}", "format": "html"})
    assert r.headers["content-type"].startswith("text/html") and "Answer: <b>yes</b>" in r.text


def test_every_release_file_downloads_with_its_media_type(client):
    from termgraph.graph.export import release_names
    from termgraph import formats

    for name in release_names(client.app.state.termgraph.store):
        r = client.get(f"/download/{name}")
        fmt = formats.by_suffix("." + name.rsplit(".", 1)[-1])
        assert r.status_code == 200, name
        expected = fmt.media_type if fmt else ("application/xml" if name.endswith(".xml") else "text/html")
        assert r.headers["content-type"].split(";")[0] == expected, name
    assert client.get("/download/ontology.html").status_code == 404


def test_the_release_files_are_written_at_start_up_never_by_a_request(service_state, tmp_path):
    import dataclasses

    from termgraph.graph.export import release_names
    from termgraph.web.state import write_release

    written = write_release(service_state.store, tmp_path)
    assert sorted(written) == sorted(release_names(service_state.store)) and all(p.is_file() for p in written.values())
    assert {"termgraph-source-004.ttl", "catalog-v001.xml"} <= set(written)
    bare = dataclasses.replace(service_state, release={}, workdir=tmp_path / "work")
    from .conftest import app_client

    client = app_client(bare)
    assert client.get("/download/termgraph.ttl").status_code == 404
    assert not (tmp_path / "work").exists()  # a request writes nothing


def test_the_landing_page_links_every_release_file(client):
    from termgraph.graph.export import release_names

    page = client.get("/").text
    linked = set(re.findall(r'href="/download/([^"]+)"', page))
    assert {n for n in release_names(client.app.state.termgraph.store) if not n.endswith(".html")} <= linked
    assert all(client.head(f"/download/{n}").status_code == 200 for n in linked)


def test_a_skolemised_blank_node_resolves_to_its_triples(client, service_state):
    """The IRIs that stand for a file's blank nodes (OWL lists) resolve too: every IRI the data uses does."""
    genid = next(q.subject.value for q in service_state.store if "/.well-known/genid/" in getattr(q.subject, "value", ""))
    r = client.get("/" + genid[len(ns.BASE):], headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.startswith(f"<{genid}> ")
    assert client.get(genid[len(ns.BASE) - 1:] + "x").status_code == 404


POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' "
          "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
          "object-src 'none'")


@pytest.mark.parametrize("path,headers,status", [
    ("/", {"Accept": "text/html"}, 200), ("/sparql?query=ASK%7B%7D", {}, 200), ("/no/such/page", {}, 404),
    ("/sparql?query=SELEC", {}, 400), ("/concept/foundation-model", {"Accept": "text/turtle"}, 200),
])
def test_every_response_carries_the_security_headers(client, path, headers, status):
    r = client.get(path, headers=headers)
    assert r.status_code == status
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["content-security-policy"] == POLICY
    etag = client.get("/", headers={"Accept": "text/html"}).headers["etag"]
    again = client.get("/", headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/query", "/viewer", "/docs", "/sparql", "/concept/foundation-model",
                                  "/no/such/page"])
def test_no_page_has_an_inline_script_or_style_the_policy_would_block(client, path):
    """Every <script> is a file of this site or a JSON data block (never run); no style="" and no
    <style> block, so the browser runs and styles everything under script-src/style-src 'self'."""
    html = client.get(path, headers={"Accept": "text/html"}).text
    for tag, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert ('src="/static/' in tag and not body.strip()) or ('type="application/json"' in tag and json.loads(body)), tag
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), path
    assert POLICY in client.get(path).headers["content-security-policy"]


def test_the_inline_styles_the_policy_allows_are_the_ones_yasgui_writes(root):
    """YASGUI's column resizer writes its table CSS and a drag cursor as <style> blocks; the policy
    allows exactly those texts by hash, recomputed here from the vendored file."""
    import base64
    import hashlib

    js = (root / "src/termgraph/web/static/vendor/yasgui-4.6.2/yasgui.min.js").read_text(encoding="utf-8")
    table_css = re.findall(r"createStyle\(a,`( \.grip-resizable[^`]*)`\)", js)
    assert len(table_css) == 1 and "`*{cursor:`+n.opt.dragCursor+`!important}`" in js and "dragCursor:`col-resize`" in js
    for text in (table_css[0], "*{cursor:col-resize!important}"):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in POLICY.split("; ")[2]


def test_the_ontology_page_allows_its_own_style_block_by_hash_and_nothing_else(client):
    import base64
    import hashlib

    r = client.get("/ontology", headers={"Accept": "text/html"})
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", r.text, flags=re.S)
    assert len(blocks) == 1  # pyLODE embeds its CSS
    digest = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
    assert r.headers["content-security-policy"] == POLICY.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")
    assert "<script" not in r.text.replace('<script id="schema.org" type="application/ld+json">', "")


def test_a_release_file_is_streamed_with_the_etag_of_its_bytes(client):
    """A download passes through manners.py chunk by chunk, compressed on the fly (the whole
    dataset's N-Quads are ~900 MB at ~3 M quads: held whole, they stayed in the server's memory),
    with the ETag of its bytes."""
    from termgraph.web.manners import etag_of

    raw = client.get("/download/termgraph.nq", headers={"Accept-Encoding": "identity"})
    assert raw.status_code == 200 and raw.headers["etag"] == etag_of(raw.content)
    assert raw.headers["content-length"] == str(len(raw.content))
    packed = client.get("/download/termgraph.nq", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.content == raw.content
    assert "content-length" not in packed.headers  # (a held answer is compressed whole, with its length)
    again = client.get("/download/termgraph.nq", headers={"If-None-Match": raw.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_landing_page_reads_the_dataset_once(client, monkeypatch):
    """(The dataset never changes while served: the landing page's counts and lists are read at
    the first visit, not at every one.)"""
    from termgraph.web.routes import pages

    first = client.get("/")

    def not_again(store):
        raise AssertionError("the landing page queried the store again")

    monkeypatch.setattr(pages.queries, "counts", not_again)
    monkeypatch.setattr(pages.queries, "listing", not_again)
    again = client.get("/")
    assert first.status_code == again.status_code == 200 and again.text == first.text
