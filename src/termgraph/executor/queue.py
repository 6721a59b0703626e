"""Who of the waiting queries gets a free worker, and when (the pool's wait queue).

A query takes an idle worker at once (the most recently used: its pages are warm), or an idle
extra worker when its client is light (extras.py), or waits in a bounded queue. A freed worker
goes to the waiting client that used least query time lately (fairness.py), never to a waiter
too close to its time limit to finish (`start_margin`: it is refused instead); while a client
waits, the pool may fork it an extra worker or stop the query the fairness rule lets it stop
(`maybe_preempt`). A mixin of pool.QueryPool, which holds the state it reads: `idle`, `busy`,
`waiting`, `seq`, `settings`, `ledger`, `extras`, `failures`, `renewal` and `discard`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from termgraph import errors
from termgraph.executor.watch import ran
from termgraph.executor.workers import ProcessWorker as Worker


@dataclass(order=True)
class Waiter:
    rank: tuple
    future: asyncio.Future = field(compare=False)
    client: str = field(compare=False)
    deadline: float = field(default=float("inf"), compare=False)


class WaitQueue:
    async def acquire(self, client: str, deadline: float) -> Worker:
        """An idle worker now, or a place in the bounded queue until one is handed over."""
        while self.idle and not self.waiting:
            worker = self.idle.pop()
            self.renewal.forget(worker)
            if not getattr(worker, "usable", lambda: True)():
                self.discard(worker)  # (dead or stopped while idle: never given a query)
                continue
            self.busy.add(worker)
            return worker
        if self.ledger.light(client) and (worker := self.extras.take()) is not None:
            self.busy.add(worker)  # (an idle extra worker, kept for light clients)
            return worker
        if len(self.waiting) >= self.settings.max_queue:
            raise errors.Overloaded(f"{len(self.waiting)} queries are already waiting; retry "
                                    "shortly").with_retry_after(1)
        waiter = Waiter((0.0, next(self.seq)), asyncio.get_running_loop().create_future(), client, deadline)
        self.waiting.append(waiter)
        self.maybe_preempt(waiter)  # (a light client's extra worker is forked at once)
        try:
            return await self.wait(waiter, deadline)
        except BaseException:
            self.abandon(waiter)
            raise

    @property
    def start_margin(self) -> float:
        """A waiting query is not started with less than this left of its time limit (it would
        most likely be cut off, a streamed answer mid-way: work thrown away); it is refused
        before it starts instead. The fairness share, at most a quarter of the limit."""
        return min(self.settings.fairness.share, self.settings.timeout / 4)

    async def wait(self, waiter: Waiter, deadline: float) -> Worker:
        while True:
            remaining = deadline - self.start_margin - time.monotonic()
            if remaining <= 0:
                raise errors.QueryTimeout(f"no query worker was free in time to run the query within the "
                                          f"{self.settings.timeout:g} s time limit; retry later").with_retry_after(1)
            try:
                return await asyncio.wait_for(asyncio.shield(waiter.future), min(0.05, remaining))
            except asyncio.TimeoutError:
                self.maybe_preempt(waiter)

    def abandon(self, waiter: Waiter) -> None:
        """A waiter that gives up (time limit, client gone): pass on a worker it was handed."""
        if waiter in self.waiting:
            self.waiting.remove(waiter)
        if waiter.future.done() and not waiter.future.cancelled():
            worker = waiter.future.result()
            self.busy.discard(worker)
            self.hand_over(worker)
        else:
            waiter.future.cancel()

    def hand_over(self, worker: Worker) -> None:
        """Give a free worker to the waiting client that used least query time, or keep it idle;
        an extra worker only to a light client (fairness.py), or it waits idle for one."""
        now = time.monotonic()
        timely = [w for w in self.waiting if w.deadline - self.start_margin > now]  # (the rest give up)
        if getattr(worker, "extra", False):
            timely = [w for w in timely if self.ledger.light(w.client)]
            if not timely:
                self.extras.park(worker)
                return
        if timely:
            waiter = min(timely, key=lambda w: (self.ledger.used(w.client), w.rank[1]))
            self.waiting.remove(waiter)
            self.busy.add(worker)
            waiter.future.set_result(worker)
        else:
            self.idle.append(worker)

    def maybe_preempt(self, waiter: Waiter) -> None:
        """A client waits (on arrival, then each tick): fork it an extra worker, or stop the query
        the fairness rule lets it stop, or neither (fairness.py: `relief`)."""
        if self.idle or self.failures:
            return
        now = time.monotonic()
        running = [] if any(w.preempted for w in self.busy) else [  # (one stop at a time)
            w for w in self.busy if w.client is not None and w.started is not None]
        choice = self.ledger.relief(waiter.client, [(w.client, ran(w, now), now - w.started) for w in running],
                                    self.extras.room())
        if choice == "extra":
            self.extras.fork(self.hand_over)
        elif choice is not None:
            running[choice].preempted = True
            running[choice].stop()
