"""Large results: spooled by the worker, streamed to the client with back-pressure, never held
in the server's memory; conditional requests and gzip on the stream.

The pieces run in-process (no server); the memory test runs a live server (marked live).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import time
import urllib.parse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response

from termgraph.executor.jobs import SPOOL_OVER, Answer, spool
from termgraph.web import manners
from termgraph.web.streaming import SpooledResponse, result_response

BIG = b"<urn:s> <urn:p> \"" + b"x" * 100 + b"\" .\n"


def big_body(n: int = 2 * SPOOL_OVER) -> bytes:
    return BIG * (n // len(BIG) + 1)


def test_small_results_cross_the_pipe_large_ones_a_file(tmp_path):
    small = spool("CONSTRUCT", "application/n-triples", BIG, str(tmp_path))
    assert small == Answer("CONSTRUCT", "application/n-triples", BIG)
    body = big_body()
    large = spool("CONSTRUCT", "application/n-triples", body, str(tmp_path))
    assert (large.body, large.size, large.digest) == (b"", len(body), hashlib.sha256(body).hexdigest())
    assert open(large.path, "rb").read() == body
    assert large.read() == body and os.listdir(tmp_path) == []  # read once, then gone
    assert spool("ASK", "text/csv", body, None).body == body  # no spool folder: in one piece
    untagged = spool("CONSTRUCT", "application/n-triples", body, str(tmp_path), tag=False)
    assert (untagged.size, untagged.digest) == (len(body), "")  # a POST's answer: not hashed
    untagged.read()


@pytest.fixture
def app_of(tmp_path):
    """An app whose one route answers a spooled result, behind the representation middleware."""
    def make(body: bytes):
        app = FastAPI()

        @app.get("/r")
        def r():
            return result_response(spool("CONSTRUCT", "application/n-triples", body, str(tmp_path)),
                                   {"Vary": "Accept"})

        @app.post("/r")
        def post_r():
            return result_response(spool("CONSTRUCT", "application/n-triples", body, str(tmp_path), tag=False),
                                   {"Vary": "Accept"})
        app.add_middleware(manners.Manners, last_modified=1_700_000_000.0)
        return TestClient(app)
    return make


def test_a_spooled_result_streams_whole_with_its_etag(app_of, tmp_path):
    body = big_body()
    r = app_of(body).get("/r", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.content == body
    assert r.headers["content-length"] == str(len(body))
    assert r.headers["etag"] == manners.etag_of(body)  # the same tag as a body held in memory
    assert r.headers["last-modified"] == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert "x-termgraph-streamed" not in r.headers
    assert os.listdir(tmp_path) == []  # unlinked as soon as it was opened


def test_a_spooled_answer_to_a_post_streams_whole_without_validators_or_the_marker(app_of, tmp_path):
    body = big_body()
    r = app_of(body).post("/r")
    assert r.status_code == 200 and r.content == body
    assert r.headers["content-length"] == str(len(body))
    assert "etag" not in r.headers and "x-termgraph-streamed" not in r.headers
    assert os.listdir(tmp_path) == []


def test_a_spooled_result_is_gzipped_on_the_fly(app_of):
    body = big_body()
    r = app_of(body).get("/r", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and "content-length" not in r.headers
    assert r.headers["vary"] == "Accept, Accept-Encoding, Origin"
    assert r.content == body  # httpx decodes
    raw = gzip.compress(body, mtime=0)
    assert len(raw) < len(body) // 10


def test_a_spooled_result_answers_a_conditional_request_with_304(app_of, tmp_path):
    body = big_body()
    r = app_of(body).get("/r", headers={"If-None-Match": manners.etag_of(body)})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["etag"] == manners.etag_of(body)
    assert os.listdir(tmp_path) == []


def test_a_reader_that_goes_away_is_cut_off_and_the_file_goes(tmp_path):
    """The connection is gone after the first chunk (the protocol aborts a reader that takes
    nothing: web/connections.py): the response stops, the file's handle is closed."""
    import asyncio

    response = SpooledResponse(spool("CONSTRUCT", "application/n-triples", big_body(), str(tmp_path)), {})
    sent = []

    async def main():
        went = asyncio.Event()

        async def receive():
            await went.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message["type"])
            if message["type"] == "http.response.body":
                went.set()  # the client reads nothing; its connection is aborted
                await asyncio.sleep(0.01)
        await response(None, receive, send)
    asyncio.run(main())
    assert sent == ["http.response.start", "http.response.body"]
    assert response.file.closed and os.listdir(tmp_path) == []


# --- live: the server's memory with clients that never read ----------------------------------

