"""A POST's large answer sent while its worker still writes it (executor/jobs.py SpoolWriter, executor/following.py
Following, web/streaming.py FollowingResponse): what the worker reports, what the
server hands out and when it lets the worker go; live, the whole answer, and the connection cut
when the query fails, runs out of time or loses its client after the first bytes."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import os
import socket
import time
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest

from termgraph import errors
from termgraph.executor.following import Following, read_at
from termgraph.executor.jobs import PROGRESS_EVERY, PROGRESS_MOST, SPOOL_OVER, Answer, SpoolWriter, progress_step
from termgraph.executor.pool import PoolSettings, QueryPool

LINE = b"<urn:s> <urn:p> \"" + b"x" * 100 + b"\" .\n"
HEAD = ("CONSTRUCT", "application/n-triples")


def write_lines(sink: SpoolWriter, n: int) -> bytes:
    for _ in range(n):
        sink.write(LINE)
    return LINE * n


def test_a_small_result_stays_in_memory_and_reports_nothing(tmp_path):
    told = []
    sink = SpoolWriter(10 << 20, str(tmp_path), HEAD, tag=False, notify=told.append)
    body = write_lines(sink, 10)
    assert sink.answer() == Answer(*HEAD, body) and told == [] and os.listdir(tmp_path) == []


def test_a_large_streamed_result_is_reported_when_its_file_opens_and_each_time_it_doubles(tmp_path):
    told = []
    sink = SpoolWriter(10 << 20, str(tmp_path), HEAD, tag=False, notify=told.append, stream_after=0)
    body = write_lines(sink, 5 * SPOOL_OVER // len(LINE))
    answer = sink.answer()
    assert told[0][:4] == ("stream", answer.path, *HEAD) and told[0][4] > SPOOL_OVER
    steps = [size for kind, size in told[1:]]
    assert all(kind == "more" for kind, _ in told[1:]) and steps == sorted(steps)
    sizes = [told[0][4]] + steps
    assert all(2 * a <= b < 2 * a + len(LINE) for a, b in zip(sizes, steps))  # as much again, to the line
    assert len(steps) == 2 and len(body) - steps[-1] < steps[-1]  # ~256 KiB, ~512 KiB, ~1 MiB; 1.25 MiB in all
    assert (answer.size, answer.digest) == (len(body), "") and open(answer.path, "rb").read() == body


def test_a_streamed_result_finished_before_its_delay_reports_nothing_and_is_answered_whole(tmp_path):
    told = []
    sink = SpoolWriter(10 << 20, str(tmp_path), HEAD, tag=False, notify=told.append, stream_after=3600)
    body = write_lines(sink, 5 * SPOOL_OVER // len(LINE))
    answer = sink.answer()
    assert told == [] and answer.size == len(body) and open(answer.path, "rb").read() == body


def test_a_streamed_result_is_reported_at_its_first_write_past_the_delay(tmp_path):
    told = []
    sink = SpoolWriter(10 << 20, str(tmp_path), HEAD, tag=False, notify=told.append, stream_after=0.2)
    write_lines(sink, 2 * SPOOL_OVER // len(LINE))  # the file is open, the delay not over
    assert told == []
    time.sleep(0.25)
    write_lines(sink, 1)
    assert [m[0] for m in told] == ["stream"] and told[0][4] == sink.size


def test_progress_steps_are_never_shorter_than_the_least_nor_longer_than_the_most():
    assert progress_step(0) == progress_step(PROGRESS_EVERY // 2) == PROGRESS_EVERY
    assert progress_step(SPOOL_OVER) == SPOOL_OVER and progress_step(3 << 20) == 3 << 20
    assert progress_step(PROGRESS_MOST) == progress_step(1 << 40) == PROGRESS_MOST


def test_a_tagged_result_is_hashed_whole_and_an_unstreamed_one_reports_nothing(tmp_path):
    sink = SpoolWriter(10 << 20, str(tmp_path), HEAD, tag=True)
    body = write_lines(sink, 2 * SPOOL_OVER // len(LINE))
    assert sink.answer().digest == hashlib.sha256(body).hexdigest()


def test_past_the_cap_nothing_more_is_taken_and_a_discarded_file_is_gone(tmp_path):
    sink = SpoolWriter(SPOOL_OVER + 1000, str(tmp_path), HEAD, tag=False)
    write_lines(sink, SPOOL_OVER // len(LINE) + 20)
    assert sink.overflow and sink.write(LINE) == 0 and sink.size <= SPOOL_OVER + 1000
    sink.discard()
    assert os.listdir(tmp_path) == []


class Worker:
    """Stands for a process worker: gives the messages it is given, in order (then waits)."""

    preempted = False

    def __init__(self, messages):
        self.messages = list(messages)

    async def follow(self, deadline):
        if not self.messages:
            await asyncio.sleep(3600)  # still at work
        return self.messages.pop(0)


def following(tmp_path, body: bytes, reported: int, messages) -> tuple[Following, list, list]:
    """A Following over a file holding `body` (call inside the event loop)."""
    path = tmp_path / "result-1-x"
    path.write_bytes(body)
    released, charged = [], []
    worker = Worker(messages)
    pool = SimpleNamespace(settings=PoolSettings(timeout=5.0))  # what the pool's `answer` reads
    follow = Following(worker, str(path), reported, time.monotonic() + 5,
                       lambda worker, healthy: released.append(healthy),
                       lambda reply: QueryPool.answer(pool, worker, reply))
    follow.when_done(charged.append)
    return follow, released, charged


async def collect(follow: Following, most: int = 1000, got: list | None = None) -> list[bytes]:
    got = [] if got is None else got
    async for chunk in follow.chunks(most):
        got.append(chunk)
    return got


def test_bytes_are_handed_out_as_reported_then_the_worker_released_and_charged(tmp_path):
    body = bytes(range(256)) * 20
    final = ("ok", Answer(*HEAD, b"", None, len(body)), 0.25)

    async def main():
        follow, released, charged = following(tmp_path, body, 1000, [("more", 3000), final])
        return await collect(follow), released, charged
    chunks, released, charged = asyncio.run(main())
    assert b"".join(chunks) == body and [len(c) for c in chunks] == [1000, 1000, 1000, 1000, 1000, 120]
    assert released == [True] and charged == [0.25] and os.listdir(tmp_path) == []


def test_the_worker_is_let_go_at_its_final_reply_however_slowly_the_client_reads(tmp_path):
    body = b"b" * 5000

    async def main():
        follow, released, charged = following(tmp_path, body, 1000, [("ok", Answer(*HEAD, b"", None, 5000), 0.5)])
        for _ in range(5):
            await asyncio.sleep(0)  # nothing read yet
        assert released == [True] and charged == [0.5]
        return b"".join(await collect(follow))
    assert asyncio.run(main()) == body


@pytest.mark.parametrize("message, error", [
    (("error", errors.to_wire(errors.ResultTooLarge("the result is larger than 9 bytes")), 0.1), errors.ResultTooLarge),
    (None, errors.QueryTimeout),
    (("died", "limit"), errors.QueryTooExpensive),
    (("died", "lost"), errors.Overloaded),
    (("died",), errors.Overloaded),
])
def test_a_failure_after_the_first_bytes_is_raised_and_the_worker_let_go(tmp_path, message, error):
    got: list[bytes] = []

    async def main():
        follow, _, _ = following(tmp_path, b"a" * 2000, 1500, [message])
        await collect(follow, got=got)
    with pytest.raises(error):
        asyncio.run(main())
    assert b"".join(got) == b"a" * 1500


@pytest.mark.parametrize("message, healthy, cost", [
    (("error", errors.to_wire(errors.ResultTooLarge("too large")), 0.1), True, 0.1),
    (None, False, None),
    (("died",), False, None),
])
def test_after_a_failure_the_worker_is_kept_only_if_it_replied(tmp_path, message, healthy, cost):
    async def main():
        follow, released, charged = following(tmp_path, b"a" * 2000, 1500, [message])
        with pytest.raises(errors.TermgraphError):
            await collect(follow)
        return released, charged
    assert asyncio.run(main()) == ([healthy], [cost])


def test_a_reader_that_stops_early_stops_the_worker(tmp_path):
    async def main():
        follow, released, charged = following(tmp_path, b"a" * 2000, 1500, [])
        chunks = follow.chunks(1000)
        await chunks.__anext__()
        await chunks.aclose()
        await asyncio.sleep(0)
        follow.close()  # once only
        await asyncio.sleep(0)
        return released, charged
    assert asyncio.run(main()) == ([False], [None])


def test_a_reader_that_never_starts_still_lets_the_worker_go(tmp_path):
    async def main():
        follow, released, charged = following(tmp_path, b"a" * 2000, 1500, [])
        follow.close()  # before the worker's reader ever ran
        await asyncio.sleep(0)
        return released, charged
    assert asyncio.run(main()) == ([False], [None])


def test_a_worker_stopped_for_a_lighter_client_says_so(tmp_path):
    async def main():
        follow, released, _ = following(tmp_path, b"a" * 2000, 1500, [("died",)])
        follow.worker.preempted = True
        with pytest.raises(errors.Overloaded, match="less query time"):
            await collect(follow)
        return released
    assert asyncio.run(main()) == [False]


def test_read_at_reads_from_an_offset(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    with open(path, "rb") as f:
        assert asyncio.run(read_at(f, 3, 4)) == b"3456"
        assert asyncio.run(read_at(f, 8, 4)) == b"89"
        assert asyncio.run(read_at(f, 10, 4)) == b""


# --- live: a real server, its process workers --------------------------------------------------

ENDLESS = "CONSTRUCT { ?a <http://e/p> ?b } WHERE { ?a ?x ?y . ?b ?z ?w }"
# the same, a tenth as fast (only subjects whose IRI ends in 1): megabytes before the 3 s time limit,
# never the 20 MB size cap first, however fast the machine streams
ENDLESS_SLOWLY = 'CONSTRUCT { ?a <http://e/p> ?b } WHERE { ?a ?x ?y . ?b ?z ?w FILTER (STRENDS(STR(?a), "1")) }'


def post(url: str, query: str, accept: str = "text/tab-separated-values") -> http.client.HTTPResponse:
    request = urllib.request.Request(url + "sparql", data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query", "Accept": accept})
    return urllib.request.urlopen(request, timeout=60)


def health(url: str) -> dict:
    """The pool's health (a 503 while a worker is being replaced says the same, degraded)."""
    try:
        with urllib.request.urlopen(url + "health", timeout=10) as r:
            data = json.loads(r.read())
    except urllib.error.HTTPError as degraded:
        data = json.loads(degraded.read())
    return data.get("executor", data)


