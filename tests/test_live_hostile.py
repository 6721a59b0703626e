"""One hostile request, or one address, must not stop the service (issue #27): live tests against
a real `termgraph serve` on loopback. Each is bounded in time and stops by itself; /health is timed
throughout each attack (loosely asserted here; the figures for the docs come from a bench run)."""

from __future__ import annotations

import contextlib
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


ROWS_150K = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 150000"  # ~13 MB of TSV


def html_page(url: str, query: str) -> str:
    req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "text/html"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode()


def test_a_150000_row_html_page_is_streamed_leaving_health_answering_and_memory_flat(server):
    """Issue #27 problem 2: a browser GET of a 150,000-row SELECT was built whole on the event
    loop: 8 s during which /health waited, +380 MiB in the server. The page is streamed from the
    worker's spool: 10,000 rows shown, the rest counted, the server's memory flat."""
    import psutil

    url, proc = server
    server_process = psutil.Process(proc.pid)
    html_page(url, "SELECT ?a WHERE { ?a ?b ?c } LIMIT 20000")  # (templates, parsers and buffers warmed)
    before = server_process.memory_info().rss
    peak, pages = [before], []

    def page_and_peak():
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                peak.append(server_process.memory_info().rss)
                time.sleep(0.02)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            pages.append(html_page(url, ROWS_150K))
        finally:
            sampling.set()
            sampler.join()
    times = during(page_and_peak, url, 60)
    grown = (max(peak) - before) / 2**20
    print(f"150,000-row page: /health slowest {max(times) * 1000:.0f} ms over {len(times)} probes; "
          f"the server grew by {grown:.1f} MiB at most")
    page = pages[0]
    assert page.count("<tr><td>") == 10_000 and "150000 rows; the first 10000 shown here." in page
    assert page.endswith("</html>") and "broken" not in page
    assert max(times) < 1.0
    assert grown < 40, f"the server grew by {grown:.0f} MiB"


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs to the time limit
QUICK = "ASK { ?s ?p ?o FILTER (isIRI(?s)) }"  # cheap, but a worker's


def children(pid: int) -> list[int]:
    """The process's children, whichever of its threads forked them."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def processes(server: int) -> tuple[int, list[int]]:
    """(the zygote's pid, its workers' pids) under a server."""
    zygotes = children(server)
    assert len(zygotes) == 1, zygotes
    return zygotes[0], children(zygotes[0])


def exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def health(url: str) -> dict:
    import json

    try:
        with urllib.request.urlopen(url + "health", timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    return {**body["executor"], "status": body["status"]}


def wait_for(predicate, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_workers_and_the_zygote_die_with_a_killed_server():
    """Issue #27 problem 5: after `kill -9` of the server a worker ran its query for ever."""
    url, proc = start({"TERMGRAPH_WORKERS": "2", "TERMGRAPH_QUERY_TIMEOUT": "60"})
    ours: list[int] = []
    try:
        def doomed() -> None:
            with contextlib.suppress(OSError, IndexError, ValueError):  # (its server is killed mid-answer)
                post(url, HEAVY, timeout=10)
        threading.Thread(target=doomed, daemon=True).start()
        assert wait_for(lambda: health(url)["busy"] == 1)
        zygote, workers = processes(proc.pid)
        ours += [zygote, *workers]
        assert len(workers) == 2
        proc.kill()
        proc.wait(10)
        assert wait_for(lambda: not any(exists(p) for p in ours), 5), [p for p in ours if exists(p)]
    finally:
        stop(proc)
        for pid in ours:  # (on failure: never leave an orphan running)
            if exists(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_worker_killed_or_stopped_is_not_blamed_on_the_client_and_is_replaced(server):
    """Issue #27 problem 6: kill -9 of a busy worker gave 422 "narrow it"; idle workers killed or
    stopped gave 422s or 10 s waits while /health said ok; a killed zygote left 0 workers."""
    url, proc = server
    got = []
    thread = threading.Thread(target=lambda: got.append(post(url, HEAVY, timeout=20)), daemon=True)
    thread.start()
    assert wait_for(lambda: health(url)["busy"] == 1)
    zygote, workers = processes(proc.pid)
    assert wait_for(lambda: any(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] == "R"
                                for p in workers if exists(p)))
    busy = [p for p in workers if exists(p) and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] == "R"]
    os.kill(busy[0], signal.SIGKILL)
    thread.join(20)
    status, headers, body = got[0]
    assert status == 503 and headers["retry-after"] == "1" and b"worker was lost" in body, got
    assert wait_for(lambda: health(url)["status"] == "ok")

    # idle workers: one killed, one stopped; /health says so; the next queries are answered at once
    zygote, workers = processes(proc.pid)
    os.kill(workers[0], signal.SIGKILL)
    os.kill(workers[1], signal.SIGSTOP)
    time.sleep(0.2)
    seen = health(url)
    assert seen["status"] == "degraded" and seen["workers"] < 2, seen
    started = time.monotonic()
    answers = [post(url, QUICK, timeout=20)[0] for _ in range(4)]
    print(f"4 queries after idle workers were killed/stopped: {time.monotonic() - started:.2f} s")
    assert answers == [200] * 4 and time.monotonic() - started < 5
    assert not exists(workers[1])  # the stopped one was killed, not given a query
    assert wait_for(lambda: health(url)["status"] == "ok")

    # the zygote killed: restarted, and workers are forked again
    zygote, workers = processes(proc.pid)
    os.kill(zygote, signal.SIGKILL)
    assert wait_for(lambda: health(url).get("zygote_restarts") == 1 and health(url)["status"] == "ok"), health(url)
    assert [post(url, QUICK, timeout=20)[0] for _ in range(3)] == [200] * 3
    new_zygote, _ = processes(proc.pid)
    assert new_zygote != zygote


