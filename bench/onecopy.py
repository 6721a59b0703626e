"""One copy of the data, however many workers: termgraph in memory with 4 query workers against
Oxigraph server in memory, on the same dataset, in one run. Prints figures; asserts nothing.

    python bench/onecopy.py                  # the generated ~200x graph (~3.2 M quads after building)
    python bench/onecopy.py --scale 100      # ~100x
    python bench/onecopy.py --store DIR      # a store already built (no build, no from-files row)

For each: load time (process start to first answer; termgraph from the data files validates its
own data, loads, derives and forks its workers; termgraph from a built store (`build-store DIR`,
timed apart: it is done once) loads the store's N-Quads snapshot into memory with
`serve --store DIR --in-memory`; Oxigraph server is started empty and sent the N-Quads dump of
the same dataset by `POST /store`), RSS and PSS of the whole process tree after loading, p50 of the cheap
queries (ASK, DESCRIBE of one resource; sequential, after a warm-up). For termgraph also: how
long a worker stopped at the time limit takes to be replaced (a query that runs past a 2 s limit,
then /health polled until every worker is idle again). Last, both servers up at once, the cheap
queries in alternating rounds: the difference of the p50s with the machine in the same state.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import free_port, wait_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
P = "PREFIX concept: <https://w3id.org/termgraph/concept/>\n"
CHEAP = {"ASK": "ASK { ?s ?p ?o }", "DESCRIBE one resource": P + "DESCRIBE concept:foundation-model"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def tree_memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of the process tree in MiB: RSS counts a page shared by forked workers once per
    process, PSS splits it among them (the memory really used)."""
    proc = psutil.Process(pid)
    infos = [p.memory_full_info() for p in [proc] + proc.children(recursive=True)]
    return sum(i.rss for i in infos) / 2**20, sum(i.pss for i in infos) / 2**20


def accept_for(query: str) -> str:
    return "application/n-triples" if "DESCRIBE" in query else "application/sparql-results+json"


def timer(client: httpx.Client, url: str, query: str):
    """A function that sends the query once and returns its time in ms."""
    headers = {"Content-Type": "application/sparql-query", "Accept": accept_for(query)}

    def once() -> float:
        t = time.perf_counter()
        r = client.post(url, content=query.encode(), headers=headers)
        assert r.status_code == 200, r.text[:200]
        return (time.perf_counter() - t) * 1000
    return once


def p50(url: str, query: str, n: int = 200) -> float:
    with httpx.Client(timeout=60) as client:
        once = timer(client, url, query)
        for _ in range(20):
            once()
        return statistics.median(once() for _ in range(n))


