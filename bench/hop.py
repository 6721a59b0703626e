"""The fixed cost of a query's trip through termgraph (the route, the pool, the worker's pipe: "the
hop"), two versions of termgraph's code alternating with the bare engine (bench/bare.py) on one
generated graph, in one run. Prints figures; asserts nothing.

    python bench/hop.py --before /tmp/old/src     # A: that src folder (PYTHONPATH); B: this checkout
    python bench/hop.py --before /tmp/old/src --rounds 6 --light 50
    python bench/hop.py --before /tmp/old/src --only nothing,label,DESCRIBE,ASK

`--before` is the src folder of a whole copy of the checkout (e.g. `git archive main | tar -x -C
/tmp/old`: termgraph finds its ontology, data and shapes beside src/). Each version serves the same
generated file (`termgraph serve FILE`, 2 workers, warm: its cache entry written by one cold start
first); the bare engine loads the N-Quads of the "after" version's cache entry. Every server is up
at once, and each round asks every query of bench/run.py, and a query that reads nothing
(`SELECT (1 AS ?x) {}`), of the three in turn (the order reversed every other round), one request
at a time: `--light` requests per query and round (`--heavy` for the three long ones), POST as
bench/run.py sends them. p50: over every round. CPU per request: the on-CPU time of every thread of
every process of the server's tree (/proc/PID/task/TID/schedstat: nanoseconds, not clock ticks),
summed over the requests and divided by their number.
"""

from __future__ import annotations

import argparse
import os
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
from generate import generate  # noqa: E402
from run import ACCEPT, QUERIES, free_port, wait_up  # noqa: E402
from start import Termgraph, snapshot_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTHING = "a query that reads nothing"
ALL = {NOTHING: "SELECT (1 AS ?x) {}", **QUERIES}
HEAVY = {"contested (GROUP BY/HAVING)", "systems via subClassOf*", "counts per source/stance"}


def tree_cpu_ns(pid: int) -> int:
    """On-CPU nanoseconds of every thread of the process and of every process under it."""
    try:
        procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            tasks = os.listdir(f"/proc/{proc.pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{proc.pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    return total


class Bare:
    """bench/bare.py on the N-Quads."""

    def __init__(self, nquads: Path):
        port = free_port()
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare.py"), str(nquads), "--port",
                                      str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}/query"
        wait_up(self.url, self.proc)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def serve(data: Path, cache: Path, src: str | None) -> Termgraph:
    """`termgraph serve FILE` from `src` (PYTHONPATH), else from this checkout."""
    os.environ.pop("PYTHONPATH", None)
    if src:
        os.environ["PYTHONPATH"] = src
    try:
        server = Termgraph([str(data)], cache, workers=2)
        server.up()
    finally:
        os.environ.pop("PYTHONPATH", None)
    return server


def measure(servers: dict[str, tuple[str, int]], rounds: int, light: int, heavy: int):
    """p50 (ms) and CPU per request (ms) of every query on every server."""
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[int]] = {}
    clients = {name: httpx.Client(timeout=600) for name in servers}
    for r in range(rounds):
        order = list(servers) if r % 2 == 0 else list(servers)[::-1]
        for query, text in ALL.items():
            headers = {"Accept": ACCEPT.get(query, "application/sparql-results+json"),
                       "Content-Type": "application/sparql-query"}
            n = heavy if query in HEAVY else light
            for name in order:
                url, pid = servers[name]
                client = clients[name]
                client.post(url, content=text.encode(), headers=headers).raise_for_status()  # (warm)
                before = tree_cpu_ns(pid)
                for _ in range(n):
                    t = time.perf_counter()
                    response = client.post(url, content=text.encode(), headers=headers)
                    times.setdefault((name, query), []).append(time.perf_counter() - t)
                    if response.status_code != 200:
                        raise SystemExit(f"{name}, {query}: HTTP {response.status_code}: {response.text[:300]}")
                spent = cpu.setdefault((name, query), [0, 0])
                spent[0] += tree_cpu_ns(pid) - before
                spent[1] += n
    return ({k: statistics.median(v) * 1000 for k, v in times.items()},
            {k: ns / n / 1e6 for k, (ns, n) in cpu.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the src folder of a copy of the checkout to compare (A)")
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--light", type=int, default=60, help="requests per query and round (default 60)")
    parser.add_argument("--heavy", type=int, default=5, help="... for the three long queries (default 5)")
    parser.add_argument("--only", default="", help="comma-separated words: only the queries whose name has one")
    args = parser.parse_args()
    if args.only:
        for name in [q for q in ALL if not any(word in q for word in args.only.split(","))]:
            del ALL[name]
    versions = {"before": args.before, "after": None}
    with tempfile.TemporaryDirectory(prefix="termgraph-bench-hop-") as tmp:
        work = Path(tmp)
        data = work / f"generated-{args.scale}.trig"
        data.write_text(generate(args.scale), encoding="utf-8")
        caches = {name: work / f"cache-{name}" for name in versions}
        for name, src in versions.items():  # the cold start that writes each version's cache entry
            serve(data, caches[name], src).stop()
        nquads = work / "served.nq"
        shutil.copy(snapshot_of(caches["after"]), nquads)
        running = {name: serve(data, caches[name], src) for name, src in versions.items()}
        bare = Bare(nquads)
        try:
            servers = {"bare engine": (bare.url, bare.proc.pid),
                       **{name: (s.base + "/sparql", s.proc.pid) for name, s in running.items()}}
            print(f"generated graph ~{args.scale}x, {sum(1 for _ in open(nquads)):,} quads served; load average "
                  f"{os.getloadavg()[0]:.2f} at the start", flush=True)
            p50, cpu = measure(servers, args.rounds, args.light, args.heavy)
            print(f"load average {os.getloadavg()[0]:.2f} at the end; {args.rounds} rounds of {args.light} requests "
                  f"per query ({args.heavy} for the long ones) per server\n")
        finally:
            bare.stop()
            for server in running.values():
                server.stop()
    print("| query (p50 ms; CPU ms per request) | bare engine | before | after | before / bare | after / bare |")
    print("|---|---:|---:|---:|---:|---:|")
    for query in ALL:
        cells = [f"{p50[(n, query)]:.2f}; {cpu[(n, query)]:.2f}" for n in ("bare engine", "before", "after")]
        ratios = [f"{p50[(n, query)] / p50[('bare engine', query)]:.2f}" for n in ("before", "after")]
        print(f"| {query} | " + " | ".join(cells + ratios) + " |")


if __name__ == "__main__":
    main()
