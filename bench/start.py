"""How long `termgraph serve FILE` takes to answer, cold and warm (the start-up cache,
graph/cache.py), and how much memory the served file costs (PSS of the whole process tree), on a
generated graph, against Oxigraph server in memory loading the same quads. Prints figures;
asserts nothing.

    python bench/start.py                 # ~20x our graph (~340 k quads after building)
    python bench/start.py --scale 200     # ~3.2 M quads
    python bench/start.py --rounds 3 --no-cache-run

Each round, one server at a time (alternating rounds: compare within a run):
  oxigraph   `oxigraph serve` (in memory), then `POST /store` of the N-Quads termgraph serves
             (the cache entry's snapshot): from the command to the end of the load
  no cache   `serve --no-cache FILE` (with --no-cache-run): validate, load and derive every start
  cold       `serve FILE` with an empty cache folder: validate, derive, write the cache entry
  warm       `serve FILE` again: the entry loaded, nothing validated or derived
each from the command to the first answer of `ASK {}` (2 workers), and to the release files
written (GET /download/termgraph.nq answered 200: they are written after the endpoint answers).
Then the memory: `serve FILE` (warm) with 1, 2 and 4 workers and Oxigraph server, each once its
files are written and it has answered one query of each benchmark kind; PSS summed over the server
and every process under it (the zygote, the workers) from /proc/PID/smaps_rollup, as smem does.
The first round's progress lines are printed with the second they came at.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from run import QUERIES, free_port, one, wait_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tree(pid: int) -> list[int]:
    """The process and every process under it (Linux: /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def pss_mib(pid: int) -> float:
    """PSS of the process tree in MiB: each page shared by n processes counted 1/n in each."""
    total = 0
    for p in tree(pid):
        try:
            lines = Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in lines if line.startswith("Pss:"))
    return total / 1024


