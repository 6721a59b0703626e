"""No query reaches the network: two layers, each tested on its own.

1. The up-front check (guard.refuse_service) reads the query with a real SPARQL parser.
2. The sandbox: a query worker cannot open a network socket, whatever the query says. These
   tests switch the up-front check off and send every spelling to a real worker process.
"""

from __future__ import annotations

import socket
import threading

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from termgraph.sparql import guard, protocol
from termgraph.sparql.protocol import Dataset
from termgraph.sparql.query import read
from termgraph.errors import ForbiddenQuery
from termgraph.executor.pool import Job, PoolSettings, QueryPool


@pytest.fixture(scope="module")
def closing_listener():
    """A loopback listener that counts connections and closes each at once (so an unconfined
    engine fails fast instead of waiting for an answer)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def spellings(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"PREFIX x: <http://e/\\u0041#> SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"PREFIX x: <http://e/> SELECT * WHERE {{ ?a x:b\\#c ?c . SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ # a comment ended by CR\r SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ # CRLF\r\n SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ # LF\n sErViCe <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE SILENT ?u {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} }} }}",
        f"ASK {{ OPTIONAL {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} SERVICE <{url}> {{ ?d ?e ?f }} }}",
    ]


# --- layer 1: the parser's view ----------------------------------------------------------------

@pytest.mark.parametrize("index", range(14))
def test_the_up_front_check_refuses_every_spelling(index):
    with pytest.raises(ForbiddenQuery) as info:
        guard.refuse_service(spellings(9)[index])
    assert str(info.value).startswith("SERVICE is not allowed")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p 'service' }",
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE in a comment",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:x ?o }",
])
def test_the_up_front_check_lets_queries_without_service_through(query):
    guard.refuse_service(query)


def test_a_query_that_mentions_service_and_does_not_parse_is_refused():
    with pytest.raises(ForbiddenQuery, match="could not read it"):
        guard.refuse_service("SELECT * WHERE { SERVICE <http://x/> { ?a ?b ?c }")


# --- layer 2: the sandbox ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def worker():
    """One real worker, forked by the pool's zygote from a small store."""
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o"),
                      ox.NamedNode("http://e/g")))
    pool = QueryPool(store, PoolSettings(workers=1, timeout=20))
    pool.start()
    yield pool.idle[0]
    pool.close()


def run_unscreened(worker, query: str):
    """Send a job straight down the worker's pipe, the up-front check switched off."""
    unscreened = read(query, screen_service=False)
    worker.conn.send(Job(unscreened, Dataset(), protocol.result_type(None, unscreened.form), None, 1_000_000))
    return worker.conn.recv()


def test_without_the_sandbox_the_engine_would_connect(closing_listener):
    """The check below can fail: an unconfined engine does reach the listener."""
    import pyoxigraph as ox

    port, seen = closing_listener
    before = len(seen)
    with pytest.raises(OSError):
        list(ox.Store().query(spellings(port)[0]))
    assert len(seen) == before + 1


@pytest.mark.live
@pytest.mark.parametrize("index", range(14))
def test_a_sandboxed_worker_opens_no_connection(worker, closing_listener, index):
    port, seen = closing_listener
    before = len(seen)
    reply = run_unscreened(worker, spellings(port)[index])
    assert len(seen) == before
    if reply[0] == "error":  # (a SERVICE the engine never tried, e.g. on an unbound variable: its answer)
        assert reply[1][1] in ("ForbiddenQuery", "QueryEvaluationError"), reply


@pytest.mark.live
@pytest.mark.parametrize("index", [0, 6, 12])
def test_a_refused_connection_is_a_refusal_even_when_silent(worker, closing_listener, index):
    """Issue #27: SERVICE SILENT turned the sandbox's refusal into an empty 200; now the worker
    knows its engine asked for the network (the trapped socket call) and refuses the query."""
    port, seen = closing_listener
    reply = run_unscreened(worker, spellings(port)[index])
    assert reply[0] == "error" and reply[1][1] == "ForbiddenQuery", reply
    assert reply[1][2] == guard.SERVICE_REFUSED


