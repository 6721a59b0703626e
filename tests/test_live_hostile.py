"""One hostile request, or one address, must not stop the service (issue #27): live tests against
a real `termgraph serve` on loopback. Each is bounded in time and stops by itself; /health is timed
throughout each attack (loosely asserted here; the figures for the docs come from a bench run)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import ROOT
from .test_live import free_port, wait_until_up

pytestmark = pytest.mark.live


def start(env: dict | None = None) -> tuple[str, subprocess.Popen]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc)
    except BaseException:
        stop(proc)
        raise
    return url, proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def health_seconds(url: str, source: str = "127.0.0.1") -> float:
    started = time.monotonic()
    req = urllib.request.Request(url + "health")
    try:
        urllib.request.urlopen(req, timeout=30).read()
    except urllib.error.HTTPError:
        pass  # a 503 "degraded" is still an answer
    return time.monotonic() - started


def post(url: str, query: str, timeout: float = 60, source: str | None = None) -> tuple[int, dict, bytes]:
    """POST a query (from a chosen loopback address); (status, headers, body)."""
    host, port = url.split("//")[1].strip("/").split(":")
    body = query.encode()
    with socket.create_connection((host, int(port)), timeout=timeout,
                                  source_address=(source, 0) if source else None) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Accept: application/sparql-results+json\r\nConnection: close\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, rest


def during(attack, url: str, seconds: float) -> list[float]:
    """Run `attack` in a thread and time /health every 50 ms while it lasts (at most `seconds`)."""
    thread = threading.Thread(target=attack, daemon=True)
    thread.start()
    times, deadline = [], time.monotonic() + seconds
    time.sleep(0.05)
    while not times or (thread.is_alive() and time.monotonic() < deadline):
        times.append(health_seconds(url))
        time.sleep(0.05)
    thread.join(max(0.0, deadline - time.monotonic()))
    assert not thread.is_alive(), "the attack did not end in time"
    return times


@pytest.fixture(scope="module")
def server():
    url, proc = start({"TERMGRAPH_WORKERS": "2"})
    yield url, proc
    stop(proc)


def test_a_64_kb_query_of_a_pathological_shape_leaves_health_answering(server):
    """Issue #27 problem 1: `a-a-a-…` (64 KB) froze every client for ~57 s (a quadratic lexer on
    the event loop)."""
    url, _ = server
    answers = []
    for shape in ("a-" * 32000, "a." * 32000, '"' + '\\"' * 32000):
        times = during(lambda: answers.append(post(url, shape)), url, 30)
        print(f"{shape[:4]!r}…: /health slowest {max(times or [0]) * 1000:.0f} ms over {len(times)} probes")
        assert max(times) < 1.0
    assert [status for status, _, _ in answers] == [400, 400, 400]