def release_written(base: str, proc: subprocess.Popen, limit: float = 3600) -> None:
    """Until /download/termgraph.nq answers 200 (the server answers 503 while it is written)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            raise SystemExit("server exited while its release files were written")
        with httpx.stream("GET", base + "/download/termgraph.nq", timeout=60) as answer:
            if answer.status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit("the release files were not written")


class Termgraph:
    """`termgraph serve` as a subprocess; its progress lines kept with the second they came at."""

    def __init__(self, args: list[str], cache: Path, workers: int = 2):
        self.port = free_port()
        env = dict(os.environ, TERMGRAPH_CACHE_DIR=str(cache))
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([str(BIN / "termgraph"), "serve", "--port", str(self.port), "--workers",
                                      str(workers), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        self.base = f"http://127.0.0.1:{self.port}"

    def read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(f"{time.monotonic() - self.t0:6.1f} s  {line.rstrip()}")

    def up(self) -> tuple[float, float]:
        """Seconds to the first answer, then to the release files written."""
        wait_up(self.base + "/sparql", self.proc, limit=3600)
        answered = time.monotonic() - self.t0
        release_written(self.base, self.proc)
        return answered, time.monotonic() - self.t0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=120)
        self.reader.join(timeout=10)


class Oxigraph:
    """Oxigraph server in memory, given the N-Quads by POST /store."""

    def __init__(self, nquads: Path):
        self.port = free_port()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_up(self.base + "/query", self.proc)
        with open(nquads, "rb") as body:
            httpx.post(self.base + "/store", content=body, headers={"Content-Type": "application/n-quads"},
                       timeout=3600).raise_for_status()
        self.seconds = time.monotonic() - self.t0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def touch_every_query(url: str) -> None:
    """One answer of each benchmark query (a worker's memory after real work, not just after forking)."""
    with httpx.Client(timeout=600) as client:
        for name in QUERIES:
            try:
                one(client, url, name)
            except (SystemExit, httpx.HTTPError) as exc:
                print(f"  {name}: {exc!r}", flush=True)


def snapshot_of(cache: Path) -> Path:
    entries = [p for p in cache.iterdir() if p.is_dir() and len(p.name) == 64]
    return entries[0] / "dataset.nq"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-cache-run", action="store_true", help="also time `serve --no-cache FILE`")
    parser.add_argument("--workers", default="1,2,4", help="the worker counts whose PSS is measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="termgraph-bench-start-") as tmp:
        work = Path(tmp)
        data = work / f"generated-{args.scale}.trig"
        data.write_text(generate(args.scale), encoding="utf-8")
        print(f"generated graph ~{args.scale}x: {data.stat().st_size:,} bytes; load average "
              f"{os.getloadavg()[0]:.2f} before the run", flush=True)
        starts: dict[str, list[tuple[float, float]]] = {}
        nquads = None
        for n in range(args.rounds):
            cache = work / f"cache-{n}"
            runs = [("no cache", ["--no-cache", str(data)])] if args.no_cache_run else []
            runs += [("cold", [str(data)]), ("warm", [str(data)])]
            if nquads is not None:  # (the first round makes the N-Quads: the cache entry's snapshot)
                oxi = Oxigraph(nquads)
                oxi.stop()
                starts.setdefault("oxigraph", []).append((oxi.seconds, oxi.seconds))
            for name, argv in runs:
                server = Termgraph(argv, cache)
                try:
                    starts.setdefault(name, []).append(server.up())
                finally:
                    server.stop()
                if n == 0:
                    print(f"\n{name}: {starts[name][-1][0]:.1f} s to the first answer, "
                          f"{starts[name][-1][1]:.1f} s to the release files written", flush=True)
                    print("\n".join(server.lines), flush=True)
            if nquads is None:
                nquads = work / "served.nq"
                shutil.copy(snapshot_of(cache), nquads)
                oxi = Oxigraph(nquads)
                oxi.stop()
                starts.setdefault("oxigraph", []).append((oxi.seconds, oxi.seconds))
            print(f"round {n + 1}: " + ", ".join(f"{k} {v[-1][0]:.1f} s" for k, v in starts.items())
                  + f"; load average {os.getloadavg()[0]:.2f}", flush=True)
        print(f"\n{nquads.stat().st_size:,} bytes of N-Quads served; medians of {args.rounds} round(s)")
        print("\n| start | s to the first answer | s to the release files written |\n|---|---:|---:|")
        for name, values in starts.items():
            print(f"| {name} | {statistics.median(v[0] for v in values):.1f} | "
                  f"{statistics.median(v[1] for v in values):.1f} |")
        memory(args, data, work / "cache-0", nquads)


def oxigraph_pss(nquads: Path) -> float:
    """PSS (MiB) of Oxigraph server in memory holding these quads, once it has answered one query
    of each benchmark kind: the yardstick of the memory figures."""
    oxi = Oxigraph(nquads)
    try:
        touch_every_query(oxi.base + "/query")
        return pss_mib(oxi.proc.pid)
    finally:
        oxi.stop()


def memory(args, data: Path, cache: Path, nquads: Path) -> None:
    """PSS of termgraph (warm start, 1, 2, 4 workers) and of Oxigraph server, one at a time."""
    rows = []
    for workers in [int(w) for w in args.workers.split(",")]:
        server = Termgraph([str(data)], cache, workers=workers)
        try:
            server.up()
            touch_every_query(server.base + "/sparql")
            rows.append((f"termgraph serve FILE, {workers} worker(s)", pss_mib(server.proc.pid)))
        finally:
            server.stop()
    reference = oxigraph_pss(nquads)
    rows.append(("Oxigraph server, in memory", reference))
    print(f"\nload average {os.getloadavg()[0]:.2f}\n| process tree | PSS MiB | × Oxigraph |\n|---|---:|---:|")
    for name, mib in rows:
        print(f"| {name} | {mib:,.0f} | {mib / reference:.2f} |")


if __name__ == "__main__":
    main()
