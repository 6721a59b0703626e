"""Extra query workers, forked for light clients when no worker is free; bounded, retired when idle.

At most `cap` workers beyond the pool's own, forked from the same source (the zygote: they share
the data's memory), so that a light client is served beside queries no one may stop, and no
one's work is thrown away for it (who is light and when an extra is forked: fairness.py,
`ClientLedger.relief`).

An extra worker runs one query at a time like any other, under the same limits (time, memory,
sandbox); when it ends, it goes to the next light client waiting, or waits idle for one and
exits after `linger` seconds idle. One that is stopped or dies is not replaced. The pool keeps
a running extra in its busy set, like its own workers.
"""

from __future__ import annotations

import asyncio
import sys

from termgraph import errors

LINGER = 10.0  # seconds an idle extra worker waits for a light client before it exits


class Extras:
    def __init__(self, cap: int, spawn, threads, linger: float = LINGER):
        self.cap, self.spawn, self.threads, self.linger = cap, spawn, threads, linger
        self.live: set = set()  # every extra worker, running or idle
        self.idle: dict = {}  # idle extra worker -> the timer that retires it
        self.forking = 0
        self.closed = False

    def room(self) -> bool:
        """Whether one more may be forked now (none is being forked: one at a time)."""
        return not self.closed and not self.forking and len(self.live) < self.cap

    def fork(self, deliver) -> None:
        """Fork an extra worker in a thread and give it to `deliver` (on the event loop)."""
        self.forking += 1
        asyncio.get_running_loop().create_task(self.forked(deliver))

    async def forked(self, deliver) -> None:
        try:
            worker = await asyncio.get_running_loop().run_in_executor(self.threads, self.spawn)
        except (errors.TermgraphError, OSError, EOFError, RuntimeError) as exc:
            print(f"termgraph: forking an extra query worker failed ({exc})", file=sys.stderr, flush=True)
            return
        finally:
            self.forking -= 1
        if self.closed:
            worker.kill()
            return
        worker.extra = True
        self.live.add(worker)
        deliver(worker)

    def take(self):
        """An idle extra worker that can take a job now (its retirement cancelled), or None."""
        while self.idle:
            worker, timer = self.idle.popitem()
            timer.cancel()
            if getattr(worker, "usable", lambda: True)():
                return worker
            self.drop(worker)
        return None

    def park(self, worker) -> None:
        """An extra worker with no light client to serve: idle until one comes, `linger` at most."""
        self.idle[worker] = asyncio.get_running_loop().call_later(self.linger, self.retire, worker)

    def retire(self, worker) -> None:
        if self.idle.pop(worker, None) is not None:
            self.drop(worker)

    def drop(self, worker) -> None:
        """Stop an extra worker for good (after its query was stopped or it died: not replaced)."""
        self.live.discard(worker)
        timer = self.idle.pop(worker, None)
        if timer is not None:
            timer.cancel()
        worker.kill()

    def checkup(self) -> None:
        """Drop idle extra workers that are dead or stopped."""
        for worker in [w for w in self.idle if not getattr(w, "usable", lambda: True)()]:
            self.drop(worker)

    def describe(self) -> dict:
        return {"extra": len(self.live), "extra_idle": len(self.idle)}

    def close(self) -> None:
        self.closed = True
        for worker in list(self.live):
            self.drop(worker)