@pytest.mark.live
def test_a_refused_socket_call_takes_no_descriptor_the_process_holds(closing_listener):
    """A trapped socket() seems to return its own call number (x86_64: 41). A worker forked from a
    process that held descriptor 41 took it for a socket: its start-up check said "Internet sockets
    still open" (and closed it), and the engine would have closed it. Now the number is reserved,
    /dev/null for good, in the zygote and every worker; the process that forks them keeps its own."""
    import os

    import pyoxigraph as ox

    from termgraph.executor import sandbox

    reserved = sandbox.reserved_fd()
    if reserved is None:
        pytest.skip("no trap on this architecture: the filter refuses with an error")
    read_end, write_end = os.pipe()
    try:  # (the test process's own descriptor there, put back after)
        held = os.dup(reserved)
    except OSError:
        held = None
    os.dup2(write_end, reserved)
    try:
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")))
        pool = QueryPool(store, PoolSettings(workers=1, timeout=20))
        pool.start()  # the worker's check passed: it would raise SandboxUnavailable
        try:
            worker = pool.idle[0]
            assert os.readlink(f"/proc/{worker.pid}/fd/{reserved}") == os.devnull
            assert os.readlink(f"/proc/{pool.source.zygote_pid}/fd/{reserved}") == os.devnull
            port, seen = closing_listener
            before = len(seen)
            for query in spellings(port)[6], spellings(port)[0]:  # SILENT, and not
                reply = run_unscreened(worker, query)
                assert reply[0] == "error" and reply[1][1] == "ForbiddenQuery", reply
            assert len(seen) == before
            assert run_unscreened(worker, "ASK { ?s ?p ?o }")[0] == "ok"  # its pipe is whole
            assert os.readlink(f"/proc/{worker.pid}/fd/{reserved}") == os.devnull  # not closed by the engine
        finally:
            pool.close()
        os.write(reserved, b"x")  # this process's descriptor 41 is still its pipe
        assert os.read(read_end, 1) == b"x"
    finally:
        if held is not None:
            os.dup2(held, reserved)
            os.close(held)
        else:
            os.close(reserved)
        os.close(read_end)
        os.close(write_end)


@pytest.mark.live
def test_a_sandboxed_worker_cannot_open_a_socket_itself(worker):
    """Beyond SERVICE: the process itself is confined (checked by the worker at start-up)."""
    from termgraph.executor import sandbox

    assert sandbox.ALLOWED_FAMILIES == (socket.AF_UNIX,)
    reply = run_unscreened(worker, "ASK { ?s ?p ?o }")
    assert reply[0] == "ok"


def obfuscations(port: int):
    url = f"http://127.0.0.1:{port}/sparql"
    keyword = st.sampled_from(["SERVICE", "service", "Service", "sErViCe"])
    gap = st.lists(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "# c\r", "# c\n", "# c\r\n", "#\\u0041\r"]),
                   min_size=1, max_size=3).map("".join)
    iri = st.sampled_from([f"<{url}>", f"<http://127.0.0.1:{port}/\\u0073parql>",
                           f"<http://127.0.0.1:{port}/\\U00000073parql>", "r:sparql", "?u"])
    silent = st.sampled_from(["", "SILENT "])
    wrap = st.sampled_from(["{}", "{{ SELECT * WHERE {{ {} }} }}", "OPTIONAL {{ {} }}", "{{ {} }} UNION {{ ?x ?y ?z }}",
                            "MINUS {{ {} }}", "FILTER EXISTS {{ {} }}"])

    def build(k, g1, i, s, w, g2):
        body = f"{k}{g1}{s}{i}{g2}{{ ?a ?b ?c }}"
        return (f"PREFIX r: <http://127.0.0.1:{port}/>{g2}SELECT * WHERE {{ BIND(<{url}> AS ?u){g1}"
                + w.format(body) + " }")
    return st.builds(build, keyword, gap, iri, silent, wrap, gap)


@pytest.mark.live
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_obfuscations_open_no_connection(worker, closing_listener, data):
    port, seen = closing_listener
    query = data.draw(obfuscations(port))
    before = len(seen)
    run_unscreened(worker, query)
    assert len(seen) == before, query
    with pytest.raises(ForbiddenQuery):
        guard.refuse_service(query)
