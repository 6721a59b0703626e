"""Benchmark of every way termgraph serves, on three graph sizes, against Oxigraph's own server in
the same run. Prints figures (a Markdown table per size); asserts nothing.

    python bench/backends.py                         # our graph, ~100x, ~200x (~3.2 M quads)
    python bench/backends.py --sizes 0,100           # the two smaller graphs only
    python bench/backends.py --modes memory,disk     # some modes only
    python bench/backends.py --built BIG --modes disk,reference   # a store already built (bench/replicate.py)

Modes (termgraph always with 2 workers / 2 concurrent store queries, time limit 120 s):
  memory    `termgraph serve FILE`              the dataset in memory in every worker
  disk      `termgraph build-store` + `serve --store`  an on-disk store opened read-only
  snapshot  `termgraph build-store` + `serve --store --in-memory`  the built store loaded into memory
  oxigraph  `termgraph publish --quads` (one POST of N-Quads) + `serve --backend` in front of Oxigraph server
  virtuoso  `termgraph publish` (isql bulk loader) + `serve --backend` in front of Virtuoso
  reference `oxigraph load` + `oxigraph serve-read-only`, nothing in front (the yardstick)

The stores are the ones `scripts/backends.sh start` runs (started here if needed). For each mode:
load time (from nothing to the first answer: building, publishing and starting included), RSS
and PSS (shared pages split among the processes sharing them) of the whole process tree after the run (termgraph, its workers and the store it uses), p50/p95
of each query (sequential), and req/s of the query mix at 4 concurrent clients.
"""

from __future__ import annotations

import argparse
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
from run import QUERIES, dump_dataset, free_port, one, throughput, wait_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODES = ["memory", "disk", "snapshot", "oxigraph", "virtuoso", "reference"]


