"""Every way to serve the same generated data, measured one after the other in one run: termgraph
serving the file (a cold start, then warm ones), termgraph's built-store modes, Oxigraph server
and the bare engine (bench/bare.py). Prints Markdown tables; asserts nothing.

    python bench/all.py                        # ~40k and ~340k quads served (scales 1 and 20)
    python bench/all.py --sizes 1,20,200       # and ~3.2 M quads (minutes, several GiB)
    python bench/all.py --sizes 20 --rounds 3  # one size, fewer rounds

For each size (`bench/generate.py --scale N`, served by termgraph with its own data beside it):
  serve FILE, cold  `termgraph serve FILE` with an empty start-up cache (bench/start.py's start):
                    validate, derive, write the cache entry and the release files
  serve FILE        `termgraph serve FILE` again (warm: the cache entry loaded), 1, 2 and 4 workers
  --store DIR       `termgraph build-store DIR FILE` (timed apart) + `serve --store DIR` (on disk)
  --in-memory       `serve --store DIR --in-memory` (the built store's snapshot loaded), 1, 2, 4 workers
  Oxigraph server   `oxigraph serve` in memory, sent the N-Quads by `POST /store`
  bare engine       bench/bare.py: pyoxigraph + Starlette in one process, the same N-Quads loaded
The N-Quads are the cache entry's snapshot: exactly the quads termgraph serves.

Start: seconds from the command to the first answer (`ASK {}`). PSS: the whole process tree's
proportional set size (a page shared by forked workers split among them), right after the start,
again after the queries, and (`--rest S`) once idle S seconds, when idle workers holding copies of
the data have been renewed. p50: each of the eight benchmark queries (bench/run.py), sequential,
with every server up at once and the servers taken in alternating order round after round, so
that each meets the machine in the same state; termgraph with 2 workers there.
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
from backends import tree_memory  # noqa: E402
from generate import generate  # noqa: E402
from run import QUERIES, free_port, one, wait_up  # noqa: E402
from start import Termgraph, touch_every_query  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TIMEOUT = "600"  # s, termgraph's query time limit here: a slow query is measured, not cut off


class Server:
    """A server started and kept up: its process, query URL, start seconds and PSS (MiB)."""

    def __init__(self, name: str, cmd: list[str], path: str, env: dict | None = None, then=None):
        self.name = name
        port = free_port()
        cmd = [c.replace("{port}", str(port)) for c in cmd]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env=dict(os.environ, **(env or {})))
        self.url = f"http://127.0.0.1:{port}{path}"
        try:
            wait_up(self.url, self.proc, limit=3600)
            if then is not None:
                then(self)
        except BaseException:
            self.stop()
            raise
        self.start = time.monotonic() - t0
        self.pss = self.memory()
        self.pss_after = None
        self.pss_rest = None  # after the queries and `--rest` seconds idle

    def memory(self) -> float:
        return tree_memory([self.proc.pid])[1] / 2**20

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def termgraph(name: str, workers: int, args: list[str], cache: Path) -> Server:
    return Server(name, [str(BIN / "termgraph"), "serve", "--port", "{port}", "--workers", str(workers),
                         "--timeout", TIMEOUT, *args], "/sparql", {"TERMGRAPH_CACHE_DIR": str(cache)})


def oxigraph(nquads: Path) -> Server:
    def send(server: Server) -> None:
        with open(nquads, "rb") as f:
            r = httpx.post(server.url.rsplit("/", 1)[0] + "/store", content=f, timeout=3600,
                           headers={"Content-Type": "application/n-quads"})
        if r.status_code not in (200, 204):
            raise SystemExit(f"Oxigraph server refused the N-Quads: {r.status_code} {r.text[:200]}")
    return Server("Oxigraph server (in memory)", [str(BIN / "oxigraph"), "serve", "--bind", "127.0.0.1:{port}"],
                  "/query", then=send)


def bare(nquads: Path) -> Server:
    return Server("bare engine", [sys.executable, str(ROOT / "bench" / "bare.py"), str(nquads), "--port", "{port}"],
                  "/query")


def p50s(servers: list[Server], rounds: int, per_round: int) -> dict[str, dict[str, float]]:
    """query -> server -> p50 seconds, every server up, alternating order round by round."""
    out: dict[str, dict[str, float]] = {}
    with httpx.Client(timeout=3600) as client:
        for name in QUERIES:
            times: dict[str, list[float]] = {s.name: [] for s in servers}
            for s in servers:  # warm-up, unmeasured
                one(client, s.url, name)
            for r in range(rounds):
                for s in (servers if r % 2 == 0 else servers[::-1]):
                    times[s.name] += [one(client, s.url, name) for _ in range(per_round)]
            out[name] = {k: statistics.median(v) for k, v in times.items()}
            print(f"  {name}: " + ", ".join(f"{k} {v * 1e3:.1f}" for k, v in out[name].items()) + " ms", flush=True)
    return out


def snapshot_of(cache: Path) -> Path:
    """The cache entry's N-Quads snapshot (graph/cache.py: an entry is a built store)."""
    found = [p for p in cache.glob("*/dataset.nq") if not p.parent.name.startswith(".")]
    if len(found) != 1:
        raise SystemExit(f"expected one cache entry in {cache}, found {len(found)}")
    return found[0]