def test_a_removed_work_folder_is_made_again(server):
    """Issue #27 problem 6: the work folder removed by a temp cleaner: every answer over 256 KB
    was 500 for good while /health said ok."""
    import shutil

    url, proc = server
    folder = [p for p in os.listdir("/tmp") if p.startswith(f"termgraph-{proc.pid}-")]
    assert len(folder) == 1
    shutil.rmtree("/tmp/" + folder[0])
    seen = health(url)
    assert seen["work_folder"] == "missing" and seen["status"] == "degraded"
    status, _, body = post(url, "SELECT * WHERE { ?s ?p ?o }", timeout=30)
    assert status == 200 and len(body) > 256 * 1024
    assert wait_for(lambda: health(url)["status"] == "ok")


# ~0.5 s of CPU on an idle machine (the figures used a 1.2 s query; a lighter one keeps
# the test within its bounds on a shared 2-core machine, and main preempted it just the same)
ONE_SECOND = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?c }"


def address(i: int) -> str:
    """A distinct loopback address per client (127.0.0.0/8 is all loopback)."""
    return f"127.0.0.{10 + i}"


@pytest.fixture(scope="module")
def patient_server():
    """A server whose time limit leaves room for 16 queries of ~1.2 s queued on 2 workers on a
    busy 2-core machine."""
    url, proc = start({"TERMGRAPH_WORKERS": "2", "TERMGRAPH_QUERY_TIMEOUT": "40"})
    yield url, proc
    stop(proc)


