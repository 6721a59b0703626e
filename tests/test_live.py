"""One live smoke test: `termgraph serve` as a subprocess on a free port, queried by a
third-party client (SPARQLWrapper) and by the README's curl examples; SIGTERM stops it cleanly.
Also: the port answers 503 "starting" while the graph is built; bad data stops the server and
closes the port."""

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.live

README = (ROOT / "README.md").read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.stderr.read()}")
        try:
            urllib.request.urlopen(url + "health", timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not come up")


def start_server(*args: str) -> tuple[str, subprocess.Popen]:
    """`termgraph serve` on a free loopback port, once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc)
    return url, proc


@pytest.fixture(scope="module")
def live():
    url, proc = start_server("--workers", "1")
    yield url, proc
    if proc.poll() is None:
        proc.kill()


def test_sparqlwrapper_queries_the_live_server(live):
    from SPARQLWrapper import JSON, SPARQLWrapper

    url, _ = live
    client = SPARQLWrapper(url + "sparql")
    client.setQuery("""PREFIX tg: <https://w3id.org/termgraph/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?source WHERE { ?c rdf:subject <https://w3id.org/termgraph/system/bert> ;
            rdf:predicate rdf:type ; rdf:object <https://w3id.org/termgraph/concept/generative-ai> ;
            tg:stance tg:Denies ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }""")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["source"]["value"] for r in rows} == {"https://w3id.org/termgraph/source/002",
                                                   "https://w3id.org/termgraph/source/011"}


CURLS = re.findall(r"^(curl .+?)(?<!\\)$", README.replace("\\\n", " "), flags=re.M)


def test_the_readme_has_curl_examples():
    assert len(CURLS) >= 4


@pytest.mark.parametrize("command", CURLS)
def test_readme_curl_example(live, command):
    url, _ = live
    assert shutil.which("curl"), "scripts/test.sh installs curl"
    cmd = command.replace("http://127.0.0.1:8000/", url) + " --fail --silent --show-error"
    run = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()


def test_a_large_result_over_the_live_server(live):
    """A result of about 1 MB crosses from the worker to uvicorn (uvloop) intact."""
    url, _ = live
    body = urllib.request.urlopen(urllib.request.Request(
        url + "sparql?query=" + urllib.parse.quote("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"),
        headers={"Accept": "application/n-triples"}), timeout=60).read()
    assert len(body) > 500_000 and body.count(b"\n") > 5000


def test_every_iri_the_data_uses_resolves_on_the_live_server(live):
    """Each of them, over HTTP (the in-process test fetches a sample of the terms)."""
    import termgraph

    from .test_linked_data import local_paths

    url, _ = live
    failed = []
    for path in local_paths(termgraph.load().store):
        request = urllib.request.Request(url + path.lstrip("/"), headers={"Accept": "text/turtle"}, method="HEAD")
        try:
            urllib.request.urlopen(request, timeout=60).close()
        except OSError as exc:
            failed.append((path, str(exc)))
    assert failed == []


def test_a_head_of_a_download_is_its_headers_and_the_connection_goes_on(live):
    """A HEAD of a release file sends its status and headers and no body (the file is not read:
    manners.Answered), completes the answer on the real server, and the same connection then
    serves a GET of the same file whole, of the length the HEAD said."""
    import http.client

    url, _ = live
    port = int(url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(200):  # the release files are written in the background after the start (503 meanwhile)
        connection.request("HEAD", "/download/termgraph.nq", headers={"Accept-Encoding": "identity"})
        head = connection.getresponse()
        head.read()
        if head.status != 503:
            break
        time.sleep(0.3)
    assert head.status == 200 and head.getheader("content-type").startswith("application/n-quads")
    connection.request("GET", "/download/termgraph.nq", headers={"Accept-Encoding": "identity"})
    whole = connection.getresponse()
    body = whole.read()
    assert whole.status == 200 and len(body) == int(head.getheader("content-length")) > 1_000_000
    assert whole.getheader("etag") == head.getheader("etag")
    connection.close()


def test_a_second_server_on_the_same_port_says_so_in_one_line(live):
    url, _ = live
    port = url.rstrip("/").rsplit(":", 1)[1]
    run = subprocess.run([sys.executable, "-m", "termgraph", "serve", "--port", port], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == (f"termgraph: error: cannot listen on 127.0.0.1:{port} (Address already in use): stop the "
                          "program using it or choose another port with --port\n")


def test_sigterm_stops_the_server_cleanly(live):
    _, proc = live
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0


def test_data_that_fails_shacl_stops_the_server_and_closes_its_port(tmp_path):
    for sub in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    path = tmp_path / "data" / "claims" / "002.ttl"
    path.write_text(path.read_text().replace("tg:stance tg:Asserts", "tg:stance tg:Perhaps", 1))
    port = free_port()
    run = subprocess.run([sys.executable, "-m", "termgraph", "--root", str(tmp_path), "serve", "--port", str(port)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "tgsh:ClaimStanceShape" in run.stderr and "claim:002-" in run.stderr
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_a_file_that_does_not_parse_stops_the_server(tmp_path):
    bad = tmp_path / "extra.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    run = subprocess.run([sys.executable, "-m", "termgraph", "serve", "--port", str(free_port()), str(bad)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2 and "extra.ttl" in run.stderr and "line 2" in run.stderr
    assert "Traceback" not in run.stderr



def test_sigterm_drains_an_in_flight_request(tmp_path):
    """A query still running when SIGTERM arrives gets its answer; then the server exits 0."""
    import json
    import threading

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--port", str(port), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc)
        slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/termgraph/ontology#Claim> . ?d ?e ?f "
                "FILTER (STRLEN(STR(?a)) < STRLEN(STR(?f))) }")  # about 2 s on this graph
        result = {}

        def ask():
            with urllib.request.urlopen(url + "sparql?query=" + urllib.parse.quote(slow), timeout=60) as r:
                result["status"], result["body"] = r.status, r.read()

        thread = threading.Thread(target=ask)
        thread.start()
        time.sleep(0.7)
        proc.send_signal(signal.SIGTERM)
        thread.join(60)
        assert result["status"] == 200 and int(json.loads(result["body"])["results"]["bindings"][0]["n"]["value"]) > 0
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_health_says_starting_while_the_graph_is_built_then_ok():
    """--no-cache: the start validates and derives (seconds), answering "starting" meanwhile."""
    import json
    import urllib.error

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--no-cache", "--workers", "1",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/health"
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    seen.append((answer.status, json.loads(answer.read())["status"]))
                    break
            except urllib.error.HTTPError as exc:
                body = json.loads(exc.read())
                assert exc.code == 503 and exc.headers["Retry-After"] == "2"
                assert body["status"] == "starting" and body["error"]["type"] == "Starting"
                seen.append((503, body["step"]))
            except OSError:  # not listening yet (the interpreter is starting)
                pass
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    assert seen[-1] == (200, "ok"), seen
    starting = [step for status, step in seen if status == 503]
    # (the build's steps, as its progress lines: which of them a poll lands on depends on the
    # machine: the files load in a fraction of a second, deriving takes seconds; before the
    # first line, while the web stack is imported, the step is "")
    build_steps = ("validating termgraph's data", "[", "deriving the source views")
    assert starting and any(step.startswith(build_steps) for step in starting), seen