def settled(url: str, limit: float) -> dict:
    """/health once every worker is back and idle (or the last look after `limit` seconds)."""
    end = time.monotonic() + limit
    while True:
        h = health(url)
        if (h["workers"] == h["expected"] and not h["busy"]) or time.monotonic() > end:
            return h
        time.sleep(0.05)


@pytest.fixture(scope="module")
def server():
    from .test_live_limits import start

    url, proc = start({"TERMGRAPH_WORKERS": "1", "TERMGRAPH_QUERY_TIMEOUT": "3",
                       "TERMGRAPH_MAX_RESULT_BYTES": str(20 << 20)})
    yield url
    proc.terminate()
    proc.wait(30)


# ~14 MB of TSV whose making lasts several times a streamed job's delay (jobs.STREAM_AFTER, 50 ms)
# even on a warm worker: four SHA-512s a row (~0.3 s here). (A plain 14 MB cross product took a
# warm worker under 50 ms, and was rightly sent whole, with its length.)
LARGE = ("SELECT ?s ?o ?y ?h WHERE { GRAPH ?g { ?s ?p ?o } ?x ?q ?y BIND(SHA512(CONCAT(STR(?o), STR(?y))) AS ?a) "
         "BIND(SHA512(?a) AS ?b) BIND(SHA512(?b) AS ?c) BIND(SHA512(?c) AS ?h) } LIMIT 50000")


