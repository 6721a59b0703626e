"""One copy of the data, however many query workers: the zygote process and the worker loop.

`start_zygote(store)` forks a small process from the server *after* the dataset is loaded and
derived, and *before* the server starts any thread. The zygote holds the loaded store (shared
copy-on-write with the server: no dump, no reload) and, on request, forks a query worker from
itself: the worker shares the same memory pages, so N workers cost about one copy of the data,
and a worker killed at the time limit is replaced in milliseconds.

Each worker confines itself first (seccomp: no network socket, see sandbox.py), bounds its own
memory (RLIMIT_AS: the shared data plus `memory_limit` bytes), then answers jobs over a
Unix socketpair whose other end the zygote hands to the server (SCM_RIGHTS).
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import signal
import socket
import struct
import sys
import time
from multiprocessing.connection import Connection

from termgraph import errors


def start_zygote(data, known: set[str], memory_limit: int, spool_dir: str | None = None) -> tuple[int, socket.socket]:
    """Fork the zygote; return (its pid, the server's end of the control socket). `data`: the
    loaded store, or the folder of an on-disk store (each worker opens it read-only)."""
    settle_memory()
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:  # the zygote
        parent.close()
        code = 0
        try:
            zygote_loop(child, data, known, memory_limit, spool_dir)
        except BaseException:  # noqa: BLE001 - never return into the server's code
            code = 1
        os._exit(code)
    child.close()
    return pid, parent


def settle_memory() -> None:
    """Before forking: the loading's garbage collected and its freed heap given back to the
    system (glibc's malloc_trim), and every surviving Python object frozen out of the garbage
    collector's reach, so a worker's collections never write to (and so copy) the shared pages."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
    gc.freeze()


def zygote_loop(ctl: socket.socket, data, known: set[str], memory_limit: int, spool_dir: str | None) -> None:
    """Fork a worker for each byte received; send back (pid, fd). Ends when the server goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, lambda *_: reap())
    while True:
        try:
            if not ctl.recv(1):
                return  # the server closed the control socket: it is gone
        except InterruptedError:
            continue
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            ctl.close()
            ours.close()
            os._exit(worker_main(theirs, data, known, memory_limit, spool_dir))
        theirs.close()
        socket.send_fds(ctl, [struct.pack("i", pid)], [ours.fileno()])
        ours.close()


def reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def bound_memory(memory_limit: int) -> None:
    """Address space: what the process has mapped now (the shared data) plus the limit."""
    if memory_limit <= 0:
        return
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_limit, mapped + memory_limit))


def open_data(data):
    """The worker's store: the shared in-memory one, or the on-disk one opened read-only here,
    after the fork (a RocksDB handle must never cross a fork)."""
    if not isinstance(data, str):
        return data
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(data)
    except OSError as exc:
        raise errors.DataNotFound(f"the on-disk store {data} cannot be opened read-only ({exc})") from None


def worker_main(sock: socket.socket, data, known: set[str], memory_limit: int, spool_dir: str | None) -> int:
    """Serve jobs until the server closes the socket. Returns an exit code."""
    from termgraph.executor.sandbox import confine

    import faulthandler

    faulthandler.disable()  # a query stopped by the memory limit aborts: no traceback dump
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    conn = Connection(sock.detach())
    try:
        confine()  # before anything else: from here on no network socket can be opened
    except errors.SandboxUnavailable as exc:
        conn.send(("sandbox", str(exc)))
        return 3
    try:
        store = open_data(data)
    except errors.DataNotFound as exc:
        conn.send(("store", str(exc)))
        return 2
    bound_memory(memory_limit)
    conn.send(("ready", os.getpid()))
    return serve_jobs(conn, store, known, spool_dir)


def serve_jobs(conn: Connection, store, known: set[str], spool_dir: str | None = None) -> int:
    from termgraph.executor.jobs import execute

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        cpu = time.process_time()
        try:
            reply = ("ok", execute(store, job, known, spool_dir, conn.send))
        except errors.TermgraphError as exc:
            reply = ("error", errors.to_wire(exc))
        except MemoryError:
            reply = ("error", errors.to_wire(errors.QueryTooExpensive(
                "the query needed more memory than a query may use and was stopped; narrow it")))
        except Exception as exc:  # noqa: BLE001 - a bug: an InternalError naming its type, which the
            # app logs and answers with a generic 500 body (web/app.py)
            print(f"termgraph worker: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            reply = ("error", errors.to_wire(exc))
        conn.send(reply + (time.process_time() - cpu,))  # the CPU time it cost, for fairness


def fork_worker(ctl: socket.socket) -> tuple[int, Connection]:
    """Ask the zygote for a worker (blocking: call from a thread); return (pid, connection)."""
    ctl.sendall(b"F")
    msg, fds, _, _ = socket.recv_fds(ctl, 4, 1)
    if len(msg) != 4 or len(fds) != 1:
        raise errors.WorkerUnavailable("the query worker factory is gone")
    return struct.unpack("i", msg)[0], Connection(fds[0])
