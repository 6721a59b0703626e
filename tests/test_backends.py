"""Serving from an on-disk store (build-store / serve --store) and from SPARQL stores elsewhere
(publish / serve --backend): Oxigraph server, Virtuoso, and two Oxigraph replicas behind HAProxy.

The live tests start the real servers with `bash scripts/backends.sh start` (on loopback; it
installs what is missing) and stop them at the end. Through each backend, the W3C protocol
runner and the README's example queries must give what they give in memory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from termgraph import namespaces as ns
from termgraph.graph import store as disk
from termgraph.graph.load import validated
from termgraph.graph.snapshot import load_snapshot
from termgraph.graph.publish import PublishFailed, publish
from termgraph.errors import DataNotFound, TermgraphError
from termgraph.settings import Settings
from termgraph import formats
from termgraph.executor.remote import DEFAULT_GRAPH, BackendError, RemoteWorkers, request_params, screen
from termgraph.web.app import create_app
from termgraph.web.state import build_state

from . import test_w3c_protocol as w3c
from .conftest import ROOT, W3C_GRAPHS, add_w3c_graphs
from . import test_endpoint as endpoint
from .test_readme import EXAMPLES

LIMITS = dict(workers=2, query_timeout=3.0, max_body_bytes=200_000, max_query_string=8_000,
              max_result_bytes=2_000_000)
QUERIES = [w3c_test for w3c_test in w3c.ENTRIES if not w3c.is_update(w3c_test)]
UPDATES = [w3c_test for w3c_test in w3c.ENTRIES if w3c.is_update(w3c_test)]


def table_of(response) -> str:
    assert response.status_code == 200, response.text[:300]
    return formats.table(ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON))


def cells(table: str) -> list[list[str]]:
    """A text table's cells, each cell's words sorted: GROUP_CONCAT's order is left to the engine."""
    return [[" ".join(sorted(c.split())) for c in line.split("|")] for line in table.splitlines()]


def assert_same_answer(got: str, shown: str, query: str) -> None:
    if "GROUP_CONCAT" in query.upper():
        assert cells(got) == cells(shown)
    else:
        assert got == shown


