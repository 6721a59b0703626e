"""The server's side of the query workers: a worker is anything the pool can hand a job to, stop
and replace. Here the local kind, processes forked by the zygote (zygote.py); `remote.py` has
the kind that sends each job to a SPARQL store elsewhere. The pool (pool.py) schedules.

A worker source has `start()` (before any thread starts), `spawn()` (blocking: a fresh worker),
`async screen(job)` (refuse a job up front, before it waits for a worker) and `close()`.
A worker has `pid` (None when it is not a process), `client`, `started`, `preempted`, `extra`
(one of the pool's extra workers, extras.py; a worker without it is not),
`async exchange(job, deadline)` -> the reply tuple ("ok", Answer, cost) or
("error", wire, cost) or ("died", cause) (cause: "lost" when it was killed from outside,
"limit" when the query itself broke a limit of its worker), or None at the deadline, or for a streamed job whose
result is large ("stream", path, form, media type, size), after which `async follow(deadline)`
gives the next messages until the reply; `stop()` (preemption: the exchange then ends with
("died", …)), `kill()` (for good) and `usable()` (an idle worker that can take a job: not dead,
not stopped).
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path

from termgraph import errors
from termgraph.executor import frames, zygote
from termgraph.executor.jobs import Job


class ProcessWorker:
    """One forked worker process and the server's end of its pipe."""

    def __init__(self, pid: int, conn, spool_dir: str | None = None, source: "ProcessWorkers | None" = None):
        self.pid, self.conn, self.spool_dir, self.source = pid, conn, spool_dir, source
        self.sock: socket.socket | None = None  # the same pipe, for the event loop (frames.py)
        self.inbox: frames.Inbox | None = None
        self.client: str | None = None
        self.started: float | None = None
        self.preempted = False
        self.extra = False  # one of the pool's extra workers (extras.py)
        self.retiring = False  # replaced while busy: stopped when its query ends (renewal.py)
        self.stat_fd = open_stat(pid)  # read at each hand-out (`usable`, watch.cpu_seconds)

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
            return ("died", await self.cause())

    async def follow(self, deadline: float) -> tuple | None:
        """The worker's next message about a job it is still answering (a streamed one: jobs.py),
        as `exchange` gives its first: None at the deadline, ("died",) if it has gone."""
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                return await self.inbox.receive()
        except asyncio.TimeoutError:
            return None
        except (OSError, EOFError):
            return ("died", await self.cause())

    async def cause(self) -> str:
        """Why the process ended: "limit" when it ended on its own (the memory or CPU limit made
        the engine abort, or a stack overflow), "lost" when it was killed from outside (SIGKILL,
        SIGTERM…) or its end was not reported in time."""
        status = await self.source.exit_status(self.pid) if self.source is not None else None
        if status is None or self.preempted:
            return "lost"
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in KILLED_FROM_OUTSIDE:
            return "lost"
        return "limit"

    def stat(self) -> list[bytes] | None:
        """The fields of the process's /proc/PID/stat after its name (state, ..., utime, stime at
        11 and 12), or None when it has gone: one read of the file held open since the fork, not
        a lookup of the path each time (12 µs against 3 at every hand-out, docs/performance.md)."""
        if self.stat_fd is None:
            return None
        try:
            return os.pread(self.stat_fd, STAT_BYTES, 0).rsplit(b")", 1)[1].split()
        except (OSError, IndexError):  # ESRCH once the process has been reaped
            return None

    def usable(self) -> bool:
        """An idle worker that can take a job: its process is there and not stopped, and its
        pipe holds nothing (an idle worker sends nothing; a dead one's pipe reads as ended)."""
        fields = self.stat()
        if not fields or fields[0] in (b"T", b"t", b"Z", b"X", b"x"):
            return False
        try:
            return not select.select([self.conn.fileno()], [], [], 0)[0]
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """Stop it for good, and remove any result it was writing (a delivered result's file is
        unlinked when the server opens it, so only an unfinished one is left under its pid)."""
        self.stop()
        if self.inbox is not None:
            self.inbox.close()
        self.conn.close()
        if self.sock is not None:
            self.sock.close()
        if self.stat_fd is not None:
            os.close(self.stat_fd)
            self.stat_fd = None
        if self.spool_dir:
            for leftover in Path(self.spool_dir).glob(f"result-{self.pid}-*"):
                leftover.unlink(missing_ok=True)


def open_stat(pid: int) -> int | None:
    """A descriptor of /proc/PID/stat (it reads the same process for as long as it is open: never
    another that is given the number later), or None if the process has gone already."""
    try:
        return os.open(f"/proc/{pid}/stat", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


STAT_BYTES = 1024  # /proc/PID/stat is about 300 bytes (its name field holds at most 15)
KILLED_FROM_OUTSIDE = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}
EXIT_WAIT = 0.5  # seconds the server waits for the zygote's word on how a worker ended


