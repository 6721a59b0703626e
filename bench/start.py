"""How long `termgraph serve FILE` takes to answer, cold and warm (the start-up cache,
graph/cache.py), on a generated graph. Prints figures; asserts nothing.

    python bench/start.py                 # ~20x our graph (~330 k quads after building)
    python bench/start.py --scale 200     # ~3.2 M quads

Three starts one after the other, each from nothing to the first answer of `ASK {}` (2 workers):
  no cache   `serve --no-cache FILE`: validate, load and derive in memory (as before the cache)
  cold       `serve FILE` with an empty cache folder: validate, derive, write the cache entry, load it
  warm       `serve FILE` again: the entry loaded, nothing validated or derived
Each start's own progress lines are printed with the second they came at.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from run import free_port, wait_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def one_start(args: list[str], cache: Path) -> tuple[float, list[str]]:
    """Seconds from the command to the first answer, and its progress lines (with their second)."""
    port = free_port()
    env = dict(os.environ, TERMGRAPH_CACHE_DIR=str(cache))
    t0 = time.monotonic()
    proc = subprocess.Popen([str(BIN / "termgraph"), "serve", "--port", str(port), "--workers", "2", *args],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(f"{time.monotonic() - t0:6.1f} s  {line.rstrip()}")

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_up(f"http://127.0.0.1:{port}/sparql", proc, limit=3600)
        seconds = time.monotonic() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=120)
        reader.join(timeout=10)
    return seconds, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="termgraph-bench-start-") as tmp:
        work = Path(tmp)
        data = work / f"generated-{args.scale}.trig"
        data.write_text(generate(args.scale), encoding="utf-8")
        cache = work / "cache"
        runs = [("no cache", ["--no-cache", str(data)]), ("cold", [str(data)]), ("warm", [str(data)])]
        print(f"generated graph ~{args.scale}x: {data.stat().st_size:,} bytes; load average "
              f"{os.getloadavg()[0]:.2f} before the run", flush=True)
        results = []
        for name, argv in runs:
            seconds, lines = one_start(argv, cache)
            results.append((name, seconds))
            print(f"\n{name}: {seconds:.1f} s to the first answer", flush=True)
            print("\n".join(lines), flush=True)
        print("\n| start | s to the first answer |\n|---|---:|")
        for name, seconds in results:
            print(f"| {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
