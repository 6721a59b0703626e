"""A store N times the size of a built one, to measure serving at a size this machine cannot build.

    python bench/replicate.py STORE --copies 10 --out BIG     # STORE: written by termgraph build-store

Building validates the data and derives its graphs in memory (`termgraph build-store`; 2.3 GB
per 1.6 M quads at its peak), so a graph ten times the ~200x generated one cannot be built on a
24 GB machine. This makes one by copying a built store's quads N times: each copy renames the
generated resources (the claims, the sources and their graphs, the generated concepts and
systems, the disagreements, the blank-node labels) so that copies stay apart, while termgraph's
own data, the ontology and the three core terms are shared. The core terms therefore gather N
times the claims, as they would in a larger generated graph; disagreements between two copies
are not derived (there would be more in a graph built whole). The result is a finished store
(manifest and N-Quads snapshot included) for `termgraph serve --store BIG`: a benchmark of
serving, not of building.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from termgraph.graph import store as disk  # noqa: E402

GENERATED = [  # (pattern, replacement with {k}): the generated resources of bench/generate.py
    (re.compile(r"/b(\d{4})(?=[-/>#.])"), r"/k{k}b\1"),  # claim/b0001-002, source/b0001, graph/claims/b0001
    (re.compile(r"bench-(concept|system)-(\d+)"), r"bench-\1-k{k}n\2"),
    (re.compile(r"(/disagreement/[a-z-]+/[0-9a-f]+)"), r"\1k{k}"),
    (re.compile(r"_:(\w+)"), r"_:k{k}\1"),
]


def renamer(k: int):
    rules = [(pattern, template.replace("{k}", str(k))) for pattern, template in GENERATED]

    def rename(line: str) -> str:
        for pattern, replacement in rules:
            line = pattern.sub(replacement, line)
        return line
    return rename


def write_copies(snapshot: Path, copies: int, out: Path) -> int:
    """The snapshot's lines, `copies` times, renamed per copy; returns the lines written."""
    written = 0
    with open(out, "w", encoding="utf-8") as target:
        for k in range(copies):
            rename = renamer(k) if k else (lambda line: line)
            with open(snapshot, encoding="utf-8") as source:
                for line in source:
                    target.write(rename(line))
                    written += 1
            print(f"  copy {k + 1}/{copies}: {written:,} lines", flush=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a store written by termgraph build-store")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True, help="the new store's folder (must not exist)")
    args = parser.parse_args()
    disk.read_manifest(args.store)  # a finished store of the current format, or a clear error
    disk.check_target(args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    snapshot = args.out / disk.SNAPSHOT
    write_copies(args.store / disk.SNAPSHOT, args.copies, snapshot)
    print(f"written in {time.monotonic() - t0:.0f} s; bulk-loading", flush=True)
    store = ox.Store(str(args.out))
    store.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    quads = len(store)
    del store
    gc.collect()
    disk.write_manifest(args.out)
    print(f"{args.out}: {quads:,} quads, {time.monotonic() - t0:.0f} s; serve it with: "
          f"termgraph serve --store {args.out}")


if __name__ == "__main__":
    main()
