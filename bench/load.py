"""Load test: 8, 32 and 128 concurrent clients, each level for a fixed time and a capped number
of requests, over a mix of typical queries, against `termgraph serve` on loopback. Prints errors,
throughput, p50/p99 latency per level, and the server's memory (RSS of the server and its
workers) after warm-up and at the end. Asserts nothing.

    python bench/load.py                 # 60 s per level, each client on its own loopback address
    python bench/load.py --seconds 10    # a quick look
    python bench/load.py --one-address   # every client from 127.0.0.1 (one client, as the server sees it)

The server tells clients apart by address (fairness.py), so by default each simulated client
sends from its own address in 127.0.0.0/8, as real clients would.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ACCEPT, QUERIES, free_port, start_termgraph  # noqa: E402

MIX = ["label search", "claims about a concept", "systems via subClassOf*", "DESCRIBE a concept",
       "CONSTRUCT neighbourhood", "ASK inside GRAPH", "counts per source/stance", "contested (GROUP BY/HAVING)"]


def rss(pid: int) -> int:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc] + proc.children(recursive=True))


def client_address(i: int) -> str:
    """Client i's own loopback address: 127.0.1.2, 127.0.1.3, …"""
    return f"127.0.{1 + i // 250}.{2 + i % 250}"


async def level(url: str, clients: int, seconds: float, max_requests: int, one_address: bool = False) -> dict:
    latencies, errors, statuses = [], 0, {}
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    async def client(i: int, shared: httpx.AsyncClient) -> None:
        if one_address:
            await session(i, shared)
            return
        transport = httpx.AsyncHTTPTransport(local_address=client_address(i))
        async with httpx.AsyncClient(timeout=120, transport=transport) as own:
            await session(i, own)

    async def session(i: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        n = i
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            name = MIX[n % len(MIX)]
            n += 1
            start = time.perf_counter()
            try:
                r = await http.post(url, content=QUERIES[name].encode(), headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": ACCEPT.get(name, "application/sparql-results+json")})
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - start)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        start = time.monotonic()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        elapsed = time.monotonic() - start
    latencies.sort()
    return {"clients": clients, "requests": len(latencies), "errors": errors, "statuses": statuses,
            "rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per level, at most")
    parser.add_argument("--one-address", action="store_true", help="every client from 127.0.0.1")
    args = parser.parse_args()
    proc, mem, url, load = start_termgraph([], free_port())
    try:
        asyncio.run(level(url, 8, 5, 2000))  # warm-up
        warm = rss(proc.pid)
        results = [asyncio.run(level(url, c, args.seconds, args.max_requests, args.one_address)) for c in (8, 32, 128)]
        end = rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
        mem.done()
    who = "every client from 127.0.0.1" if args.one_address else "each client on its own loopback address"
    print(f"termgraph serve on loopback, 2 workers; {who}; {args.seconds:g} s per level; load time {load:.1f} s\n")
    print("| clients | requests | errors | statuses | req/s | p50 (ms) | p99 (ms) |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['clients']} | {r['requests']} | {r['errors']} | {dict(sorted(r['statuses'].items()))} | "
              f"{r['rps']:.0f} | {r['p50']*1e3:.1f} | {r['p99']*1e3:.1f} |")
    print(f"\nmemory (server + workers): {warm/2**20:.0f} MiB after warm-up, {end/2**20:.0f} MiB at the end "
          f"({(end - warm) / warm * 100:+.1f}%)")


if __name__ == "__main__":
    main()
