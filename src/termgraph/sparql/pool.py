"""Query workers: separate processes, each holding the dataset in memory, that run queries.

Each worker loads the dataset from an N-Quads dump into its own in-memory Oxigraph store (on
our graphs several times faster to query than an on-disk store); nothing a query does can
change what the others see.

A query that runs past its time limit is stopped for real: its worker process is killed (its
CPU is released at once) and a fresh one takes its place, while the other workers go on
serving. Results are serialised in the worker by pyoxigraph's own serialisers, capped in size.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from termgraph import errors
from termgraph.sparql.protocol import Dataset


@dataclass(frozen=True)
class Job:
    query: str
    dataset: Dataset
    accept: str | None
    format: str | None
    base_iri: str | None
    max_bytes: int
    screen_service: bool = True  # False only in tests of the sandbox: no client can set it


@dataclass(frozen=True)
class Answer:
    form: str
    media_type: str
    body: bytes


def execute(store, job: Job, known: set[str] | None = None) -> Answer:
    """Run one job against a store (in the worker process). `known`: the store's graph names."""
    from termgraph.sparql import engine
    from termgraph.sparql import formats
    from termgraph.sparql import guard
    from termgraph.sparql import protocol

    result = engine.run(store, job.query, job.dataset, base_iri=job.base_iri, known=known,
                        screen_service=job.screen_service)
    media = protocol.result_type(job.accept, result.form, job.format)
    try:  # results are lazy: a SERVICE call happens while they are serialised
        body = formats.serialize_result(result.form, result.value, media, job.max_bytes)
    except OSError:  # the sandbox refused the socket
        raise errors.ForbiddenQuery(guard.SERVICE_REFUSED) from None
    return Answer(result.form, media, body)


def worker_main(conn, dump_path: str) -> None:
    from termgraph.sparql.sandbox import confine

    try:
        confine()  # before anything else: from here on this process cannot open a network socket
    except errors.SandboxUnavailable as exc:
        conn.send(("sandbox", str(exc)))
        return
    import pyoxigraph as ox

    from termgraph.sparql.engine import known_graphs

    store = ox.Store()
    store.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
    known = known_graphs(store)  # read-only: the graph names never change
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", execute(store, job, known)))
        except Exception as exc:  # noqa: BLE001 - type, status and fields cross intact; a bug is an InternalError
            conn.send(errors.to_wire(exc))


class Worker:
    def __init__(self, ctx, dump_path: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, dump_path), daemon=True)
        self.process.start()
        child.close()
        try:
            reply = self.conn.recv() if self.conn.poll(600) else None
        except (EOFError, OSError):
            reply = None
        if reply and reply[0] == "sandbox":
            self.kill()
            raise errors.SandboxUnavailable(f"query workers cannot be kept off the network: {reply[1]}")
        if reply != ("ready",):
            self.kill()
            raise errors.TermgraphError("a query worker did not start (see the messages above)")

    async def call(self, job: Job, timeout: float):
        """Send a job and wait for the reply without blocking the event loop; None at the limit."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
        try:
            self.conn.send(job)
            await asyncio.wait_for(ready, timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop's add_reader makes the fd non-blocking
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of workers; each query takes an idle one for as long as it runs."""

    def __init__(self, dump_path: Path, workers: int, timeout: float):
        self.dump_path, self.size, self.timeout = str(dump_path), max(1, workers), timeout
        self.ctx = mp.get_context("spawn")
        self.idle: asyncio.Queue[Worker] | None = None
        self.workers: list[Worker] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start the workers side by side (each loads the dump), and wait for all of them."""
        import concurrent.futures as cf

        with cf.ThreadPoolExecutor(self.size) as pool:
            self.workers = list(pool.map(lambda _: Worker(self.ctx, self.dump_path), range(self.size)))

    def attach(self) -> None:
        """Bind the idle queue to the running event loop (call from inside it)."""
        self.idle = asyncio.Queue()
        for w in self.workers:
            self.idle.put_nowait(w)

    async def run(self, job: Job) -> Answer:
        if self.idle is None:
            self.attach()
        worker = await self.idle.get()
        try:
            reply = await worker.call(job, self.timeout)
        except (OSError, EOFError):
            reply = errors.to_wire(errors.InternalError("the query worker failed"))
            worker = await self.replace(worker)
        if reply is None:
            worker = await self.replace(worker)
            self.idle.put_nowait(worker)
            raise errors.QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped; "
                                      "narrow it or add LIMIT")
        self.idle.put_nowait(worker)
        if reply[0] == "ok":
            return reply[1]
        raise errors.from_wire(reply)

    async def replace(self, worker: Worker) -> Worker:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, worker.kill)
        fresh = await loop.run_in_executor(None, Worker, self.ctx, self.dump_path)
        with self.lock:
            self.workers = [fresh if w is worker else w for w in self.workers]
        return fresh

    def close(self) -> None:
        for w in self.workers:
            w.kill()
        self.workers = []