def ask_readme(client, query: str):
    return client.post("/sparql", content=(ns.sparql_prefixes() + query).encode(),
                       headers={"Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})


# --- the on-disk store (no server needed) ---------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The whole dataset (and the W3C test graphs) in an on-disk store: for the live tests."""
    target = tmp_path_factory.mktemp("store") / "db"
    sizes = disk.build_store(Settings(root=ROOT), target, prepare=add_w3c_graphs)
    return target, sizes


@pytest.fixture(scope="module")
def small_built(tmp_path_factory, small_root):
    """A small copy of the data in an on-disk store (the same code path, a third of the triples)."""
    target = tmp_path_factory.mktemp("store") / "db"
    sizes = disk.build_store(Settings(root=small_root), target, prepare=add_w3c_graphs)
    return target, sizes


def test_build_store_writes_the_whole_dataset_once(small_built, small_root):
    from termgraph.graph import load as loader

    target, sizes = small_built
    manifest = json.loads((target / disk.MANIFEST).read_text())
    assert manifest["graphs"] == sizes
    expected = loader.load(Settings(root=small_root))
    assert {g: n for g, n in sizes.items() if g in expected.graph_sizes()} == expected.graph_sizes()
    assert set(sizes) - set(expected.graph_sizes()) == set(W3C_GRAPHS)
    assert manifest["default_graph"] == expected.default_graph_size()
    with pytest.raises(TermgraphError, match="already exists and is not an empty folder"):
        disk.build_store(Settings(root=small_root), target)
    snapshot = ox.Store()
    snapshot.load(path=str(target / disk.SNAPSHOT), format=ox.RdfFormat.N_QUADS)
    assert set(snapshot) == set(ox.Store.read_only(str(target)))


@pytest.mark.live  # (starts the query workers)
def test_build_store_writes_the_release_files_once_and_serve_links_them(small_built, small_root, tmp_path):
    """build-store writes the release files beside the store (with their manifest); every serve
    --store, on disk or in memory, links them instead of writing them again: the same bytes as the
    files written from the dataset."""
    import filecmp

    from termgraph.graph import cache, export
    from termgraph.graph import load as loader

    target, _ = small_built
    assert cache.release_problem(target) is None and disk.built_release(target) == target / cache.RELEASE
    fresh = tmp_path / "fresh"
    export.export(loader.LoadedData(load_snapshot(target), []), fresh)
    names = sorted(p.name for p in fresh.iterdir())
    assert sorted(p.name for p in (target / cache.RELEASE).iterdir()) == sorted(names + [cache.RELEASE_MANIFEST])
    for in_memory in (False, True):
        said: list[str] = []
        state = build_state(Settings(root=small_root, store_dir=target, store_in_memory=in_memory, workers=1),
                            progress=said.append)
        try:
            assert "copying the release files from the built store" in said
            assert not any("writing the release files" in line for line in said)
            assert sorted(state.release) == names
            assert all(filecmp.cmp(state.release[n], fresh / n, shallow=False) for n in names)
        finally:
            state.close()


@pytest.mark.live  # (starts the query workers)
def test_a_store_whose_release_files_are_damaged_gets_them_written_by_its_server(small_built, small_root, tmp_path):
    import shutil

    from termgraph.graph import cache

    copy = tmp_path / "db"
    shutil.copytree(small_built[0], copy)
    victim = next(p for p in sorted((copy / cache.RELEASE).iterdir()) if p.name != cache.RELEASE_MANIFEST)
    victim.write_bytes(victim.read_bytes()[:-1])  # one byte short of its manifest's size
    assert disk.built_release(copy) is None
    said: list[str] = []
    state = build_state(Settings(root=small_root, store_dir=copy, store_in_memory=True, workers=1), progress=said.append)
    try:
        assert not any("copying the release files" in line for line in said)
        assert state.release[victim.name].read_bytes() != victim.read_bytes()  # written again, whole
    finally:
        state.close()


def test_a_store_whose_snapshot_is_broken_is_refused_in_memory(small_built, small_root, tmp_path):
    import shutil

    copy = tmp_path / "db"
    shutil.copytree(small_built[0], copy)
    (copy / disk.SNAPSHOT).write_text("<urn:a> <urn:b> .\n")
    settings = Settings(root=small_root, store_dir=copy, store_in_memory=True)
    with pytest.raises(DataNotFound, match=f"--store {copy}: its dataset.nq is not the one its manifest hashed; "
                                           "rebuild the store"):
        disk.open_store(settings)
    manifest = json.loads((copy / disk.MANIFEST).read_text())  # a store built before snapshots were hashed
    del manifest["snapshot_sha256"]
    (copy / disk.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(DataNotFound, match=f"--store {copy}: its dataset.nq cannot be read .*; rebuild the store"):
        disk.open_store(settings)


def test_open_store_is_read_only(small_built, small_root):
    target, sizes = small_built
    store = disk.open_store(Settings(root=small_root, store_dir=target))
    assert len(store) == sum(sizes.values()) + disk.read_manifest(target)["default_graph"]
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))


def test_a_folder_that_is_not_a_finished_store_is_refused(tmp_path):
    (tmp_path / "half").mkdir()
    with pytest.raises(DataNotFound, match="not a finished termgraph store"):
        disk.open_store(Settings(root=ROOT, store_dir=tmp_path / "half"))
    with pytest.raises(DataNotFound, match="no such folder"):
        disk.open_store(Settings(root=ROOT, store_dir=tmp_path / "missing"))


@pytest.mark.parametrize("low_memory", [False, True])
def test_a_failed_build_leaves_nothing(tmp_path, small_root, low_memory):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    with pytest.raises(TermgraphError, match="bad.ttl"):
        disk.build_store(Settings(root=small_root, extra_files=(bad,)), tmp_path / "db", low_memory=low_memory)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl"]


def test_the_low_memory_build_writes_the_same_store(small_built, small_root, tmp_path):
    """Deriving on disk (--low-memory) and deriving in memory then bulk-writing: the same quads."""
    target = tmp_path / "db"
    sizes = disk.build_store(Settings(root=small_root), target, prepare=add_w3c_graphs, low_memory=True)
    assert sizes == small_built[1]
    assert set(ox.Store.read_only(str(target))) == set(ox.Store.read_only(str(small_built[0])))


def serving(settings: Settings):
    """A test client of termgraph served with `settings` (workers started, closed after)."""
    state = build_state(settings)
    try:
        with TestClient(create_app(state), base_url="http://testserver") as client:
            yield client
    finally:
        state.close()


@pytest.fixture(scope="module")
def store_client(built):
    yield from serving(Settings(root=ROOT, store_dir=built[0], **LIMITS))


@pytest.mark.live  # forks query workers
@pytest.mark.parametrize("query,shown", EXAMPLES, ids=[q.splitlines()[0][:50] for q, _ in EXAMPLES])
def test_readme_examples_from_the_store(store_client, query, shown):
    assert_same_answer(table_of(ask_readme(store_client, query)), shown, query)


@pytest.mark.live
@pytest.mark.parametrize("test", QUERIES, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_w3c_protocol_from_the_store(store_client, test):
    w3c.test_query_protocol(store_client, test)


@pytest.mark.live
@pytest.mark.parametrize("case", list(endpoint.DATASET_CASES))
def test_the_dataset_of_a_request_from_the_store(store_client, case):
    endpoint.test_the_dataset_of_a_request(store_client, case)


@pytest.mark.live
def test_a_worker_stopped_at_the_time_limit_is_replaced_by_one_that_reopens_the_store(store_client):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    pool = store_client.app.state.termgraph.pool
    before = {w.pid for w in pool.idle + list(pool.busy)}
    r = store_client.get("/sparql", params={"query": slow})
    assert r.status_code == 503 and r.json()["error"]["type"] == "QueryTimeout"
    query, shown = EXAMPLES[0]
    for _ in range(4):  # every worker answers, the replacement included
        assert_same_answer(table_of(ask_readme(store_client, query)), shown, query)
    import time

    deadline = time.monotonic() + 10
    while len(pool.idle) + len(pool.busy) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    after = {w.pid for w in pool.idle + list(pool.busy)}
    assert len(after) == 2 and len(before - after) == 1, (before, after, pool.failures)
    assert pool.health()["store"] == "on disk"


@pytest.fixture(scope="module")
def copied_client(built):
    yield from serving(Settings(root=ROOT, store_dir=built[0], store_in_memory=True, **LIMITS))


@pytest.mark.live  # forks query workers
@pytest.mark.parametrize("query,shown", EXAMPLES, ids=[q.splitlines()[0][:50] for q, _ in EXAMPLES])
def test_readme_examples_from_the_store_copied_into_memory(copied_client, query, shown):
    assert_same_answer(table_of(ask_readme(copied_client, query)), shown, query)
    assert copied_client.app.state.termgraph.pool.health()["store"] == "in memory"


def test_the_commands_name_the_folder_and_the_fix(tmp_path, capsys, small_root):
    from termgraph.cli import main

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    assert main(["--root", str(small_root), "build-store", str(tmp_path / "full")]) == 2
    assert f"{tmp_path / 'full'} already exists and is not an empty folder" in capsys.readouterr().err
    assert main(["serve", "--store", str(tmp_path / "none")]) == 2
    assert f"--store {tmp_path / 'none'}: no such folder; write one with: termgraph build-store" in capsys.readouterr().err
    assert main(["--root", str(small_root), "serve", "--in-memory", "--port", "9"]) == 2
    assert "--in-memory copies a built store into memory: give it with --store DIR" in capsys.readouterr().err
    assert main(["--root", str(small_root), "publish", "--to", "http://127.0.0.1:9/store"]) == 2
    assert "--to http://127.0.0.1:9/store: cannot reach the store" in capsys.readouterr().err


# --- what is sent to a store (no server needed) -----------------------------------------------

def test_a_request_without_a_dataset_gets_the_dataset_explicitly():
    from termgraph.executor.pool import Job
    from termgraph.sparql.query import read
    from termgraph.sparql.protocol import Dataset

    job = Job(read("SELECT * { ?s ?p ?o }"), Dataset(), "application/sparql-results+json", "http://x/sparql", 100)
    params = request_params(job, ["urn:g1", "urn:g2"])
    assert params == [("query", "BASE <http://x/sparql>\nSELECT * { ?s ?p ?o }"),
                      ("default-graph-uri", DEFAULT_GRAPH),
                      ("named-graph-uri", "urn:g1"), ("named-graph-uri", "urn:g2")]
    assert request_params(job, ["urn:g1", "urn:g2"], reads=None) == [
        ("query", "BASE <http://x/sparql>\nSELECT * { ?s ?p ?o }"), ("default-graph-uri", DEFAULT_GRAPH)]
    assert request_params(job, ["urn:g1", "urn:g2"],
                          reads=frozenset({"urn:g2", "urn:elsewhere"}))[1:] == [
        ("default-graph-uri", DEFAULT_GRAPH), ("named-graph-uri", "urn:g2")]
    # the query's FROM / FROM NAMED go as parameters, out of the text (stores differ on FROM alone)
    job = Job(read("SELECT * FROM <urn:g1> { ?s ?p ?o }"), Dataset(), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1"]) == [
        ("query", "SELECT *  { ?s ?p ?o }"), ("default-graph-uri", "urn:g1"),
        ("named-graph-uri", "urn:termgraph:empty-default-graph")]
    job = Job(read("SELECT * { ?s ?p ?o }"), Dataset((), ("urn:g2",)), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1"])[1:] == [
        ("default-graph-uri", "urn:termgraph:empty-default-graph"), ("named-graph-uri", "urn:g2")]
    job = Job(read("SELECT * { ?s ?p ?o }"), Dataset(("urn:g1",), ()), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1"])[1:] == [
        ("default-graph-uri", "urn:g1"), ("named-graph-uri", "urn:termgraph:empty-default-graph")]
    job = Job(read("SELECT * FROM NAMED <urn:g2> { ?s ?p ?o }"), Dataset(), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1", "urn:g2"])[1:] == [
        ("default-graph-uri", "urn:termgraph:empty-default-graph"), ("named-graph-uri", "urn:g2")]
    job = Job(read("SELECT * FROM <urn:g1> FROM NAMED <urn:g2> { ?s ?p ?o }"), Dataset(), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1", "urn:g2"]) == [
        ("query", "SELECT *   { ?s ?p ?o }"), ("default-graph-uri", "urn:g1"), ("named-graph-uri", "urn:g2")]
    # the protocol's parameters replace FROM and FROM NAMED as a whole
    job = Job(read("SELECT * FROM <urn:g1> { ?s ?p ?o }"), Dataset((), ("urn:g2",)), "application/sparql-results+json", None, 100)
    assert request_params(job, ["urn:g1", "urn:g2"]) == [
        ("query", "SELECT *  { ?s ?p ?o }"),
        ("default-graph-uri", "urn:termgraph:empty-default-graph"), ("named-graph-uri", "urn:g2")]


def test_from_clauses_are_taken_out_by_the_lexer_and_nothing_else():
    from termgraph.sparql.guard import without_dataset

    text = ('PREFIX ex: <http://e/> SELECT * FROM ex:a FROM  NAMED\n<http://e/b> # FROM <http://e/c>\n'
            'WHERE { ?s ?p "FROM <x>" . FILTER (?p != <http://e/FROM>) }')
    assert without_dataset(text) == ('PREFIX ex: <http://e/> SELECT *   # FROM <http://e/c>\n'
                                     'WHERE { ?s ?p "FROM <x>" . FILTER (?p != <http://e/FROM>) }')


@pytest.mark.parametrize("query,reason", [
    ('PREFIX bif: <http://www.openlinksw.com/schemas/bif#> SELECT (bif:http_get("http://127.0.0.1:1/") AS ?x) {}',
     "is not SPARQL 1.1"),
    ('SELECT ?x { BIND(<urn:my-function>(1) AS ?x) }', "is not SPARQL 1.1"),
    ('SELECT ?s { ?s ?p ?o } ORDER BY <http://www.openlinksw.com/schemas/bif#rnd>(?s)', "is not SPARQL 1.1"),
    ('define input:grab-all "yes" SELECT * { ?s ?p ?o }', "not standard SPARQL 1.1"),
    ('SELECT (bif:http_get("x") AS ?x) {}', "not standard SPARQL 1.1"),
])
def test_only_standard_sparql_goes_to_a_store(query, reason):
    assert reason in screen(query)


@pytest.mark.parametrize("query", [
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?n { BIND(xsd:integer("1") AS ?n) }',
    'SELECT (COUNT(*) AS ?n) (STRLEN(STR(?s)) AS ?l) { ?s ?p ?o FILTER(REGEX(STR(?o), "a")) } GROUP BY ?s',
])
def test_standard_queries_pass_the_screen(query):
    assert screen(query) is None


@pytest.mark.parametrize("query,reads", [
    ("SELECT * { ?s ?p ?o }", None),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", "all"),
    ("ASK { GRAPH <urn:g> { ?s ?p ?o } }", {"urn:g"}),
    ("PREFIX e: <http://e/> ASK { GRAPH e:a { ?s ?p ?o } GRAPH <urn:b> { ?s ?p ?o } }", {"http://e/a", "urn:b"}),
    ("ASK { GRAPH <urn:a> { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } }", "all"),
    ("ASK { GRAPH <relative> { ?s ?p ?o } }", "all"),
    ("SELECT * { ?s ?p ?o FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", "all"),
    ("SELECT * { ?s ?p ?o FILTER NOT EXISTS { GRAPH <urn:x> { ?s ?p ?o } } }", {"urn:x"}),
    ("SELECT * { { SELECT ?s { GRAPH ?g { ?s ?p ?o } } } }", "all"),
    ('SELECT * { ?s ?p "GRAPH" }', None),
    ("SELECT * { ?s <urn:GRAPH> ?o }", None),
])
def test_the_store_is_sent_only_the_named_graphs_a_query_may_read(query, reads):
    from termgraph.executor.remote import ALL_GRAPHS, examine

    assert examine(query) == (None, ALL_GRAPHS if reads == "all" else reads and frozenset(reads))


ASK_AS_ROW = """<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="__ASK_RETVAL"/></head>
<results><result><binding name="__ASK_RETVAL"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">{}</literal>
</binding></result></results></sparql>"""


@pytest.mark.parametrize("value,expected", [("1", b'"boolean":true'), ("0", b'"boolean":false')])
def test_virtuoso_ask_answered_as_a_row_is_read_back_as_a_boolean(value, expected):
    from termgraph.executor.remote import reserialize

    form, body = reserialize("ASK", ASK_AS_ROW.format(value).encode(), "application/sparql-results+xml",
                             "application/sparql-results+json", 1000)
    assert form == "ASK" and expected in body.replace(b" ", b"")


def test_an_unreadable_answer_from_the_store_is_a_502():
    from termgraph.executor.remote import reserialize

    with pytest.raises(BackendError, match="a result termgraph cannot read"):
        reserialize("SELECT", b"<html>oops</html>", "text/html", "application/sparql-results+json", 1000)


def test_a_query_nested_too_deeply_is_refused_before_a_store_is_asked():
    """The same limit as in memory (guard.check_complexity): no store is reachable at this URL."""
    import asyncio

    from termgraph.errors import QueryTooComplex
    from termgraph.executor.pool import Job
    from termgraph.sparql.query import read
    from termgraph.sparql.protocol import Dataset

    deep = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
    workers = RemoteWorkers("http://127.0.0.1:9/sparql", {"urn:g": 1}, 10.0)
    with pytest.raises(QueryTooComplex):
        asyncio.run(workers.screen(Job(read(deep), Dataset(), "application/sparql-results+json", None, 100)))


def test_an_unreachable_store_is_a_clear_error_at_start():
    workers = RemoteWorkers("http://127.0.0.1:9/sparql", {"urn:g": 1}, 10.0)
    with pytest.raises(BackendError, match=r"--backend http://127.0\.0\.1:9/sparql: cannot reach"):
        workers.start()


def test_publish_refuses_a_url_it_cannot_use():
    with pytest.raises(PublishFailed, match="give a Graph Store Protocol URL"):
        publish(Settings(root=ROOT), "ftp://127.0.0.1/store")
    with pytest.raises(PublishFailed, match="--quads is for a Graph Store Protocol URL"):
        publish(Settings(root=ROOT), "isql://127.0.0.1:1111", quads=True, store=ox.Store())


# --- live: real stores on loopback -----------------------------------------------------------

@pytest.fixture(scope="module")
def one_load():
    """The validated dataset with the W3C test graphs, loaded once for every store."""
    return validated(Settings(root=ROOT), prepare=add_w3c_graphs).store


@pytest.fixture(scope="module")
def servers(one_load):
    """The stores, filled each way: the first Oxigraph server with the dataset in one POST of
    N-Quads, the second with one PUT per graph (HAProxy sends queries to both), Virtuoso by isql."""
    env = dict(os.environ, TIMEOUT_S="8")
    run = subprocess.run(["bash", "scripts/backends.sh", "start"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    urls = dict(line.split("=", 1) for line in run.stdout.split())
    password = os.environ.get("TERMGRAPH_STORE_PASSWORD", "dba")  # the test server's, on loopback
    publish(Settings(root=ROOT), urls["OXIGRAPH1"] + "/store", store=one_load, quads=True)
    publish(Settings(root=ROOT), urls["OXIGRAPH2"] + "/store", store=one_load)
    publish(Settings(root=ROOT), urls["VIRTUOSO_ISQL"], "dba", password, load_dir=urls["VIRTUOSO_LOAD_DIR"],
            store=one_load)
    yield urls
    subprocess.run(["bash", "scripts/backends.sh", "stop"], cwd=ROOT, env=env, timeout=120)


BACKENDS = {"oxigraph": "{OXIGRAPH1}/query", "virtuoso": "{VIRTUOSO}/sparql", "haproxy": "{HAPROXY}/query"}


@pytest.fixture(scope="module", params=list(BACKENDS))
def backend_client(request, servers, built):
    """termgraph in front of a store; its pages read the built on-disk store (--store with --backend)."""
    url = BACKENDS[request.param].format(**servers)
    for client in serving(Settings(root=ROOT, backend=url, store_dir=built[0], **LIMITS)):
        client.backend = request.param
        yield client


@pytest.mark.live
@pytest.mark.parametrize("query,shown", EXAMPLES, ids=[q.splitlines()[0][:50] for q, _ in EXAMPLES])
def test_readme_examples_through_each_backend(backend_client, query, shown):
    got = table_of(ask_readme(backend_client, query))
    if backend_client.backend == "virtuoso":
        # Virtuoso orders strings holding non-ASCII characters (the labels' em dashes) otherwise
        # than SPARQL's code-point order: the same rows, compared without their order (README).
        got, shown = (sorted(cells(t)) for t in (got, shown))
        assert got == shown
    else:
        assert_same_answer(got, shown, query)


@pytest.mark.live
@pytest.mark.parametrize("test", QUERIES, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_w3c_protocol_through_each_backend(backend_client, test):
    w3c.test_query_protocol(backend_client, test)


@pytest.mark.live
@pytest.mark.parametrize("case", list(endpoint.DATASET_CASES))
def test_the_dataset_of_a_request_through_each_backend(backend_client, case):
    endpoint.test_the_dataset_of_a_request(backend_client, case)


@pytest.mark.live
@pytest.mark.parametrize("test", UPDATES[:3], ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_updates_never_reach_a_backend(backend_client, test):
    w3c.test_update_is_refused_and_changes_nothing(backend_client, test)


@pytest.mark.live
def test_the_guard_stands_in_front_of_each_backend(backend_client, listener):
    url, seen = listener
    for query in [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                  f'PREFIX bif: <http://www.openlinksw.com/schemas/bif#> SELECT (bif:http_get("{url}") AS ?x) {{}}',
                  f'define get:soft "replace" SELECT * FROM <{url}> {{ ?s ?p ?o }}']:
        r = backend_client.get("/sparql", params={"query": query})
        assert r.status_code == 400, (query, r.text)
        assert r.json()["error"]["type"] == "ForbiddenQuery"
    assert seen == []


@pytest.mark.live
def test_the_time_limit_holds_in_front_of_each_backend(backend_client):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = backend_client.get("/sparql", params={"query": slow})
    assert r.status_code == 503, r.text[:300]
    assert r.json()["error"]["type"] == "QueryTimeout"


@pytest.mark.live
def test_a_store_without_the_dataset_is_refused_at_start(servers):
    workers = RemoteWorkers(servers["OXIGRAPH1"] + "/query", {ns.GRAPH_ONTOLOGY: 1}, 10.0)
    with pytest.raises(BackendError, match=r"<.*/graph/ontology> has \d+ triples there and 1 here"):
        workers.start()
    workers = RemoteWorkers(servers["OXIGRAPH1"] + "/query", {"": 7}, 10.0)
    with pytest.raises(BackendError, match=r"the default graph has \d+ triples there and 7 here"):
        workers.start()


@pytest.mark.live
def test_publishing_quads_again_replaces_the_datasets_graphs_and_leaves_other_graphs(servers, one_load):
    import httpx

    store_url, query_url = servers["OXIGRAPH1"] + "/store", servers["OXIGRAPH1"] + "/query"
    stray, nt = "<urn:stray> <urn:p> <urn:o> .\n", {"Content-Type": "application/n-triples"}
    httpx.post(store_url, params={"graph": ns.GRAPH_ONTOLOGY}, content=stray, headers=nt).raise_for_status()
    httpx.put(store_url, params={"graph": "urn:other"}, content=stray, headers=nt).raise_for_status()

    def count(graph: str) -> int:
        r = httpx.post(query_url, content=f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                       headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        return int(r.text.split()[-1])
    try:
        publish(Settings(root=ROOT), store_url, store=one_load, quads=True)
        assert count(ns.GRAPH_ONTOLOGY) == len(list(one_load.quads_for_pattern(None, None, None,
                                                                                ox.NamedNode(ns.GRAPH_ONTOLOGY))))
        assert count(DEFAULT_GRAPH) == len(list(one_load.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        assert count("urn:other") == 1
    finally:
        httpx.delete(store_url, params={"graph": "urn:other"})


@pytest.mark.live
def test_publishing_quads_to_a_store_that_refuses_them_says_so(servers, one_load):
    with pytest.raises(PublishFailed, match=r"POST of the dataset as N-Quads got HTTP 4\d\d.*without --quads"):
        publish(Settings(root=ROOT), servers["OXIGRAPH1"] + "/no-such-endpoint", store=one_load, quads=True)


@pytest.mark.live
def test_pages_are_served_in_front_of_each_backend(backend_client):
    assert backend_client.get("/").status_code == 200
    assert backend_client.get("/concept/foundation-model", headers={"Accept": "text/html"}).status_code == 200


@pytest.mark.live
def test_with_one_replica_down_the_other_answers(servers, built):
    import signal
    from pathlib import Path

    state = build_state(Settings(root=ROOT, backend=servers["HAPROXY"] + "/query", store_dir=built[0], **LIMITS))
    query, shown = EXAMPLES[0]
    try:
        with TestClient(create_app(state), base_url="http://testserver") as client:
            os.kill(int((Path(servers["RUN"]) / "oxigraph2.pid").read_text()), signal.SIGTERM)
            for _ in range(6):
                assert_same_answer(table_of(ask_readme(client, query)), shown, query)
    finally:
        state.close()


def remote_pool(url: str, **kw):
    from termgraph.executor.fairness import FairnessSettings
    from termgraph.executor.pool import PoolSettings, QueryPool

    fairness = FairnessSettings(per_client=kw.pop("per_client", 4))
    settings = PoolSettings(**kw, fairness=fairness)
    pool = QueryPool(None, settings, source=RemoteWorkers(url, {ns.GRAPH_ONTOLOGY: 1}, settings.timeout))
    pool.idle = [pool.spawn() for _ in range(settings.workers)]  # (start() would check the sizes)
    return pool


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


async def attempt(pool, client: str, query: str = SLOW):
    import time

    from termgraph.executor.pool import Job
    from termgraph.sparql.protocol import Dataset
    from termgraph.sparql.query import read

    started = time.monotonic()
    try:
        await pool.run(Job(read(query), Dataset(), "application/sparql-results+json", None, 1_000_000), client)
    except Exception as exc:  # noqa: BLE001 - the outcome is what is checked
        return type(exc).__name__, time.monotonic() - started
    return "answered", time.monotonic() - started


@pytest.mark.live
def test_a_full_queue_is_refused_at_once_and_waiting_counts_in_the_time_limit(servers):
    """The pool's bounded queue and time limit stand in front of a store as in memory."""
    import asyncio

    pool = remote_pool(servers["OXIGRAPH1"] + "/query", workers=1, timeout=2.0, max_queue=2, per_client=8)

    async def crowd():
        first = [asyncio.create_task(attempt(pool, "crowd")) for i in range(3)]
        await asyncio.sleep(0.5)
        late = await attempt(pool, "late")
        return await asyncio.gather(*first), late

    first, late = asyncio.run(crowd())
    assert late[0] == "Overloaded" and late[1] < 0.5
    # (a waiting query is not started with less than a quarter of the limit left: refused at 1.5 s)
    assert all(kind == "QueryTimeout" and 1.4 < took < 3.0 for kind, took in first), first
    pool.close()


@pytest.mark.live
def test_the_per_client_cap_and_preemption_hold_in_front_of_a_store(servers):
    """One client may not hold more than its share; a light client's wait stops a heavy one's query."""
    import asyncio

    pool = remote_pool(servers["OXIGRAPH1"] + "/query", workers=1, timeout=6.0, per_client=1)
    import time

    pool.ledger.spent["heavy"].append((time.monotonic(), 6.0, False))  # its last query ran to the limit

    async def scene():
        heavy = asyncio.create_task(attempt(pool, "heavy"))
        await asyncio.sleep(0.3)
        second = await attempt(pool, "heavy")  # the cap: one query at a time for this client
        light = await attempt(pool, "light", "ASK { ?s ?p ?o }")
        return await heavy, second, light

    heavy, second, light = asyncio.run(scene())
    assert second[0] == "TooManyRequests"
    assert heavy[0] == "Overloaded" and heavy[1] < 3.0  # stopped for the light client
    assert light[0] == "answered" and light[1] < 3.0
    pool.close()


def dropping_store(drops: int, then_answer: bool = True):
    """A SPARQL store on loopback that closes the first `drops` connections without a word, then
    (with `then_answer`) answers one query `true` (an ASK's XML result). Returns (url, thread)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    answer = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
              b"<boolean>true</boolean></sparql>")

    def serve():
        for n in range(drops + then_answer):
            conn, _ = server.accept()
            conn.recv(65536)
            if n >= drops:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+xml\r\n"
                             b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
            conn.close()
        server.close()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/sparql", thread


@pytest.mark.live
def test_a_query_whose_connection_broke_is_asked_once_more_then_refused():
    import asyncio

    url, thread = dropping_store(drops=1)  # a replica that went away mid-answer, then a good one
    pool = remote_pool(url, workers=1, timeout=10.0)
    assert asyncio.run(attempt(pool, "a", "ASK {}"))[0] == "answered"
    pool.close()
    thread.join(5)
    url, thread = dropping_store(drops=2, then_answer=False)  # broken twice: a clear 502, no third try
    pool = remote_pool(url, workers=1, timeout=10.0)
    assert asyncio.run(attempt(pool, "a", "ASK {}"))[0] == "BackendError"
    pool.close()
    thread.join(5)


def test_a_built_store_keeps_its_quotes_and_a_start_uses_them_only_when_whole(small_built, small_root, tmp_path):
    """build-store keeps every claim's quote beside the store (hashed in its manifest), so that
    `serve --store` checks them against the texts without querying it (~1.4 s at ~340k quads on
    disk); a changed file, or a store built before, is read from the store instead."""
    from termgraph.graph import quotes
    from termgraph.web.state import local_data

    target, _ = small_built
    manifest = json.loads((target / disk.MANIFEST).read_text())
    kept = disk.built_quotes(target)
    written = ox.Store.read_only(str(target))
    try:
        assert kept == quotes.quotes(written, union=False) and len(kept) > 100
    finally:
        del written
    assert manifest["quotes_sha256"]
    store, _, _, found = local_data(Settings(root=small_root, store_dir=target, store_in_memory=True), None, None)
    assert found == kept
    copy = tmp_path / "db"
    shutil.copytree(target, copy)
    path = copy / quotes.QUOTES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("http", "httq", 1), encoding="utf-8")
    assert disk.built_quotes(copy) is None  # (the store's own quotes are read instead)
    older = {k: v for k, v in manifest.items() if k != "quotes_sha256"}
    (copy / disk.MANIFEST).write_text(json.dumps(older), encoding="utf-8")
    shutil.copy(target / quotes.QUOTES_FILE, path)
    assert disk.built_quotes(copy) is None


def test_a_built_stores_snapshot_is_hashed_and_a_changed_one_is_refused_in_memory(small_built, small_root, tmp_path):
    """build-store keeps its snapshot's SHA-256 in the manifest, so `--in-memory` parses it
    leniently (IRIs not validated again); a snapshot changed since (the same size, still
    parseable) is refused with one line, and a store built before is parsed strictly."""
    from termgraph.errors import DataNotFound

    target, _ = small_built
    manifest = json.loads((target / disk.MANIFEST).read_text())
    assert manifest["snapshot_sha256"] == disk.file_sha256(target / disk.SNAPSHOT)
    settings = Settings(root=small_root, store_dir=target, store_in_memory=True)
    assert set(disk.open_store(settings)) == set(load_snapshot(target))
    copy = tmp_path / "db"
    shutil.copytree(target, copy)
    data = bytearray((copy / disk.SNAPSHOT).read_bytes())
    at = data.index(b"<http", len(data) // 2) + len(b"<http")
    data[at] = ord("t") if data[at] != ord("t") else ord("u")  # <https://… becomes <httpt://…
    (copy / disk.SNAPSHOT).write_bytes(bytes(data))
    with pytest.raises(DataNotFound, match="is not the one its manifest hashed; rebuild the store"):
        disk.open_store(settings.with_(store_dir=copy))
    older = {k: v for k, v in manifest.items() if k != "snapshot_sha256"}
    (copy / disk.MANIFEST).write_text(json.dumps(older), encoding="utf-8")
    assert len(disk.open_store(settings.with_(store_dir=copy))) == len(load_snapshot(target))
