"""Idle query workers that hold copies of the shared data are replaced by fresh ones.

A worker is forked from the zygote and shares the loaded data's pages with it. The engine
writes to the parts of its in-memory store a query reads (pyoxigraph keeps reference counts in
them), so each page a query touches becomes the worker's own copy: after the benchmark's eight
queries one worker holds ~66 MiB of its own at ~340k quads, ~580 MiB at ~3.2M, and each busy
worker grows its own copy (docs/performance.md). Those copies make the next queries on the same
pages cheaper, but they are never given back while the worker lives.

So a worker that has been idle for `after` seconds since its last query, and holds more than
`over` bytes of memory of its own (Private_Dirty in /proc/PID/smaps_rollup: the pages it wrote),
is replaced by a fresh fork: the fork first, then the old worker stopped if it is still idle
(if a query took it meanwhile, it is stopped when that query ends). The service never has fewer
workers than it should meanwhile. The price: the first queries a fresh worker runs copy their
pages again (tens of ms for the heaviest at ~340k quads). With KSM on the host
(graph/page_merging.py) the copies are merged back anyway; renewal gives them back on any host.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

RENEW_OVER = 32 << 20  # bytes of its own an idle worker may hold before it is replaced


def own_memory(pid: int) -> int | None:
    """The bytes the process wrote since it was forked (its private dirty pages), or None when
    it has gone or the kernel does not say (no smaps_rollup: Linux before 4.14)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) << 10
    return None


class Renewal:
    """For a pool of process workers: `after` seconds idle (0: never), more than `over` bytes of
    its own. `pool` gives `idle` (the idle workers, a list), `spawn` (a fresh worker, blocking),
    `threads` (where to call it), `hand_over(worker)` and `closed`."""

    def __init__(self, pool, after: float, over: int = RENEW_OVER):
        self.pool, self.after, self.over = pool, after, over
        self.timers: dict = {}  # worker -> the timer that checks it
        self.renewed = 0  # workers replaced so far (health)

    def rested(self, worker) -> None:
        """A worker that ran a query is free again: checked once it has been idle `after` s."""
        self.forget(worker)
        if self.after > 0 and hasattr(worker, "pid") and not getattr(worker, "extra", False):
            self.timers[worker] = asyncio.get_running_loop().call_later(self.after, self.check, worker)

    def forget(self, worker) -> None:
        timer = self.timers.pop(worker, None)
        if timer is not None:
            timer.cancel()

    def check(self, worker) -> None:
        self.timers.pop(worker, None)
        if worker in self.pool.idle and not self.pool.closed:
            asyncio.get_running_loop().create_task(self.renew(worker))

    async def renew(self, worker) -> None:
        loop = asyncio.get_running_loop()
        held = await loop.run_in_executor(self.pool.threads, own_memory, worker.pid)
        if held is None or held <= self.over or worker not in self.pool.idle or self.pool.closed:
            return
        try:
            fresh = await loop.run_in_executor(self.pool.threads, self.pool.spawn)
        except Exception as exc:  # noqa: BLE001 - the old worker simply stays
            print(f"termgraph: renewing an idle query worker failed ({exc}); it stays", file=sys.stderr, flush=True)
            return
        if self.pool.closed:
            fresh.kill()
            return
        if worker in self.pool.idle:
            self.pool.idle.remove(worker)
            worker.kill()
        elif worker in self.pool.busy:  # a query took it meanwhile: it ends with that query (pool.release)
            worker.retiring = True
        else:  # it died meanwhile, and was replaced already
            fresh.kill()
            return
        self.renewed += 1
        print(f"termgraph: an idle query worker (pid {worker.pid}) held {held >> 20} MiB of copied data; "
              f"renewed (pid {fresh.pid})", file=sys.stderr, flush=True)
        self.pool.hand_over(fresh)

    def close(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        self.timers.clear()
