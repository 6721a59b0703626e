"""An in-process query executor with the worker pool's interface, for tests and notebooks.

`InlinePool.run(job)` runs the job on the store in this process (in a thread, so the event loop
keeps serving) and returns the same `Answer` a worker would. It has no time limit it can enforce
(a thread cannot be killed) and no network sandbox: the real pool (`pool.py`) is what `termgraph
serve` uses, and the tests that need its limits are marked `live`.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from termgraph import errors
from termgraph.executor.engine import known_graphs
from termgraph.executor.jobs import Answer, Job, execute


class InlinePool:
    """Runs each job on `store` in-process; one job at a time, like a pool of one worker."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.known = known_graphs(store)
        self.workers: list = []  # no processes: nothing to kill or replace
        # pyoxigraph's results belong to the thread that made them: one thread runs every job.
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="termgraph-inline")
        self.lock: asyncio.Lock | None = None

    def reply(self, job: Job) -> tuple:
        """Run a job and answer as a worker does over its pipe: ("ok", Answer) or an error tuple."""
        try:
            return ("ok", execute(self.store, job, self.known))
        except Exception as exc:  # noqa: BLE001 - crosses back as a tuple, like the pool's
            return errors.to_wire(exc)

    def start(self) -> None:
        """Nothing to start: the store is already loaded."""

    def attach(self) -> None:
        self.lock = asyncio.Lock()

    async def run(self, job: Job, client: str = "local", is_disconnected=None, poll: float = 0.25) -> Answer:
        """Run the job (a thread cannot be stopped: `is_disconnected` and `poll` are not used)."""
        if self.lock is None:
            self.attach()
        async with self.lock:
            reply = await asyncio.get_running_loop().run_in_executor(self.thread, self.reply, job)
        if reply[0] == "ok":
            return reply[1]
        raise errors.from_wire(reply)

    def health(self) -> dict:
        return {"kind": "inline", "workers": 0, "status": "ok"}

    def close(self) -> None:
        self.thread.shutdown(wait=False)