@pytest.mark.parametrize("clients", [4, 8, 16])
def test_equal_clients_each_sending_one_query_all_get_their_answer(patient_server, clients):
    """Issue #27 problem 4: N equal clients sending the same 1.2 s query at once: only 2 ever got
    an answer (4 → 2, 8 → 2, 16 → 2); the others were preempted by each other."""
    url, _ = patient_server
    got: dict[int, int] = {}
    bodies: list[bytes] = []

    def ask(i: int) -> None:
        got[i], _, body = post(url, ONE_SECOND, timeout=60, source=address(i))
        if got[i] != 200:
            bodies.append(body)
    threads = [threading.Thread(target=ask, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    times = during(lambda: [t.start() for t in threads] and [t.join(60) for t in threads], url, 90)
    took = time.monotonic() - started
    print(f"{clients} clients: {took:.1f} s (N × 0.5 / 2 = {clients * 0.25:.1f} s on an idle machine); "
          f"/health slowest {max(times) * 1000:.0f} ms")
    assert sorted(got.values()) == [200] * clients, bodies
    assert max(times) < 1.0


def test_analysts_keep_their_answers_beside_a_frequent_cheap_client(patient_server):
    """Issue #27 problem 4: two analysts running 1.2 s queries (here ~0.5 s ones) lost 59% of their answers to a
    third address sending a cheap query every 300 ms."""
    url, _ = patient_server
    analysts: list[int] = []
    cheap: list[int] = []
    stop_at = time.monotonic() + 8

    def analyst(i: int) -> None:
        while time.monotonic() < stop_at:
            analysts.append(post(url, ONE_SECOND, timeout=60, source=address(40 + i))[0])

    def polite() -> None:
        while time.monotonic() < stop_at:
            cheap.append(post(url, QUICK, timeout=60, source=address(50))[0])
            time.sleep(0.3)
    threads = [threading.Thread(target=analyst, args=(i,), daemon=True) for i in range(2)]
    threads.append(threading.Thread(target=polite, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    print(f"analysts: {len(analysts)} answers {sorted(set(analysts))}; cheap: {len(cheap)} {sorted(set(cheap))}")
    assert analysts and set(analysts) == {200}
    assert cheap and set(cheap) == {200}


LARGE = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 400000"  # ~35 MB of CSV, streamed to a POST


def post_csv(url: str, query: str, source: str) -> tuple[int, bool, int]:
    """(status, whether a 200's chunked body ended properly, bytes read)."""
    host, port = url.split("//")[1].strip("/").split(":")
    body = query.encode()
    with socket.create_connection((host, int(port)), timeout=120, source_address=(source, 0)) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Accept: text/csv\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        data, tail = b"", b""
        size = 0
        while chunk := s.recv(1 << 20):
            if not data:
                data = chunk[:4096]
            size += len(chunk)
            tail = (tail + chunk)[-16:]
    status = int(data.split(b" ", 2)[1])
    return status, tail.endswith(b"\r\n0\r\n\r\n"), size


def test_concurrent_large_streams_complete_or_are_refused_before_they_start(server):
    """Issue #27 problem 4: 40 concurrent 45 MB streamed answers: 0 of 40 completed (each was
    preempted mid-stream by the next newcomer)."""
    url, _ = server
    results: list[tuple[int, bool, int]] = []
    threads = [threading.Thread(target=lambda i=i: results.append(post_csv(url, LARGE, address(60 + i))),
                                daemon=True) for i in range(40)]
    times = during(lambda: [t.start() for t in threads] and [t.join(150) for t in threads], url, 160)
    complete = sum(1 for status, ended, _ in results if status == 200 and ended)
    refused = sum(1 for status, _, _ in results if status != 200)
    cut = [r for r in results if r[0] == 200 and not r[1]]
    print(f"40 streams: {complete} complete, {refused} refused before they started, {len(cut)} cut; "
          f"/health slowest {max(times) * 1000:.0f} ms")
    assert len(results) == 40 and not cut and complete >= 2
    assert max(times) < 1.0


@pytest.mark.parametrize("hostile", [2, 8])
def test_a_polite_client_stays_fast_behind_hostile_newcomers(server, hostile):
    """Issue #27 item 3: a polite client (a cheap query every 200 ms, a history of cheap queries)
    behind hostile *newcomer* addresses, each sending queries that run to the time limit: with the
    newcomers' first queries protected (they could be an analyst's), it waited p95 1.5-8 s for
    them to run 2 s of CPU each. Now it is served beside them, and their work is not thrown away
    for it: every polite query 200, p95 under a second (0.4 s in docs/reliability.md's bench)."""
    url, _ = server
    polite_at, first = address(101 if hostile == 2 else 102), 110 if hostile == 2 else 120
    for _ in range(3):  # a short history of cheap queries, before the hostile clients come
        assert post(url, QUICK, timeout=20, source=polite_at)[0] == 200
    stop_at = time.monotonic() + 8
    hostile_got: list[int] = []
    polite_got: list[tuple[int, float]] = []

    def attack(i: int) -> None:
        while time.monotonic() < stop_at:
            hostile_got.append(post(url, HEAVY, timeout=30, source=address(first + i))[0])

    def polite() -> None:
        time.sleep(0.5)  # the hostile queries are running
        while time.monotonic() < stop_at:
            started = time.monotonic()
            status = post(url, QUICK, timeout=30, source=polite_at)[0]
            polite_got.append((status, time.monotonic() - started))
            time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))
    threads = [threading.Thread(target=attack, args=(i,), daemon=True) for i in range(hostile)]
    threads.append(threading.Thread(target=polite, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    waits = sorted(took for _, took in polite_got)
    p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))]
    print(f"{hostile} hostile newcomers: polite {len(waits)} queries, p50 {waits[len(waits) // 2] * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms; hostile got {sorted(hostile_got)}")
    assert {status for status, _ in polite_got} == {200}
    assert p95 < 1.0


@pytest.fixture(scope="module")
def strict_server():
    url, proc = start({"TERMGRAPH_WORKERS": "1", "TERMGRAPH_BODY_TIMEOUT": "2", "TERMGRAPH_SEND_TIMEOUT": "3",
                       "TERMGRAPH_MAX_CONNECTIONS_PER_CLIENT": "8"})
    yield url, proc
    stop(proc)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].strip("/"))


