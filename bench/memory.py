"""PSS of `termgraph serve FILE`'s process tree (warm start), two versions of termgraph's code
alternating, and Oxigraph server's, on one generated graph: bench/start.py's memory measurement,
A/B within one run. Prints figures; asserts nothing.

    python bench/memory.py --before /tmp/old/src          # A: that src folder (PYTHONPATH); B: this checkout
    python bench/memory.py --rounds 2 --workers 1,2,4

Each server: started warm (its cache entry written by one cold start first), its release files
written, one answer to each of the eight benchmark queries, then PSS summed over the server and
every process under it (/proc/PID/smaps_rollup). With --pages, three pages are visited too. With
--settle S, measured again once it stops falling (sampled each second, for up to S seconds): on
a host running KSM (graph/page_merging.py) the pages the reads copied are merged back meanwhile.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from start import Termgraph, oxigraph_pss, pss_mib, snapshot_of, touch_every_query  # noqa: E402


PAGES = ("/", "/concept/large-language-model", "/disagreements")


def settled(pid: int, seconds: float) -> float:
    """PSS once it has fallen and then not fallen for 10 s, or after `seconds` (KSM needs two scans
    of the memory before it merges a page)."""
    best, since, end, fell = pss_mib(pid), time.monotonic(), time.monotonic() + seconds, False
    while time.monotonic() < end and not (fell and time.monotonic() - since > 10):
        time.sleep(1)
        now = pss_mib(pid)
        if now < best - 0.5:
            best, since, fell = now, time.monotonic(), True
    return best


def measured(data: Path, cache: Path, workers: int, src: str | None, pages: bool = False,
             settle: float = 0) -> float:
    os.environ.pop("PYTHONPATH", None)
    if src:
        os.environ["PYTHONPATH"] = src
    server = Termgraph([str(data)], cache, workers=workers)
    try:
        server.up()
        touch_every_query(server.base + "/sparql")
        for page in PAGES if pages else ():  # the server reads its own copy of the store for them
            httpx.get(server.base + page, timeout=600).raise_for_status()
        if not settle:
            return pss_mib(server.proc.pid)
        print(f"  right after the queries: {pss_mib(server.proc.pid):.0f} MiB", flush=True)
        return settled(server.proc.pid, settle)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--pages", action="store_true", help=f"also visit {', '.join(PAGES)} before measuring")
    parser.add_argument("--before", default=None, help="a src folder of termgraph's code to compare (A)")
    parser.add_argument("--settle", type=float, default=0, metavar="S",
                        help="measure again once PSS stops falling, for up to S seconds (KSM merging)")
    args = parser.parse_args()
    versions = [("before", args.before), ("after", None)] if args.before else [("this checkout", None)]
    with tempfile.TemporaryDirectory(prefix="termgraph-bench-memory-") as tmp:
        work = Path(tmp)
        data = work / f"generated-{args.scale}.trig"
        data.write_text(generate(args.scale), encoding="utf-8")
        caches = {name: work / f"cache-{i}" for i, (name, _) in enumerate(versions)}
        for name, src in versions:  # the cold start that writes each version's cache entry
            measured(data, caches[name], 1, src)
        nquads = work / "served.nq"
        shutil.copy(snapshot_of(caches[versions[-1][0]]), nquads)
        rows: dict[tuple[str, int], list[float]] = {}
        for _ in range(args.rounds):
            for workers in [int(w) for w in args.workers.split(",")]:
                for name, src in versions:
                    rows.setdefault((name, workers), []).append(measured(data, caches[name], workers, src, args.pages,
                                                                               args.settle))
                    print(f"{name}, {workers} worker(s): {rows[(name, workers)][-1]:.0f} MiB; load average "
                          f"{os.getloadavg()[0]:.2f}", flush=True)
        os.environ.pop("PYTHONPATH", None)
        reference = oxigraph_pss(nquads)
        print(f"\nload average {os.getloadavg()[0]:.2f}; Oxigraph server in memory: {reference:.0f} MiB")
        print("| process tree | " + " | ".join(f"{n} PSS MiB | x Oxigraph" for n, _ in versions) + " |")
        print("|---|" + "---:|---:|" * len(versions))
        for workers in [int(w) for w in args.workers.split(",")]:
            cells = []
            for name, _ in versions:
                values = rows[(name, workers)]
                cells += [" / ".join(f"{v:.0f}" for v in values), " / ".join(f"{v / reference:.2f}" for v in values)]
            print(f"| {workers} worker(s) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