def measure_size(scale: int, work: Path, rounds: int, per_round: int, rest: float = 0) -> None:
    data = work / f"generated-{scale}.trig"
    data.write_text(generate(scale), encoding="utf-8")
    cache, store = work / f"cache-{scale}", work / f"store-{scale}"
    print(f"\n## generated graph, scale {scale}; load average {os.getloadavg()[0]:.2f}", flush=True)
    first = Termgraph([str(data)], cache)  # (bench/start.py: 2 workers; up once its release files are written)
    try:
        cold, _ = first.up()
    finally:
        first.stop()
    nquads = snapshot_of(cache)
    quads = sum(1 for _ in open(nquads, "rb"))
    print(f"{quads:,} quads served; serve FILE cold: {cold:.1f} s", flush=True)
    t0 = time.monotonic()
    subprocess.run([str(BIN / "termgraph"), "build-store", str(store), str(data)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    build = time.monotonic() - t0
    print(f"termgraph build-store: {build:.1f} s (once)", flush=True)
    kinds = {"serve FILE (warm)": [str(data)], "--store DIR --in-memory": ["--store", str(store), "--in-memory"]}
    memory_only: list[Server] = []
    for label, args in kinds.items():  # 1 and 4 workers: start, and memory after one of each query
        for workers in (1, 4):
            s = termgraph(f"{label}, {workers} worker{'s' if workers > 1 else ''}", workers, args, cache)
            try:
                touch_every_query(s.url)
                s.pss_after = s.memory()
                if rest:  # idle workers holding copies are renewed (executor/renewal.py)
                    time.sleep(rest)
                    s.pss_rest = s.memory()
            finally:
                s.stop()
            memory_only.append(s)
            print(f"  {s.name}: start {s.start:.1f} s, PSS {s.pss:,.0f} MiB, after the queries {s.pss_after:,.0f}"
                  + (f", {rest:g} s later {s.pss_rest:,.0f}" if rest else ""), flush=True)
    servers: list[Server] = []
    try:
        for label, args in kinds.items():
            servers.append(termgraph(f"{label}, 2 workers", 2, args, cache))
        servers.append(termgraph("--store DIR (on disk), 2 workers", 2, ["--store", str(store)], cache))
        servers += [oxigraph(nquads), bare(nquads)]
        for s in servers:
            print(f"  {s.name}: start {s.start:.1f} s, PSS {s.pss:,.0f} MiB", flush=True)
        found = p50s(servers, rounds, per_round)
        for s in servers:
            s.pss_after = s.memory()
    finally:
        for s in servers:
            s.stop()
    report(scale, quads, cold, build, servers, memory_only, found)
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)


def report(scale: int, quads: int, cold: float, build: float, servers: list[Server], memory_only: list[Server],
           found: dict[str, dict[str, float]]) -> None:
    base = "bare engine"
    print(f"\n### scale {scale}: {quads:,} quads served\n")
    print(f"serve FILE, cold start (empty cache, 2 workers): {cold:.1f} s; `termgraph build-store`: {build:.1f} s.\n")
    print("| server | start s | PSS MiB after start | PSS MiB after the queries | PSS MiB once idle | median p50 ms | median p50 / bare |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in memory_only + servers:
        rest = "–" if s.pss_rest is None else f"{s.pss_rest:,.0f}"
        if s.name not in found[next(iter(QUERIES))]:
            print(f"| {s.name} | {s.start:.1f} | {s.pss:,.0f} | {s.pss_after:,.0f} (one of each) | {rest} | – | – |")
            continue
        med = statistics.median(found[q][s.name] for q in QUERIES)
        ratio = statistics.median(found[q][s.name] / found[q][base] for q in QUERIES)
        print(f"| {s.name} | {s.start:.1f} | {s.pss:,.0f} | {s.pss_after:,.0f} | {rest} | {med * 1e3:.2f} | {ratio:.2f} |")
    names = [s.name for s in servers]
    print("\n| query (p50 ms; × the bare engine) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for q in QUERIES:
        cells = [f"{found[q][n] * 1e3:.1f}" + ("" if n == base else f" ({found[q][n] / found[q][base]:.2f}×)")
                 for n in names]
        print(f"| {q} | " + " | ".join(cells) + " |")
    targets(cold, servers, memory_only, found)
    sys.stdout.flush()


def targets(cold: float, servers: list[Server], memory_only: list[Server], found: dict[str, dict[str, float]]) -> None:
    """Issue #28's "done when", each figure against its target."""
    by_name = {s.name: s for s in servers + memory_only}
    oxi, served = by_name["Oxigraph server (in memory)"], "serve FILE (warm), 2 workers"
    ratios = {q: found[q][served] / found[q]["bare engine"] for q in found}
    over = [f"{q} {r:.2f}×" for q, r in ratios.items() if r > 1.2]
    four = by_name["serve FILE (warm), 4 workers"]
    rows = [
        ("each query within 1.2× of the bare engine (serve FILE, 2 workers)",
         f"{len(ratios) - len(over)} of {len(ratios)}" + (f"; over: {', '.join(over)}" if over else "")),
        ("PSS, 4 workers, after one of each query, within 1.5× of Oxigraph server's (after its queries)",
         f"{four.pss_after:,.0f} / {oxi.pss_after:,.0f} MiB = {four.pss_after / oxi.pss_after:.2f}×"
         + ("" if four.pss_rest is None else f"; once idle (the workers renewed): {four.pss_rest:,.0f} MiB = "
                                              f"{four.pss_rest / oxi.pss_after:.2f}×")),
        ("warm start within 1.2× of Oxigraph server's load",
         f"{by_name[served].start:.1f} / {oxi.start:.1f} s = {by_name[served].start / oxi.start:.2f}×"),
        ("cold start within 2× of Oxigraph server's load", f"{cold:.1f} / {oxi.start:.1f} s = {cold / oxi.start:.2f}×"),
    ]
    print("\n| target (issue #28) | measured |\n|---|---|")
    for target, measured in rows:
        print(f"| {target} | {measured} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,20", help="scales of the generated graph (200: ~3.2 M quads)")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds per query")
    parser.add_argument("--per-round", type=int, default=5, help="requests to each server per round")
    parser.add_argument("--rest", type=float, default=35, metavar="S",
                        help="PSS measured again after S seconds idle (idle workers holding copies are renewed "
                             "after TERMGRAPH_WORKER_RENEW_IDLE, 30 s by default); 0: not")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    with tempfile.TemporaryDirectory(prefix="termgraph-bench-all-") as tmp:
        for scale in (int(s) for s in args.sizes.split(",")):
            measure_size(scale, Path(tmp), args.rounds, args.per_round, args.rest)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
