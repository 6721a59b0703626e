"""The server's side of the query workers: a worker is anything the pool can hand a job to, stop
and replace. Here the local kind, processes forked by the zygote (zygote.py); `remote.py` has
the kind that sends each job to a SPARQL store elsewhere. The pool (pool.py) schedules.

A worker source has `start()` (before any thread starts), `spawn()` (blocking: a fresh worker),
`async screen(job)` (refuse a job up front, before it waits for a worker) and `close()`.
A worker has `pid` (None when it is not a process), `client`, `started`, `preempted`,
`async exchange(job, deadline)` -> the reply tuple ("ok", Answer, cost) or
("error", wire, cost) or ("died",), or None at the deadline, or for a streamed job whose
result is large ("stream", path, form, media type, size), after which `async follow(deadline)`
gives the next messages until the reply; `stop()` (preemption: the exchange then ends with
("died",)) and `kill()` (for good).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from pathlib import Path

from termgraph import errors
from termgraph.executor import frames, zygote
from termgraph.executor.jobs import Job


class ProcessWorker:
    """One forked worker process and the server's end of its pipe."""

    def __init__(self, pid: int, conn, spool_dir: str | None = None):
        self.pid, self.conn, self.spool_dir = pid, conn, spool_dir
        self.sock: socket.socket | None = None  # the same pipe, for the event loop (frames.py)
        self.inbox: frames.Inbox | None = None
        self.client: str | None = None
        self.started: float | None = None
        self.preempted = False

    async def exchange(self, job: Job, deadline: float) -> tuple | None:
        """The job sent and the reply read on the event loop (frames.py): never blocking it, and
        no thread hand-off per query. A job cut off at the deadline leaves the pipe mid-message:
        the pool then replaces the worker."""
        if self.sock is None:
            self.sock = socket.socket(fileno=os.dup(self.conn.fileno()))
            self.inbox = frames.Inbox(self.sock)
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                await frames.send(self.sock, job)
                return await self.inbox.receive()
        except asyncio.TimeoutError:
            return None
        except (OSError, EOFError):
            return ("died",)

    async def follow(self, deadline: float) -> tuple | None:
        """The worker's next message about a job it is still answering (a streamed one: jobs.py),
        as `exchange` gives its first: None at the deadline, ("died",) if it has gone."""
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                return await self.inbox.receive()
        except asyncio.TimeoutError:
            return None
        except (OSError, EOFError):
            return ("died",)

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """Stop it for good, and remove any result it was writing (a delivered result's file is
        unlinked when the server opens it, so only an unfinished one is left under its pid)."""
        self.stop()
        self.conn.close()
        if self.sock is not None:
            self.sock.close()
        if self.spool_dir:
            for leftover in Path(self.spool_dir).glob(f"result-{self.pid}-*"):
                leftover.unlink(missing_ok=True)


class ProcessWorkers:
    """Workers forked from one zygote. `data`: the loaded in-memory store (shared copy-on-write),
    or the folder of an on-disk store that each worker opens read-only after it is forked.
    `known`: the dataset's graph names. Results over `jobs.SPOOL_OVER` bytes are written into
    `spool_dir` and streamed from there (see jobs.py)."""

    def __init__(self, data, known: set[str], memory_limit: int, spool_dir: Path | None = None):
        self.data, self.known, self.memory_limit = data, known, memory_limit
        self.spool_dir = str(spool_dir) if spool_dir else None
        self.fork_lock = threading.Lock()
        self.zygote_pid: int | None = None
        self.ctl = None

    def start(self) -> None:
        self.zygote_pid, self.ctl = zygote.start_zygote(self.data, self.known, self.memory_limit,
                                                        self.spool_dir)

    @property
    def running(self) -> bool:
        return self.ctl is not None

    def spawn(self) -> ProcessWorker:
        with self.fork_lock:
            if self.ctl is None:
                raise errors.WorkerUnavailable("the query worker factory is closed")
            pid, conn = zygote.fork_worker(self.ctl)
        reply = conn.recv() if conn.poll(60) else None
        if reply and reply[0] in ("sandbox", "store"):
            conn.close()
            cls = errors.SandboxUnavailable if reply[0] == "sandbox" else errors.DataNotFound
            raise cls(reply[1])
        if not reply or reply[0] != "ready":
            raise errors.WorkerUnavailable("a query worker did not start")
        return ProcessWorker(pid, conn, self.spool_dir)

    async def screen(self, job: Job) -> None:
        """Nothing up front: each worker checks its job (engine.run) inside its sandbox."""

    def close(self) -> None:
        if self.ctl is not None:
            self.ctl.close()
            self.ctl = None
        if self.zygote_pid:
            try:
                os.kill(self.zygote_pid, signal.SIGKILL)
                os.waitpid(self.zygote_pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.zygote_pid = None

    def describe(self) -> dict:
        return {"kind": "processes", "store": "on disk" if isinstance(self.data, str) else "in memory"}
