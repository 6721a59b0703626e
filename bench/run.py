"""Benchmark: termgraph's endpoint against Oxigraph's own server (`oxigraph serve`, Rust), on the
same data and the same eight queries, in the same run. Prints figures; asserts nothing.

    python bench/run.py                  # our graph and the generated ~100x graph
    python bench/run.py --sizes small    # our graph only

For each graph: load time (process start to first answer), peak memory (RSS of the server and
its workers), p50/p95 latency of each query (sequential), and throughput of the query mix at 4
concurrent clients. Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

P = """PREFIX tg: <https://w3id.org/termgraph/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX concept: <https://w3id.org/termgraph/concept/>
PREFIX source: <https://w3id.org/termgraph/source/>
"""
QUERIES = {
    "label search": P + 'SELECT ?x ?l WHERE { ?x rdfs:label ?l FILTER (CONTAINS(LCASE(STR(?l)), "language")) } LIMIT 50',
    "claims about a concept": P + "SELECT ?claim ?p ?source ?stance WHERE { ?claim rdf:subject concept:large-language-model ; "
                                  "rdf:predicate ?p ; prov:wasDerivedFrom ?source ; tg:stance ?stance }",
    "contested (GROUP BY/HAVING)": P + "SELECT ?s ?p ?o (COUNT(DISTINCT ?stance) AS ?n) WHERE { ?c a tg:Claim ; "
                                       "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; tg:stance ?stance } "
                                       "GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?stance) > 1) ORDER BY ?s LIMIT 100",
    "systems via subClassOf*": P + "SELECT DISTINCT ?sys WHERE { ?cat rdfs:subClassOf* concept:generative-ai . "
                                   "?sys a ?cat , tg:AISystem } LIMIT 500",
    "counts per source/stance": P + "SELECT ?source ?stance (COUNT(?c) AS ?n) WHERE { ?c a tg:Claim ; "
                                    "prov:wasDerivedFrom ?source ; tg:stance ?stance } GROUP BY ?source ?stance",
    "DESCRIBE a concept": P + "DESCRIBE concept:foundation-model",
    "CONSTRUCT neighbourhood": P + "CONSTRUCT { concept:foundation-model ?p ?o . ?s ?q concept:foundation-model } "
                                   "WHERE { { concept:foundation-model ?p ?o } UNION { ?s ?q concept:foundation-model } }",
    "ASK inside GRAPH": P + "ASK { GRAPH source:004 { concept:large-language-model rdfs:subClassOf concept:generative-ai } }",
}
ACCEPT = {"DESCRIBE a concept": "application/n-triples", "CONSTRUCT neighbourhood": "application/n-triples"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Memory:
    """Samples the RSS of a process and its children until stopped; keeps the peak."""

    def __init__(self, pid: int):
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def done(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


def wait_up(url: str, proc: subprocess.Popen, limit: float = 600) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not come up")


def start_termgraph(extra: list[Path], port: int):
    cmd = [sys.executable, "-m", "termgraph", "serve", "--port", str(port), "--workers", "2", "--timeout", "60"]
    cmd += ["--no-cache"] + [str(p) for p in extra]  # from the files every time (bench/start.py: the cache)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mem = Memory(proc.pid)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_up(url, proc)
    return proc, mem, url, time.monotonic() - t0


def dump_dataset(extra: list[Path], out: Path) -> Path:
    """The exact dataset termgraph serves (its files, the extra files, the derived graphs)."""
    from termgraph.graph import load as loader
    from termgraph.settings import Settings

    data = loader.load(Settings(root=ROOT, extra_files=tuple(extra)))
    path = out / "dataset.nq"
    data.store.dump(str(path), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    return path


def start_oxigraph(nquads: Path, port: int, workdir: Path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    location = workdir / "oxigraph"
    t0 = time.monotonic()
    subprocess.run([exe, "load", "--location", str(location), "--file", str(nquads)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--timeout-s", "60"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mem = Memory(proc.pid)
    url = f"http://127.0.0.1:{port}/query"
    wait_up(url, proc)
    return proc, mem, url, time.monotonic() - t0


def one(client: httpx.Client, url: str, name: str) -> float:
    headers = {"Accept": ACCEPT.get(name, "application/sparql-results+json")}
    t = time.perf_counter()
    r = client.post(url, content=QUERIES[name].encode(), headers={**headers, "Content-Type": "application/sparql-query"})
    elapsed = time.perf_counter() - t
    if r.status_code != 200:
        raise SystemExit(f"{name}: HTTP {r.status_code}: {r.text[:300]}")
    return elapsed


def latencies(url: str, repeats: int) -> dict[str, tuple[float, float]]:
    out = {}
    with httpx.Client(timeout=120) as client:
        for name in QUERIES:
            for _ in range(3):
                one(client, url, name)
            times = sorted(one(client, url, name) for _ in range(repeats))
            out[name] = (statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))])
    return out


def throughput(url: str, clients: int, requests: int, seconds: float) -> float:
    names = list(QUERIES)
    deadline = time.monotonic() + seconds

    def worker(i: int) -> int:
        done = 0
        with httpx.Client(timeout=120) as client:
            while done < requests // clients and time.monotonic() < deadline:
                one(client, url, names[(i + done) % len(names)])
                done += 1
        return done

    start = time.monotonic()
    with cf.ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(worker, range(clients)))
    return total / (time.monotonic() - start)


def measure(label: str, starter, repeats: int, requests: int, seconds: float) -> dict:
    proc, mem, url, load = starter()
    try:
        lat = latencies(url, repeats)
        tput = throughput(url, 4, requests, seconds)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"label": label, "load": load, "peak": mem.done(), "lat": lat, "tput": tput}


def report(title: str, ours: dict, theirs: dict) -> None:
    print(f"\n### {title}\n")
    print("| query | termgraph p50 / p95 (ms) | oxigraph p50 / p95 (ms) | p50 ratio |")
    print("|---|---|---|---|")
    ratios = []
    for name in QUERIES:
        a, b = ours["lat"][name], theirs["lat"][name]
        ratios.append(a[0] / b[0])
        print(f"| {name} | {a[0]*1e3:.1f} / {a[1]*1e3:.1f} | {b[0]*1e3:.1f} / {b[1]*1e3:.1f} | {a[0]/b[0]:.2f} |")
    print(f"| **median over the eight** | | | **{statistics.median(ratios):.2f}** |")
    print()
    print("| | termgraph | oxigraph serve | ratio |")
    print("|---|---|---|---|")
    print(f"| throughput, 4 clients (req/s) | {ours['tput']:.2f} | {theirs['tput']:.2f} | {ours['tput']/theirs['tput']:.2f} |")
    print(f"| load time (s) | {ours['load']:.1f} | {theirs['load']:.1f} | |")
    print(f"| peak memory (MiB) | {ours['peak']/2**20:.0f} | {theirs['peak']/2**20:.0f} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", choices=["small", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--requests", type=int, default=800, help="throughput: total requests at most")
    parser.add_argument("--seconds", type=float, default=20, help="throughput: duration at most")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, {platform.platform()}")
    work = Path(tempfile.mkdtemp(prefix="termgraph-bench-"))
    try:
        cases = [("our graph", [])]
        if args.sizes == "both":
            from generate import generate

            large = work / "large.trig"
            large.write_text(generate(100))
            cases.append(("generated graph, ~100x", [large]))
        for title, extra in cases:
            nq = dump_dataset(extra, work)
            quads = sum(1 for _ in open(nq, "rb"))
            ours = measure("termgraph", lambda: start_termgraph(extra, free_port()), args.repeats, args.requests, args.seconds)
            sub = work / title.replace(" ", "_").replace(",", "").replace("~", "")
            sub.mkdir()
            theirs = measure("oxigraph", lambda: start_oxigraph(nq, free_port(), sub), args.repeats, args.requests, args.seconds)
            report(f"{title}: {quads:,} quads", ours, theirs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