class ProcessWorkers:
    """Workers forked from one zygote. `data`: the loaded in-memory store (shared copy-on-write),
    or the folder of an on-disk store that each worker opens read-only after it is forked.
    `known`: the dataset's graph names. Results over `jobs.SPOOL_OVER` bytes are written into
    `spool_dir` and streamed from there (see jobs.py)."""

    def __init__(self, data, known: set[str], memory_limit: int, spool_dir: Path | None = None,
                 cpu_limit: float = 0):
        self.data, self.known, self.memory_limit, self.cpu_limit = data, known, memory_limit, cpu_limit
        self.spool_dir = str(spool_dir) if spool_dir else None
        self.fork_lock = threading.Lock()
        self.zygote_pid: int | None = None
        self.ctl = self.exits = None
        self.ended: dict[int, int] = {}  # pid -> wait status, as the zygote reported them
        self.restarts = 0

    def start(self) -> None:
        self.zygote_pid, self.ctl, self.exits = zygote.start_zygote(
            self.data, self.known, self.memory_limit, self.spool_dir, self.cpu_limit)

    def zygote_alive(self) -> bool:
        """The zygote (the server's child) is there; a dead one is collected."""
        if not self.zygote_pid:
            return False
        try:
            return os.waitpid(self.zygote_pid, os.WNOHANG)[0] == 0
        except ChildProcessError:
            return False

    def restart_zygote(self) -> None:
        """Fork a new zygote from the server's copy of the data (blocking; the fork lock held)."""
        for sock in (self.ctl, self.exits):
            if sock is not None:
                sock.close()
        self.kill_zygote()
        self.restarts += 1
        print("termgraph: the query worker factory (zygote) had gone; starting a new one",
              file=sys.stderr, flush=True)
        self.start()

    def read_exits(self) -> None:
        while self.exits is not None:
            try:
                pid, status = zygote.EXIT_NOTICE.unpack(self.exits.recv(zygote.EXIT_NOTICE.size))
            except (BlockingIOError, InterruptedError, OSError, struct.error):
                return
            self.ended[pid] = status
            if len(self.ended) > 1024:
                self.ended.pop(next(iter(self.ended)))

    async def exit_status(self, pid: int) -> int | None:
        """How worker `pid` ended (its wait status), once the zygote has reported it."""
        deadline = time.monotonic() + EXIT_WAIT
        while True:
            self.read_exits()
            if pid in self.ended:
                return self.ended.pop(pid)
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.01)

    @property
    def running(self) -> bool:
        return self.ctl is not None

    def spawn(self) -> ProcessWorker:
        with self.fork_lock:
            if self.ctl is None:
                raise errors.WorkerUnavailable("the query worker factory is closed")
            if not self.zygote_alive():
                self.restart_zygote()
            try:
                pid, conn = zygote.fork_worker(self.ctl)
            except (OSError, errors.WorkerUnavailable):  # it died since: once more, with a new one
                self.restart_zygote()
                pid, conn = zygote.fork_worker(self.ctl)
        reply = conn.recv() if conn.poll(60) else None
        if reply and reply[0] in ("sandbox", "store"):
            conn.close()
            cls = errors.SandboxUnavailable if reply[0] == "sandbox" else errors.DataNotFound
            raise cls(reply[1])
        if not reply or reply[0] != "ready":
            raise errors.WorkerUnavailable("a query worker did not start")
        return ProcessWorker(pid, conn, self.spool_dir, self)

    async def screen(self, job: Job) -> None:
        """Nothing up front: each worker checks its job (engine.run) inside its sandbox."""

    def close(self) -> None:
        if self.exits is not None:
            self.exits.close()
            self.exits = None
        if self.ctl is not None:
            self.ctl.close()
            self.ctl = None
        self.kill_zygote()
        self.zygote_pid = None

    def kill_zygote(self) -> None:
        if self.zygote_pid:
            try:
                os.kill(self.zygote_pid, signal.SIGKILL)
                os.waitpid(self.zygote_pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass

    def describe(self) -> dict:
        described = {"kind": "processes", "store": "on disk" if isinstance(self.data, str) else "in memory",
                     "zygote": "running" if self.zygote_alive() else "gone", "zygote_restarts": self.restarts}
        if self.spool_dir is not None:
            described["work_folder"] = "present" if os.path.isdir(self.spool_dir) else "missing"
        return described

    def healthy(self) -> bool:
        """What describe() reports is as it should be (for /health's status)."""
        return self.zygote_alive() and (self.spool_dir is None or os.path.isdir(self.spool_dir))

    def repair(self) -> None:
        """Make a missing work folder again, and start a new zygote if it has gone (blocking)."""
        if self.spool_dir is not None:
            os.makedirs(self.spool_dir, mode=0o700, exist_ok=True)
        with self.fork_lock:
            if self.ctl is not None and not self.zygote_alive():
                self.restart_zygote()
