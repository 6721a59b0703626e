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


PR_SET_PDEATHSIG = 1
EXIT_NOTICE = struct.Struct("ii")  # (pid, wait status) of a worker that ended, zygote -> server


# The zygote and its workers run at a lower priority than the server, so that when queries keep
# every core busy the server's event loop (every other client's requests, /health, the scheduling)
# still gets the processor at once; an idle machine runs the queries at full speed all the same.
NICENESS = 5


def start_zygote(data, known: set[str], memory_limit: int, spool_dir: str | None = None,
                 cpu_limit: float = 0) -> tuple[int, socket.socket, socket.socket]:
    """Fork the zygote; return (its pid, the server's end of the control socket, the server's
    end of the socket on which the zygote reports how each worker ended). `data`: the loaded
    store, or the folder of an on-disk store (each worker opens it read-only). `cpu_limit`: the
    CPU seconds one query may use in a worker (its backstop; 0: none)."""
    settle_memory()
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    exits_parent, exits_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    server = os.getpid()
    pid = os.fork()
    if pid == 0:  # the zygote
        parent.close()
        exits_parent.close()
        code = 0
        try:
            die_with(server)
            zygote_loop(child, exits_child, data, known, memory_limit, spool_dir, cpu_limit)
        except BaseException:  # noqa: BLE001 - never return into the server's code
            code = 1
        os._exit(code)
    child.close()
    exits_child.close()
    exits_parent.setblocking(False)
    return pid, parent, exits_parent


def die_with(parent: int) -> None:
    """Be killed (SIGKILL) when the parent process ends, however it ends (prctl's parent-death
    signal); if it has ended already, between the fork and here, end now."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux/glibc: the CPU limit is the only backstop
        pass
    if os.getppid() != parent:
        os._exit(0)


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


def zygote_loop(ctl: socket.socket, exits: socket.socket, data, known: set[str], memory_limit: int,
                spool_dir: str | None, cpu_limit: float = 0) -> None:
    """Fork a worker for each byte received; send back (pid, fd). Ends when the server goes.
    The zygote confines itself as its workers do (it never needs a network socket); when the
    filter cannot be applied, each worker says so at its start and the service does not start."""
    from termgraph.executor.sandbox import confine, off_reserved

    # kept off the descriptor a refused socket call seems to return (sandbox.py: reserve)
    ctl, exits = (socket.socket(fileno=off_reserved(s.detach())) for s in (ctl, exits))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, lambda *_: reap(exits))
    try:
        confine()
    except errors.SandboxUnavailable:
        pass
    os.nice(NICENESS)  # (inherited by every worker)
    zygote = os.getpid()
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
            exits.close()
            die_with(zygote)  # and so with the server: the zygote dies with it
            os._exit(worker_main(theirs, data, known, memory_limit, spool_dir, cpu_limit))
        theirs.close()
        socket.send_fds(ctl, [struct.pack("i", pid)], [ours.fileno()])
        ours.close()


def reap(exits: socket.socket | None = None) -> None:
    """Collect ended workers; tell the server how each ended (a notice it has no room for is
    dropped: the server then calls the worker lost)."""
    try:
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid <= 0:
                return
            if exits is not None:
                try:
                    exits.send(EXIT_NOTICE.pack(pid, status), socket.MSG_DONTWAIT)
                except OSError:
                    pass
    except ChildProcessError:
        pass


def bound_cpu(seconds: float) -> None:
    """The backstop for one query: the worker's CPU time may grow by `seconds` (plus a margin)
    before the kernel ends it (SIGXCPU), even if no server is left to stop it."""
    if seconds <= 0:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 5
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


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


def worker_main(sock: socket.socket, data, known: set[str], memory_limit: int, spool_dir: str | None,
                cpu_limit: float = 0) -> int:
    """Serve jobs until the server closes the socket. Returns an exit code."""
    from termgraph.executor.sandbox import confine, off_reserved

    import faulthandler

    faulthandler.disable()  # a query stopped by the memory limit aborts: no traceback dump
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    conn = Connection(off_reserved(sock.detach()))  # (sandbox.py: reserve)
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
    return serve_jobs(conn, store, known, spool_dir, cpu_limit)


def serve_jobs(conn: Connection, store, known: set[str], spool_dir: str | None = None, cpu_limit: float = 0) -> int:
    from termgraph.sparql import guard
    from termgraph.executor import sandbox
    from termgraph.executor.jobs import execute

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        cpu = time.process_time()
        bound_cpu(cpu_limit)
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
        if sandbox.refusals():  # the engine asked for the network (SERVICE SILENT would hide it)
            reply = ("error", errors.to_wire(errors.ForbiddenQuery(guard.SERVICE_REFUSED)))
        conn.send(reply + (time.process_time() - cpu,))  # the CPU time it cost, for fairness


def fork_worker(ctl: socket.socket) -> tuple[int, Connection]:
    """Ask the zygote for a worker (blocking: call from a thread); return (pid, connection)."""
    ctl.sendall(b"F")
    msg, fds, _, _ = socket.recv_fds(ctl, 4, 1)
    if len(msg) != 4 or len(fds) != 1:
        raise errors.WorkerUnavailable("the query worker factory is gone")
    return struct.unpack("i", msg)[0], Connection(fds[0])
