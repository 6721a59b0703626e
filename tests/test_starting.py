"""While the graph is being built (web/starting.py): the port listens, a forked responder answers
every request 503 "starting" with Retry-After, the error envelope and the current step; stopped,
it leaves the same listening socket to the server, which then answers on it."""

from __future__ import annotations

import http.client
import json
import os
import socket

from termgraph.web.starting import Responder, listening_socket, read_head


def get(port: int, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


def test_health_answers_starting_with_the_step_then_the_socket_is_the_servers():
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    responder = Responder(sock)
    try:
        status, headers, body = get(port, "/health")
        assert status == 503 and headers["retry-after"] == "2" and headers["content-type"] == "application/json"
        assert json.loads(body) == {"status": "starting", "step": "", "error": {
            "status": 503, "type": "Starting", "retry_after": 2,
            "message": "termgraph is starting: the graph is being built; retry shortly"}}
        responder.tell("[2/23] data/curated/concepts.ttl")
        responder.tell("deriving the source views")
        status, _, body = get(port, "/sparql?query=ASK%7B%7D")  # every path: nothing is served yet
        assert status == 503 and json.loads(body)["step"] == "deriving the source views"
        pid = responder.pid
    finally:
        responder.stop()
    try:
        assert responder.pid == 0
        try:
            os.kill(pid, 0)
            raise AssertionError("the responder still runs")
        except ProcessLookupError:
            pass
        # the socket still listens, and is this process's now: a client's request is read here
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            conn, _ = sock.accept()
            with conn:
                assert read_head(conn)
    finally:
        sock.close()


def test_a_client_that_sends_no_whole_head_is_closed_unanswered_and_others_still_answered():
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    responder = Responder(sock)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            slow.sendall(b"GET /health HTTP/1.1\r\n")  # never finished
            assert slow.recv(100) == b""  # closed after HEAD_SECONDS, no answer
        assert get(port, "/health")[0] == 503
    finally:
        responder.stop()
        sock.close()


def test_a_port_taken_meanwhile_is_one_line():
    from termgraph.errors import PortInUse

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        try:
            listening_socket("127.0.0.1", port)
            raise AssertionError("bound a taken port")
        except PortInUse as exc:
            assert str(exc) == (f"cannot listen on 127.0.0.1:{port} (Address already in use): stop the program "
                                "using it or choose another port with --port")