@pytest.mark.live
def test_a_large_post_answer_is_sent_chunked_and_whole(server):
    with post(server, LARGE) as r:
        streamed, headers = r.read(), r.headers
    assert headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in headers
    get = urllib.request.Request(server + "sparql?query=" + urllib.parse.quote(LARGE),
                                 headers={"Accept": "text/tab-separated-values", "Accept-Encoding": "identity"})
    with urllib.request.urlopen(get, timeout=60) as r:
        whole = r.read()
        assert int(r.headers["Content-Length"]) == len(whole) and r.headers["ETag"]
    assert len(streamed) > 2 * SPOOL_OVER and streamed == whole
    assert settled(server, 5)["busy"] == 0


@pytest.mark.live
@pytest.mark.parametrize("case", ["time limit", "client gone"])
def test_a_stream_cut_off_stops_its_worker_and_a_fresh_one_serves(server, case):
    before = health(server)
    started = time.monotonic()
    if case == "time limit":
        with post(server, ENDLESS_SLOWLY, accept="application/n-triples") as r:
            with pytest.raises(http.client.IncompleteRead):
                r.read()  # some megabytes, then the 3 s limit cuts the connection
        assert 2.5 < time.monotonic() - started < 10
    else:
        port = int(server.rsplit(":", 1)[1].strip("/"))
        s = socket.create_connection(("127.0.0.1", port))
        body = ENDLESS.encode()
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Accept: application/n-triples\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        assert s.recv(100).startswith(b"HTTP/1.1 200 OK")
        s.close()  # gone, long before the time limit
    after = settled(server, 5)
    assert after["workers"] == after["expected"] and after["busy"] == 0
    assert time.monotonic() - started < 10
    with post(server, "ASK {}", accept="application/sparql-results+json") as r:
        assert r.read() == b'{"head":{},"boolean":true}'
    assert before["expected"] == after["expected"]


