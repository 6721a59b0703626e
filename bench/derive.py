"""How long building the graph takes on a generated graph, and each disagreement rule's share.
Prints figures; asserts nothing.

    python bench/derive.py --scale 10      # ~10x termgraph's own graph (~75 k quads of input)
    python bench/derive.py --scale 100
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from termgraph.graph import disagreements  # noqa: E402
from termgraph.graph import load as loader  # noqa: E402
from termgraph.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="termgraph-bench-derive-")) / "large.trig"
    path.write_text(generate(args.scale))
    times = []
    run_rule = disagreements.run_rule

    def timed(store, rule):
        t = time.perf_counter()
        found = run_rule(store, rule)
        times.append((rule.name, time.perf_counter() - t, len(found)))
        return found
    disagreements.run_rule = timed
    t = time.perf_counter()
    data = loader.load(Settings(root=ROOT, extra_files=(path,)))
    total = time.perf_counter() - t
    print(f"~{args.scale}x: {len(data.store):,} quads after building, in {total:.1f} s, peak memory {peak_mib():,.0f} MiB\n")
    print("| rule | seconds | disagreements |\n|---|---:|---:|")
    for name, seconds, n in times:
        print(f"| {name} | {seconds:.2f} | {n} |")


if __name__ == "__main__":
    main()
