"""Starvation: a polite client's latency while hostile clients send expensive queries.

Starts `termgraph serve` with its default settings (2 workers, 10 s limit) on loopback. Each
hostile client has its own loopback address, new at each level (127.0.N.2, .3, … with N hostile
clients: newcomers, whose first queries no one may stop before they have run the fairness share),
and sends, one after another, a query that runs to the time limit; the polite client
(127.0.0.100, the same at every level: it has a history of cheap queries) sends a cheap query that
needs a worker (`ASK { ?s ?p ?o FILTER (isIRI(?s)) }`: an `ASK {}` would be answered by the
server itself, executor/bounded.py, and wait for no worker) every 200 ms. Prints the polite client's p50 / p95 / max and its errors with 0, 2, 4 and 8 hostile
clients, and what the hostile clients got. Asserts nothing. Loopback only; bounded in time.

    python bench/fairness.py                  # 20 s per level
    python bench/fairness.py --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
POLITE = "ASK { ?s ?p ?o FILTER (isIRI(?s)) }"  # cheap, but a worker's


def start(port: int):
    import subprocess
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("termgraph serve did not start")


async def hostile(url: str, address: str, stop: float, got: Counter) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=60) as http:
        while time.monotonic() < stop:
            r = await http.get(url, params={"query": HOSTILE})
            got[r.status_code] += 1
            if r.status_code in (429, 503):
                await asyncio.sleep(min(float(r.headers.get("retry-after", 1)), 1.0))


async def polite(url: str, stop: float) -> tuple[list[float], Counter]:
    latencies, got = [], Counter()
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.100")
    async with httpx.AsyncClient(transport=transport, timeout=60) as http:
        while time.monotonic() < stop:
            t0 = time.monotonic()
            r = await http.get(url, params={"query": POLITE})
            latencies.append(time.monotonic() - t0)
            got[r.status_code] += 1
            await asyncio.sleep(max(0.0, 0.2 - (time.monotonic() - t0)))
    return latencies, got


async def level(url: str, n: int, seconds: float) -> str:
    stop = time.monotonic() + seconds
    hostile_got: Counter = Counter()
    tasks = [asyncio.create_task(hostile(url, f"127.0.{n}.{i + 2}", stop, hostile_got)) for i in range(n)]
    await asyncio.sleep(0.5 if n else 0)
    latencies, got = await polite(url, stop)
    await asyncio.gather(*tasks)
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return (f"| {n} | {len(ms)} | {statistics.median(ms):.1f} | {p95:.1f} | {ms[-1]:.1f} | "
            f"{dict(sorted(got.items()))} | {dict(sorted(hostile_got.items()))} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    port = free_port()
    proc = start(port)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        print(f"termgraph serve, default settings (2 workers, 10 s limit); {args.seconds:g} s per level; "
              f"load average {os.getloadavg()[0]:.1f} at the start\n")
        print("| hostile clients | polite requests | p50 (ms) | p95 (ms) | max (ms) | polite statuses | hostile statuses |")
        print("|---|---|---|---|---|---|---|")
        for n in (0, 2, 4, 8):
            print(asyncio.run(level(url, n, args.seconds)), flush=True)
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