def tree_memory(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) summed over the process trees. RSS counts a page shared by forked workers once
    per process; PSS (proportional set size) splits it among them: the memory really used."""
    rss = pss = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc] + proc.children(recursive=True):
                info = p.memory_full_info()
                rss, pss = rss + info.rss, pss + info.pss
        except psutil.Error:
            pass
    return rss, pss


def backends() -> dict[str, str]:
    run = subprocess.run(["bash", "scripts/backends.sh", "start"], cwd=ROOT, capture_output=True, text=True,
                         check=True, env=dict(os.environ, TIMEOUT_S="120"))
    return dict(line.split("=", 1) for line in run.stdout.split())


def pid_of(name: str) -> int:
    run_dir = Path(os.environ.get("RUN", f"/tmp/termgraph-backends-{os.getuid()}"))
    return int((run_dir / f"{name}.pid").read_text())


def termgraph(args: list[str], port: int):
    cmd = [str(BIN / "termgraph"), "serve", "--port", str(port), "--workers", "2", "--timeout", "120", *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_up(url, proc, limit=3600)
    return proc, url


def publish(to: str, extra: list[Path], env_urls: dict) -> None:
    cmd = [str(BIN / "termgraph"), "publish", "--to", to, *map(str, extra)]
    if to.startswith("isql:"):
        cmd += ["--user", "dba", "--load-dir", env_urls["VIRTUOSO_LOAD_DIR"]]
    else:
        cmd += ["--quads"]
    env = dict(os.environ, TERMGRAPH_STORE_PASSWORD=os.environ.get("TERMGRAPH_STORE_PASSWORD", "dba"))
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def start(mode: str, extra: list[Path], work: Path, urls: dict, nquads: Path, built: Path | None = None):
    """Start one mode; return (process to stop or None, query URL, pids to measure, load seconds,
    seconds of the last step alone: starting the server on a built store). `built`: a store
    already built, served by the disk and snapshot modes (their load is then the start alone)."""
    t0 = time.monotonic()
    files = [str(p) for p in extra]
    if built is not None and mode in ("disk", "snapshot"):
        proc, url = termgraph(["--store", str(built)] + (["--in-memory"] if mode == "snapshot" else []), free_port())
        return proc, url, [proc.pid], time.monotonic() - t0, time.monotonic() - t0
    if mode == "memory":  # from the files every time (bench/start.py measures the start-up cache)
        proc, url = termgraph(["--no-cache", *files], free_port())
        return proc, url, [proc.pid], time.monotonic() - t0, None
    if mode in ("disk", "snapshot"):
        store = work / f"store-{time.monotonic_ns()}"
        subprocess.run([str(BIN / "termgraph"), "build-store", str(store), *files], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t1 = time.monotonic()
        proc, url = termgraph(["--store", str(store)] + (["--in-memory"] if mode == "snapshot" else []), free_port())
        return proc, url, [proc.pid], time.monotonic() - t0, time.monotonic() - t1
    if mode in ("oxigraph", "virtuoso"):
        target = urls["OXIGRAPH1"] + "/store" if mode == "oxigraph" else urls["VIRTUOSO_ISQL"]
        publish(target, extra, urls)
        backend = urls["OXIGRAPH1"] + "/query" if mode == "oxigraph" else urls["VIRTUOSO"] + "/sparql"
        proc, url = termgraph([*files, "--backend", backend], free_port())
        store_pid = pid_of("oxigraph1" if mode == "oxigraph" else "virtuoso")
        return proc, url, [proc.pid, store_pid], time.monotonic() - t0, None
    location = work / f"oxigraph-{time.monotonic_ns()}"
    exe = str(BIN / "oxigraph")
    subprocess.run([exe, "load", "--location", str(location), "--file", str(nquads)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}", "--timeout-s", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    wait_up(url, proc)
    return proc, url, [proc.pid], time.monotonic() - t0, None


def latencies(url: str, warmup: int, repeats: int) -> dict[str, tuple[float, float]]:
    out = {}
    with httpx.Client(timeout=300) as client:
        for name in QUERIES:
            try:
                for _ in range(warmup):
                    one(client, url, name)
                times = sorted(one(client, url, name) for _ in range(repeats))
            except (SystemExit, httpx.HTTPError) as exc:  # an error or a time limit: shown as
                print(f"  {name}: {exc!r}", flush=True)     # such, the rest goes on
                times = [float("inf")]
            out[name] = (statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))])
            print(f"    {name}: p50 {out[name][0] * 1e3:,.1f} ms", flush=True)
    return out


def measure(mode: str, extra, work, urls, nquads, warmup: int, repeats: int, seconds: float,
            built: Path | None = None) -> dict:
    proc, url, pids, load, restart = start(mode, extra, work, urls, nquads, built)
    try:
        lat = latencies(url, warmup, repeats)
        try:
            rps = throughput(url, 4, 100_000, seconds) if seconds > 0 else float("nan")
        except (SystemExit, httpx.HTTPError) as exc:  # a query of the mix failed or outlasted the
            print(f"  throughput: {exc!r}", flush=True)  # client's timeout: no throughput figure
            rps = float("nan")
        rss, pss = tree_memory(pids)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    p50s = [v[0] for v in lat.values()]
    p95s = [v[1] for v in lat.values()]
    row = {"mode": mode, "load": load, "restart": restart, "rss": rss, "pss": pss, "p50": statistics.median(p50s), "p95": statistics.median(p95s),
           "rps": rps, "lat": lat}
    print(f"  {mode}: load {load:.1f} s, RSS {rss / 2**20:,.0f} MiB, PSS {pss / 2**20:,.0f} MiB, p50 {row['p50'] * 1e3:.2f} ms, "
          f"p95 {row['p95'] * 1e3:.2f} ms, {rps:.1f} req/s", flush=True)
    return row


def report(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    print("| mode | load s | start on the built store s | RSS MiB (whole tree) | PSS MiB (whole tree) | median p50 ms | "
          "median p95 ms | req/s (4 clients) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        restart = f"{r['restart']:.1f}" if r["restart"] is not None else "–"
        print(f"| {r['mode']} | {r['load']:.1f} | {restart} | {r['rss'] / 2**20:,.0f} | {r['pss'] / 2**20:,.0f} | {r['p50'] * 1e3:.2f} | "
              f"{r['p95'] * 1e3:.2f} | {r['rps']:.1f} |")
    print("\n| query | " + " | ".join(f"{r['mode']} p50 / p95 ms" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name in QUERIES:
        cells = [f"{r['lat'][name][0] * 1e3:.1f} / {r['lat'][name][1] * 1e3:.1f}" for r in rows]
        print(f"| {name} | " + " | ".join(cells) + " |")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,100,200", help="scales of the generated graph (0: our graph only)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs of each query first")
    parser.add_argument("--seconds", type=float, default=10, help="throughput: seconds per mode (0: none)")
    parser.add_argument("--built", type=Path, default=None,
                        help="measure a store already built (its dataset.nq for the reference) instead of --sizes")
    args = parser.parse_args()
    modes = args.modes.split(",")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}")
    urls = backends() if {"oxigraph", "virtuoso"} & set(modes) else {}
    work = Path(tempfile.mkdtemp(prefix="termgraph-bench-backends-"))
    try:
        if args.built is not None:
            nquads = args.built / "dataset.nq"
            print(f"built store {args.built}: {sum(1 for _ in open(nquads, 'rb')):,} quads", flush=True)
            rows = [measure(m, [], work, urls, nquads, args.warmup, args.repeats, args.seconds, args.built)
                    for m in modes]
            report(f"the store at {args.built}", rows)
            return
        for scale in (int(s) for s in args.sizes.split(",")):
            extra = []
            if scale:
                from generate import generate

                extra = [work / "large.trig"]
                extra[0].write_text(generate(scale))
            nquads = dump_dataset(extra, work)
            quads = sum(1 for _ in open(nquads, "rb"))
            print(f"size {scale}: {quads:,} quads", flush=True)
            rows = [measure(m, extra, work, urls, nquads, args.warmup, args.repeats, args.seconds) for m in modes]
            report(f"{'our graph' if not scale else f'generated graph, ~{scale}x'}: {quads:,} quads", rows)
            for p in work.iterdir():
                if p.name.startswith(("store-", "oxigraph-")):
                    shutil.rmtree(p, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