def side_by_side(urls: dict[str, str], query: str, rounds: int = 8, per_round: int = 50) -> dict[str, float]:
    """Each endpoint's p50 for the query, measured in alternating rounds while all are up, so
    that every server meets the machine in the same state (a 2-core machine's speed drifts)."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    with httpx.Client(timeout=60) as client:
        timers = {name: timer(client, url, query) for name, url in urls.items()}
        for once in timers.values():
            for _ in range(20):
                once()
        for _ in range(rounds):
            for name, once in timers.items():
                times[name] += [once() for _ in range(per_round)]
    return {name: statistics.median(xs) for name, xs in times.items()}


def replacement_seconds(base: str) -> float:
    """A query stopped at the time limit (its worker killed); seconds until every worker is idle."""
    r = httpx.post(base + "sparql", content=SLOW.encode(), timeout=60,
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 503, r.text[:200]
    t = time.monotonic()
    while True:
        h = httpx.get(base + "health", timeout=5).json()
        pool = h.get("executor", h)
        if pool.get("workers") == pool.get("expected") and not pool.get("busy"):
            return time.monotonic() - t
        time.sleep(0.005)


def build_store(extra: list[Path], target: Path) -> float:
    t0 = time.monotonic()
    subprocess.run([str(BIN / "termgraph"), "build-store", str(target), *map(str, extra)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


@contextlib.contextmanager
def termgraph_up(data: list[str], workers: int, timeout: float):
    """`termgraph serve` running (`data`: the extra files, or --store DIR --in-memory); yields
    its base URL and its load time and memory."""
    port = free_port()
    t0 = time.monotonic()
    proc = subprocess.Popen([str(BIN / "termgraph"), "serve", "--port", str(port), "--workers", str(workers),
                             "--timeout", str(timeout), "--no-cache", *data],  # (bench/start.py: the cache)
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_up(base + "sparql", proc, limit=1800)
        load = time.monotonic() - t0
        yield base, dict(zip(("rss", "pss"), tree_memory(proc.pid)), load=load)
    finally:
        proc.terminate()
        proc.wait(30)


@contextlib.contextmanager
def oxigraph_up(nquads: Path):
    """Oxigraph server in memory, sent the N-Quads; yields its query URL, load time and memory."""
    port = free_port()
    t0 = time.monotonic()
    proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_up(url + "query", proc)
        with open(nquads, "rb") as f:
            r = httpx.post(url + "store", content=f, headers={"Content-Type": "application/n-quads"}, timeout=1800)
        assert r.status_code in (200, 204), r.text[:200]
        load = time.monotonic() - t0
        yield url + "query", dict(zip(("rss", "pss"), tree_memory(proc.pid)), load=load)
    finally:
        proc.terminate()
        proc.wait(30)


def termgraph(data: list[str], workers: int, timeout: float) -> dict:
    with termgraph_up(data, workers, timeout) as (base, row):
        row.update({name: p50(base + "sparql", q) for name, q in CHEAP.items()})
        if timeout <= 5:
            row["replace"] = statistics.median(replacement_seconds(base) for _ in range(5))
        return row


def oxigraph(nquads: Path) -> dict:
    with oxigraph_up(nquads) as (url, row):
        row.update({name: p50(url, q) for name, q in CHEAP.items()})
        return row


def print_side_by_side(from_store: list[str], workers: int, nquads: Path) -> None:
    """Both servers up at once, the cheap queries in alternating rounds."""
    with termgraph_up(from_store, workers, 120.0) as (base, _), oxigraph_up(nquads) as (url, _):
        urls = {"termgraph": base + "sparql", "Oxigraph server": url}
        found = {name: side_by_side(urls, q) for name, q in CHEAP.items()}
    print("\nSide by side (both up, 8 alternating rounds of 50 of each query; p50 ms):\n")
    print("| | " + " | ".join(f"{name} p50 ms" for name in CHEAP) + " |")
    print("|---|" + "---:|" * len(CHEAP))
    for server in urls:
        print(f"| {server} | " + " | ".join(f"{found[name][server]:.2f}" for name in CHEAP) + " |")
    print("| difference | " + " | ".join(f"{found[n]['termgraph'] - found[n]['Oxigraph server']:+.2f}"
                                      for n in CHEAP) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--store", type=Path, default=None,
                        help="a store already built by termgraph build-store: measured without building, "
                             "and without the from-files row")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="termgraph-bench-onecopy-"))
    try:
        from generate import generate

        extra = [work / "large.trig"]
        store = args.store or work / "store"
        if args.store is None:
            extra[0].write_text(generate(args.scale))
            built = build_store(extra, store)
        nquads = store / "dataset.nq"  # the built store's snapshot: the same dataset
        print(f"{store}: {sum(1 for _ in open(nquads, 'rb')):,} quads" +
              (f"; termgraph build-store: {built:.1f} s (once)" if args.store is None else ""), flush=True)
        from_store = ["--store", str(store), "--in-memory"]
        rows = {} if args.store else {"termgraph, %d workers, from the data files" % args.workers:
                                      termgraph(list(map(str, extra)), args.workers, 120.0)}
        rows["termgraph, %d workers, from a built store (`--store DIR --in-memory`)" % args.workers] = \
            termgraph(from_store, args.workers, 120.0)
        rows["Oxigraph server, in memory"] = oxigraph(nquads)
        rows["termgraph, %d workers, 2 s limit" % args.workers] = {"replace": termgraph(from_store, args.workers, 2.0)["replace"]}
        print("\n| | load s | RSS MiB (whole tree) | PSS MiB (whole tree) | ASK p50 ms | DESCRIBE p50 ms | worker replaced in s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, r in rows.items():
            cells = [f"{r['load']:.1f}" if "load" in r else "", f"{r['rss']:,.0f}" if "rss" in r else "", f"{r['pss']:,.0f}" if "pss" in r else "",
                     f"{r['ASK']:.2f}" if "ASK" in r else "", f"{r['DESCRIBE one resource']:.2f}" if "ASK" in r else "",
                     f"{r['replace']:.3f}" if "replace" in r else ""]
            print(f"| {name} | " + " | ".join(cells) + " |")
        print_side_by_side(from_store, args.workers, nquads)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
