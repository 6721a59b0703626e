"""The query worker pool: a fixed number of workers, a bounded and fair wait queue, time limits
that count the wait, extra workers for light clients and preemption of heavy clients' queries
when no worker is free (the rule: fairness.py; the extras: extras.py; the queue itself:
queue.py), replacement of any worker that dies or is stopped, and renewal of idle workers
holding copies of the data (renewal.py).

The pool schedules; it answers itself only the queries whose shape bounds their cost (on `here`,
the dataset in this process: executor/bounded.py). Its workers come from a source (workers.py):
processes forked from one copy of the data (in memory or an on-disk store), or slots on a SPARQL
store elsewhere (remote.py). A query that runs past its time limit is stopped for real: a process worker is
killed (its CPU is released at once) and a fresh one forked (milliseconds); a remote query's
request is cancelled.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import itertools
import sys
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import errors
from termgraph.executor.extras import Extras
from termgraph.executor.watch import DISCONNECT_POLL, cpu_seconds, watching
from termgraph.executor.fairness import ClientLedger, FairnessSettings
from termgraph.executor.following import Following
from termgraph.executor import bounded
from termgraph.executor.renewal import Renewal
from termgraph.executor.queue import Waiter, WaitQueue
from termgraph.executor.jobs import Answer, Job, execute  # noqa: F401 - the pool's public names
from termgraph.executor.workers import ProcessWorker as Worker, ProcessWorkers




@dataclass(frozen=True)
class PoolSettings:
    workers: int = 2
    timeout: float = 10.0  # seconds, from arrival: waiting for a worker counts
    max_queue: int = 64  # queries waiting for a worker; past that, 503 + Retry-After
    memory_limit: int = 2 << 30  # bytes a query may allocate beyond the shared data
    renew_idle: float = 30.0  # seconds idle before a worker holding copies is replaced (renewal.py; 0: never)
    fairness: FairnessSettings = field(default_factory=FairnessSettings)


class QueryPool(WaitQueue):
    """`store`: the loaded store (or an on-disk store's folder) for process workers, forked
    from it; or None with `source`, any worker source (e.g. remote.RemoteWorkers).
    `here`: the dataset as a store in this process (the loaded one, or the on-disk store's own
    read-only handle), on which the queries bounded by their shape run (bounded.py)."""

    def __init__(self, store, settings: PoolSettings, source=None, known: set[str] | None = None,
                 spool_dir=None):
        if source is None:
            if known is None:
                from termgraph.executor.engine import known_graphs

                known = known_graphs(store)
            source = ProcessWorkers(store, known, settings.memory_limit, spool_dir, cpu_limit=settings.timeout)
        self.here = store if isinstance(store, ox.Store) else None  # (see the property)
        self.known = known
        self.source, self.settings = source, settings
        self.ledger = ClientLedger(settings.fairness)
        # replace() forks workers in these threads (spawning blocks); jobs go over the pipes on the loop
        extra = settings.fairness.extra if isinstance(source, ProcessWorkers) else 0  # (a backend's slots: none)
        self.threads = cf.ThreadPoolExecutor(settings.workers + extra + 1, thread_name_prefix="termgraph-spawn")
        self.extras = Extras(extra, self.spawn, self.threads)
        self.renewal = Renewal(self, settings.renew_idle if isinstance(source, ProcessWorkers) else 0)
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()
        self.waiting: list[Waiter] = []
        self.seq = itertools.count()
        self.closed = False
        self.draining = False
        self.failures = 0
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def here(self):
        return self._here

    @here.setter
    def here(self, store) -> None:
        """The store the bounded queries run on here (None: every query goes to a worker)."""
        self._here = store
        self.decider = bounded.Decider(store) if store is not None else None

    # --- start and stop ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the source (process workers: fork the zygote; call before any thread starts),
        then the workers."""
        self.source.start()
        self.idle = [self.spawn() for _ in range(self.settings.workers)]

    def spawn(self) -> Worker:
        """A fresh worker (blocking)."""
        return self.source.spawn()

    def close(self) -> None:
        self.closed = True
        self.extras.close()
        self.renewal.close()
        for w in self.idle + list(self.busy):
            w.kill()
        self.idle, self.busy = [], set()
        self.source.close()
        self.threads.shutdown(wait=False, cancel_futures=True)

    def health(self) -> dict:
        """What is really there: the idle workers that could take a job now, the busy ones, and
        the source's own parts (the zygote, the work folder). Anything amiss is repaired on the
        event loop (health may be called from another thread) and reported "degraded" until then."""
        usable = [w for w in list(self.idle) if getattr(w, "usable", lambda: True)()]
        busy = [w for w in list(self.busy) if not getattr(w, "extra", False)]
        alive = len(usable) + len(busy)
        sound = getattr(self.source, "healthy", lambda: True)()
        described = self.source.describe()  # (as seen now, before any repair below)
        if (len(usable) < len(self.idle) or not sound) and self.loop is not None and not self.closed:
            self.loop.call_soon_threadsafe(self.checkup)
        return {**described, "workers": alive, "expected": self.settings.workers,
                "busy": len(busy), "waiting": len(self.waiting), **self.extras.describe(),
                "status": "ok" if alive == self.settings.workers and sound else "degraded"}

    def checkup(self) -> None:
        """On the loop: replace idle workers that are dead or stopped; repair the source."""
        for worker in [w for w in self.idle if not w.usable()]:
            self.idle.remove(worker)
            self.discard(worker)
        self.extras.checkup()
        if hasattr(self.source, "repair") and not self.closed:
            self.loop.run_in_executor(self.threads, self.source.repair)

    def discard(self, worker: Worker) -> None:
        """A worker that cannot take a job: killed, and a fresh one forked in its place."""
        print(f"termgraph: a query worker (pid {worker.pid}) was found dead or stopped; replacing it",
              file=sys.stderr, flush=True)
        worker.kill()
        asyncio.get_running_loop().create_task(self.replace())

    # --- running a query -----------------------------------------------------------------------
    async def run(self, job: Job, client: str = "local", is_disconnected=None,
                  poll: float = DISCONNECT_POLL) -> Answer:
        """Run a job for a client within the time limit (counted from now); with
        `is_disconnected`, a job that waits for or runs on a worker is cancelled (its worker
        freed) as soon as the client goes away."""
        if self.draining:
            raise errors.Overloaded("the service is shutting down; retry shortly").with_retry_after(5)
        deadline = time.monotonic() + self.settings.timeout
        self.loop = asyncio.get_running_loop()
        await self.source.screen(job)  # refusals that need no worker (remote stores)
        here = self.decider is not None and self.decider(job.query, job.dataset.given())
        self.ledger.admit(client)  # (decided first: nothing between admitting and counting out can fail)
        if here:
            return self.run_here(job, client)
        started, cost, answer = None, [None], None
        try:
            with watching(is_disconnected, poll):
                worker = await self.acquire(client, deadline)
                started = worker.started = self.ledger.started(client)
                worker.cpu_at_start = cpu_seconds(worker)
                worker.client = client
                answer = await self.call(worker, job, deadline, cost)
                return answer
        finally:
            if answer is not None and answer.following is not None:  # charged when it ends
                answer.following.when_done(lambda cpu: self.ledger.finished(client, started, cpu))
            else:
                self.ledger.finished(client, started, cost[0])

    def run_here(self, job: Job, client: str) -> Answer:
        """Run a bounded job in this process (admitted already), charging its CPU time."""
        started, cpu = self.ledger.started(client), time.thread_time()
        try:
            return execute(self.here, job, self.known)
        except errors.TermgraphError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped as a worker's reply would be
            raise errors.from_wire(errors.to_wire(exc)) from None
        finally:
            self.ledger.finished(client, started, time.thread_time() - cpu)

    async def call(self, worker: Worker, job: Job, deadline: float, cost: list) -> Answer:
        """Run the job on the worker; cost[0] gets the seconds it reported (None if stopped)."""
        reply = None
        try:
            reply = await worker.exchange(job, deadline)
        finally:
            if reply is None or reply[0] != "stream":  # (a streamed answer keeps its worker)
                self.release(worker, healthy=reply is not None and reply[0] in ("ok", "error"))
        if reply is not None and reply[0] == "stream":
            return self.following(worker, reply, deadline)
        if reply is not None and reply[0] in ("ok", "error"):
            cost[0] = reply[-1]
        return self.answer(worker, reply)

    def following(self, worker: Worker, reply: tuple, deadline: float) -> Answer:
        """A large answer sent on while its worker still writes it (following.py)."""
        _, path, form, media, size = reply
        try:
            follow = Following(worker, path, size, deadline, self.release, lambda reply: self.answer(worker, reply))
        except OSError:
            self.release(worker, healthy=False)
            raise
        return Answer(form, media, b"", None, 0, "", follow)

    def answer(self, worker: Worker, reply) -> Answer:
        """The answer of an "ok" reply; for any other, the error it means, raised."""
        if reply is None:
            raise errors.QueryTimeout(f"the query ran longer than {self.settings.timeout:g} s and was "
                                      "stopped; narrow it or add LIMIT")
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "error":
            raise errors.from_wire(reply[1])
        if worker.preempted:
            raise errors.Overloaded("the query was stopped to serve clients that used less query time "
                                    "recently; retry later").with_retry_after(5)
        if reply[1:] == ("limit",):
            raise errors.QueryTooExpensive("the query stopped its worker (most likely by needing more "
                                           "memory than a query may use); narrow it")
        raise errors.Overloaded("a query worker was lost while running the query (it was killed from "
                                "outside); retry").with_retry_after(1)

    # --- a worker's end of a query ----------------------------------------------------------
    def release(self, worker: Worker, healthy: bool) -> None:
        self.busy.discard(worker)
        worker.client = worker.started = None
        if getattr(worker, "retiring", False):  # renewed while it ran this query (renewal.py)
            worker.kill()
        elif healthy and not worker.preempted:
            self.hand_over(worker)
            self.renewal.rested(worker)
        elif getattr(worker, "extra", False):
            self.extras.drop(worker)  # (not replaced)
        else:
            worker.kill()
            asyncio.get_running_loop().create_task(self.replace())

    async def replace(self) -> None:
        """Fork a fresh worker; on failure retry with back-off until it works (health: degraded)."""
        loop, delay = asyncio.get_running_loop(), 0.2
        while not self.closed:
            try:
                worker = await loop.run_in_executor(self.threads, self.spawn)
            except (errors.TermgraphError, OSError, EOFError) as exc:
                self.failures += 1
                print(f"termgraph: replacing a query worker failed ({exc}); retrying in {delay:g} s",
                      file=sys.stderr, flush=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            self.failures = 0
            self.hand_over(worker)
            return


async def run_while_connected(pool, job: Job, client: str, is_disconnected, poll: float = DISCONNECT_POLL) -> Answer:
    """Run a job, cancelling it (and freeing its worker) as soon as the client goes away."""
    return await pool.run(job, client, is_disconnected, poll)
