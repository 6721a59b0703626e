"""Connection limits of the real server (uvicorn): slowloris, forwarded headers, SIGTERM drain."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from termgraph.settings import Settings
from termgraph.web.server import uvicorn_options

from .conftest import ROOT
from .test_live import free_port, wait_until_up


def test_uvicorn_rewrites_nothing_from_forwarded_headers():
    assert uvicorn_options(Settings(root=ROOT, trusted_proxies=("10.0.0.5",)))["proxy_headers"] is False


def test_a_client_is_the_forwarded_address_only_behind_a_trusted_proxy():
    from types import SimpleNamespace

    from termgraph.web.requests import client_of

    def ask(peer, trusted):
        request = SimpleNamespace(client=SimpleNamespace(host=peer),
                                  headers={"x-forwarded-for": "203.0.113.9, 198.51.100.7"})
        return client_of(request, SimpleNamespace(settings=Settings(root=ROOT, trusted_proxies=trusted)))
    assert ask("127.0.0.1", ()) == "127.0.0.1"  # loopback is not trusted by default
    assert ask("127.0.0.1", ("127.0.0.1",)) == "198.51.100.7"


def test_the_drain_outlasts_any_query():
    assert uvicorn_options(Settings(root=ROOT, query_timeout=60, shutdown_grace=30))["timeout_graceful_shutdown"] == 65


def start(env: dict) -> tuple[str, subprocess.Popen]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc)
    return url, proc


@pytest.mark.live
def test_slow_headers_are_cut_off_and_sigterm_drains_queued_queries():
    url, proc = start({"TERMGRAPH_HEADER_TIMEOUT": "1", "TERMGRAPH_WORKERS": "1"})
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        slow.settimeout(5)
        started = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 4
        # two queries on one worker: one runs, one waits; SIGTERM; both still get their answer
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/termgraph/ontology#Claim> . ?b ?c ?d }"
        results = []

        def ask():
            with urllib.request.urlopen(url + "sparql?query=" + urllib.parse.quote(query), timeout=60) as r:
                results.append(r.status)
        threads = [threading.Thread(target=ask) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(60)
        assert results == [200, 200]
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def raw_get(port: int, target: str, extra: str = "") -> tuple[int, dict, bytes]:
    """Send one GET with this request target (and extra header lines) over a plain socket; the
    status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.live
def test_long_request_targets_get_414_and_huge_headers_431_with_the_error_envelope():
    # httptools refuses targets over 65,535 bytes itself, and uvicorn answered those with a bare
    # 400 "Invalid HTTP request received."; each length here must get 414 and the JSON envelope.
    import json

    url, proc = start({"TERMGRAPH_WORKERS": "1"})
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for size in (20_000, 70_000, 200_000, 1_000_000):
            target = "/sparql?query=" + "SELECT" + "%20" * (size // 3)
            status, headers, body = raw_get(port, target)
            assert (size, status) == (size, 414)
            assert headers["content-type"] == "application/json"
            assert headers["x-content-type-options"] == "nosniff"
            error = json.loads(body)["error"]
            assert (error["status"], error["type"]) == (414, "UriTooLong")
            assert "POST the query instead" in error["message"]
        # headers: up to the cap they are served; a megabyte of them gets 431 at once
        status, _, _ = raw_get(port, "/health", "X-Padding: " + "a" * 30_000 + "\r\n")
        assert status == 200
        status, headers, body = raw_get(port, "/health", "X-Padding: " + "a" * 1_000_000 + "\r\n")
        assert (status, headers["content-type"]) == (431, "application/json")
        assert json.loads(body)["error"]["type"] == "HeadersTooLarge"
        with urllib.request.urlopen(url + "health", timeout=10) as still_up:
            assert still_up.status == 200
    finally:
        proc.terminate()
        proc.wait(30)