@pytest.mark.live
def test_a_stream_past_the_size_cap_is_cut_off_but_a_get_gets_the_422(server):
    query = "SELECT ?a ?y ?b ?w WHERE { ?a ?x ?y . ?b ?z ?w } LIMIT 300000"  # ~60 MB: past the 20 MB cap
    with post(server, query) as r:
        with pytest.raises(http.client.IncompleteRead):
            r.read()
    get = urllib.request.Request(server + "sparql?query=" + urllib.parse.quote(query),
                                 headers={"Accept": "text/tab-separated-values"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(get, timeout=60)
    assert refused.value.code == 422 and b"larger than" in refused.value.read()
    assert settled(server, 5)["busy"] == 0



@pytest.mark.live
def test_a_client_that_reads_slowly_holds_no_worker(server):
    port = int(server.rsplit(":", 1)[1].strip("/"))
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", port))
    body = b"SELECT ?s ?p ?o ?y WHERE { GRAPH ?g { ?s ?p ?o } ?x ?q ?y } LIMIT 60000"  # ~14 MB: more than the buffers
    slow.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                 b"Accept: text/tab-separated-values\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    try:
        assert slow.recv(100).startswith(b"HTTP/1.1 200 OK")  # and then it reads nothing more
        assert settled(server, 5)["busy"] == 0  # its one worker is free while the answer waits
        with post(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", accept="text/csv") as r:
            assert r.read().startswith(b"n\r\n")
    finally:
        slow.close()
