"""Why pyoxigraph: the eight benchmark queries run in-process on rdflib's own SPARQL engine and
on pyoxigraph, on termgraph's graph and on a generated larger one. Prints figures.

    python bench/engines.py --scale 10

rdflib is given a time limit per query (it runs in a child process that is stopped at the
limit), since on the larger graphs some of its queries take minutes.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import QUERIES  # noqa: E402


def dataset_file(scale: int, work: Path) -> Path:
    import pyoxigraph as ox

    from termgraph.graph import load as loader
    from termgraph.settings import Settings

    extra = []
    if scale:
        from generate import generate

        extra = [work / "large.trig"]
        extra[0].write_text(generate(scale))
    data = loader.load(Settings(root=ROOT, extra_files=tuple(extra)))
    path = work / f"dataset-{scale}.nq"
    data.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return path


def time_rdflib(path: str, name: str, repeats: int, queue) -> None:
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    ds.parse(path, format="nquads")
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        list(ds.query(QUERIES[name]))
        times.append(time.perf_counter() - t)
    queue.put(statistics.median(times))


def rdflib_median(path: Path, name: str, repeats: int, limit: float) -> float | None:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=time_rdflib, args=(str(path), name, repeats, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return queue.get() if not queue.empty() else None


def oxigraph_median(path: Path, name: str, repeats: int) -> float:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = store.query(QUERIES[name], use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="size of the generated graph (x termgraph's)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=float, default=120, help="seconds per rdflib query (load included)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="termgraph-engines-"))
    for scale in (0, args.scale):
        path = dataset_file(scale, work)
        quads = sum(1 for _ in open(path, "rb"))
        print(f"\n### {'our graph' if not scale else f'generated graph, ~{scale}x'}: {quads:,} quads\n")
        print("| query | rdflib (ms) | pyoxigraph (ms) | rdflib / pyoxigraph |")
        print("|---|---|---|---|")
        for name in QUERIES:
            ours = oxigraph_median(path, name, args.repeats)
            theirs = rdflib_median(path, name, args.repeats, args.limit)
            shown = f"{theirs*1e3:.1f}" if theirs is not None else f"> {args.limit:.0f} s (stopped)"
            ratio = f"{theirs/ours:.0f}x" if theirs is not None else "-"
            print(f"| {name} | {shown} | {ours*1e3:.2f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