def rss_mib(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


@pytest.mark.live
def test_clients_that_never_read_a_large_result_do_not_grow_the_server():
    """20 clients ask for a ~10 MB result and read nothing: the server (not its workers) stays
    within a few MiB, where holding the bodies would take 200 MB."""
    from tests.test_live import start_server

    url, proc = start_server("--workers", "2")
    try:
        query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?n { 1 2 3 4 5 6 7 8 } }"
        path = "/sparql?query=" + urllib.parse.quote(query)
        port = int(url.rsplit(":", 1)[1].strip("/"))
        size = len(__import__("urllib.request").request.urlopen(url.rstrip("/") + path, timeout=60).read())
        assert size > 5_000_000
        before = rss_mib(proc.pid)
        stalled = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n".encode())
            stalled.append(s)
        time.sleep(8)  # every query answered, every answer stalled in its socket
        grown = rss_mib(proc.pid) - before
        assert grown < 60, f"the server grew by {grown:.0f} MiB"
        for s in stalled:
            s.close()
    finally:
        proc.kill()


def test_a_killed_workers_unfinished_result_is_removed(tmp_path):
    """A worker stopped while writing a large result (time limit, client gone) leaves no file."""
    from termgraph.executor.workers import ProcessWorker

    class Pipe:
        def close(self):
            pass

    import subprocess

    child = subprocess.Popen(["sleep", "60"])  # stands for the worker process: killed for real
    (tmp_path / f"result-{child.pid}-abc").write_bytes(b"half a result")
    (tmp_path / f"result-{child.pid}0-def").write_bytes(b"another worker's")
    ProcessWorker(child.pid, Pipe(), str(tmp_path)).kill()
    assert child.wait(5) == -9
    assert os.listdir(tmp_path) == [f"result-{child.pid}0-def"]


def test_a_spooled_file_shorter_than_its_size_is_cut_off_not_sent_for_ever(tmp_path):
    import asyncio

    answer = spool("CONSTRUCT", "application/n-triples", big_body(), str(tmp_path))
    with open(answer.path, "r+b") as f:
        f.truncate(answer.size // 2)  # as if the file had lost its end
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(asyncio.wait_for(SpooledResponse(answer, {})(None, None, send), 10))
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sum(len(m["body"]) for m in bodies) == answer.size // 2 and bodies[-1]["more_body"]


class Counted(Response):
    """A streamed answer (with the marker) of 64 chunks, counting those it was let make, and
    whether it ended by its own `finally` (where a real one closes its file)."""

    CHUNK = b"x" * 65536

    def __init__(self):  # noqa: D107 - no body in memory (as streaming.py's)
        self.status_code, self.background, self.media_type, self.raw_headers = 200, None, None, []
        self.made, self.closed = 0, False

    async def __call__(self, scope, receive, send):
        headers = [(b"content-type", b"application/n-quads"), (b"content-length", str(64 * len(self.CHUNK)).encode()),
                   (manners.STREAMED, b"1"), (b"etag", manners.etag_of_digest("ab" * 32).encode())]
        try:
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            for i in range(64):
                self.made += 1
                await send({"type": "http.response.body", "body": self.CHUNK, "more_body": i < 63})
        finally:
            self.closed = True


@pytest.mark.parametrize("method, headers, status", [
    ("HEAD", {"Accept-Encoding": "identity"}, 200),
    ("HEAD", {"Accept-Encoding": "gzip"}, 200),
    ("GET", {"If-None-Match": manners.etag_of_digest("ab" * 32)}, 304),
])
def test_a_streamed_answers_head_or_304_does_not_make_its_body(method, headers, status):
    """A HEAD of a release file (hundreds of MB at ~3 M quads) read and compressed the whole file
    only to drop it; so did a 304. Its status and headers are sent, then nothing more is made;
    the answer's own clean-up runs. A GET still gets every chunk."""
    answer = Counted()
    app = FastAPI()

    @app.get("/f")
    def f():
        return answer
    app.add_middleware(manners.Manners, last_modified=1_700_000_000.0)
    client = TestClient(app)
    r = client.request(method, "/f", headers=headers)
    assert r.status_code == status and r.content == b""
    assert r.headers["etag"] == manners.etag_of_digest("ab" * 32)
    assert answer.made == 0 and answer.closed
    if status == 200:
        assert "x-termgraph-streamed" not in r.headers
        gzipped = headers["Accept-Encoding"] == "gzip"
        assert r.headers.get("content-encoding") == ("gzip" if gzipped else None)
        assert r.headers.get("content-length") == (None if gzipped else str(64 * 65536))
    whole = Counted()
    answer = whole
    assert len(client.get("/f", headers={"Accept-Encoding": "identity"}).content) == 64 * 65536 and whole.made == 64