def read_answer(sock: socket.socket, seconds: float = 10) -> bytes:
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def test_one_address_cannot_hold_every_connection(strict_server):
    """Issue #27 problem 3: 511 slow bodies from one address gave every other client 503 for
    75 s. Now an address past its cap gets 503 + Retry-After with the envelope at once; another
    address is still answered."""
    url, _ = strict_server
    held = [socket.create_connection(("127.0.0.1", port_of(url)), source_address=("127.0.0.90", 0))
            for _ in range(8)]
    try:
        extra = socket.create_connection(("127.0.0.1", port_of(url)), source_address=("127.0.0.90", 0))
        answer = read_answer(extra, 5)
        extra.close()
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        assert b"retry-after: 1" in answer.lower() and b'"status":503' in answer
        assert b"x-content-type-options: nosniff" in answer.lower()
        other = socket.create_connection(("127.0.0.1", port_of(url)), source_address=("127.0.0.91", 0))
        other.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_answer(other).startswith(b"HTTP/1.1 200 ")
        other.close()
    finally:
        for s in held:
            s.close()


def test_a_body_that_does_not_arrive_is_answered_408(strict_server):
    """Issue #27 problem 3: no request-body timeout; a body shorter than its Content-Length was
    waited for forever; one byte every few seconds held the connection."""
    url, _ = strict_server
    for send_slowly in (False, True):
        s = socket.create_connection(("127.0.0.1", port_of(url)))
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 100\r\n\r\nASK {")
        started = time.monotonic()
        if send_slowly:
            s.settimeout(0.5)
            answer = b""
            for _ in range(20):  # a byte every 0.5 s: still refused at the body's time limit
                try:
                    s.sendall(b" ")
                    answer += s.recv(65536)
                    if answer:
                        break
                except TimeoutError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    break
            answer += read_answer(s, 5)
        else:
            answer = read_answer(s, 10)
        took = time.monotonic() - started
        s.close()
        print(f"body {'slow' if send_slowly else 'short'}: answered in {took:.1f} s")
        assert answer.startswith(b"HTTP/1.1 408 ") and b'"status":408' in answer, answer[:300]
        assert 1.5 < took < 6


def test_a_reader_that_takes_nothing_is_aborted_and_a_slow_steady_one_is_not(strict_server):
    """Issue #27 problems 3 and 9: a stalled reader's socket stayed open (close() waits to drain);
    a steady slow reader was cut though it kept reading."""
    url, proc = strict_server
    path = "/sparql?query=" + urllib.parse.quote(LARGE)

    def ask() -> socket.socket:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port_of(url)))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n".encode())
        return s

    def sockets() -> int:
        return sum(1 for fd in os.listdir(f"/proc/{proc.pid}/fd")
                   if os.readlink(f"/proc/{proc.pid}/fd/{fd}").startswith("socket:"))

    assert post(url, QUICK)[0] == 200  # (the worker's pipe is opened on its first query)
    before = sockets()
    stalled = ask()
    assert wait_for(lambda: sockets() == before + 1, 5)
    # nothing read: once the answer (spooled first) waits 3 s for the reader, it is aborted; the
    # server's socket is released, not left to drain
    assert wait_for(lambda: sockets() == before, 20)
    data = read_answer(stalled, 10)
    stalled.close()
    length = int(data.split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
    assert len(data.split(b"\r\n\r\n", 1)[1]) < length  # what the kernel held, then the end

    steady = ask()
    steady.settimeout(10)
    got, started = 0, time.monotonic()
    while time.monotonic() - started < 8:  # 8 KB a second for 8 s: never cut
        chunk = steady.recv(2048)
        assert chunk, "the steady reader was cut off"
        got += len(chunk)
        time.sleep(0.25)
    steady.close()
    assert got > 30_000


def test_uvicorns_own_refusals_carry_the_envelope(strict_server):
    """Issue #27 problem 3: uvicorn's 400 carried none of termgraph's headers."""
    url, _ = strict_server
    s = socket.create_connection(("127.0.0.1", port_of(url)))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    answer = read_answer(s)
    s.close()
    assert answer.startswith(b"HTTP/1.1 400 ") and b'"status":400' in answer, answer[:300]
    assert b"x-content-type-options: nosniff" in answer.lower()


def test_a_huge_header_in_one_write_is_431(strict_server):
    """Issue #27 problem 9: the 431 limit missed the first read (a 90 KB header in one write passed)."""
    url, _ = strict_server
    s = socket.create_connection(("127.0.0.1", port_of(url)))
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 90_000 + b"\r\n\r\n")
    answer = read_answer(s)
    s.close()
    assert answer.startswith(b"HTTP/1.1 431 ") and b'"status":431' in answer, answer[:200]
