"""Keep query workers off the network: a seccomp filter, applied in each worker process before
it loads any data, that refuses every socket except Unix-domain ones (the pipe to the server).

SPARQL's SERVICE makes the engine open HTTP connections. The up-front check (guard) refuses
SERVICE in the query text, but the guarantee does not rest on it: once the filter is loaded, the
kernel refuses any attempt of the process (and of every thread and child it may start) to create
an Internet, netlink or packet socket, whatever the query says. The refused call traps (SIGSYS,
counted here, never fatal), so that the worker knows its query asked for the network even when
the query's SERVICE SILENT would turn the failure into an empty answer: the query is then
refused (400), never answered as if nothing had happened (`refusals`). io_uring, which could
create sockets outside the filter's view, is refused too. The filter cannot be removed.

A trapped call is not executed, and the kernel leaves the process its registers as they were
(`syscall_rollback`): the value the calling code takes for the call's result is, on x86_64, the
call's own number — socket() "returns" 41. Were file descriptor 41 something of the process's (its
pipe to the server, a store file), the engine would take it for its new socket, fail to connect it
and close it. So that number is kept occupied by /dev/null and can never be closed or replaced
(`reserve`; the filter refuses close, dup2 and dup3 on it, and a close_range over it): the engine
finds no socket there and closes nothing. Where the kernel's rolled-back result is not known (any
other architecture), the filter refuses with an error instead of trapping, and a SERVICE SILENT
the up-front check missed would give an empty answer (still without any connection).

libseccomp does the work, through pyseccomp (a ctypes binding with the API of libseccomp's own
Python bindings). If the filter cannot be applied (no libseccomp, a kernel without seccomp), the
worker fails at start-up with `SandboxUnavailable`, and the service does not start.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import socket

from termgraph.errors import SandboxUnavailable

# Socket families a worker may create: only AF_UNIX (multiprocessing's pipes are socketpairs).
ALLOWED_FAMILIES = (socket.AF_UNIX,)
REFUSED_SYSCALLS = ("io_uring_setup", "io_uring_enter", "io_uring_register")
refused = [0]  # socket calls the filter refused in this process (the SIGSYS handler counts them)
# What a trapped socket() seems to return, by architecture (the call's number, left in the register
# that holds a call's result), and that number for the check's own raw call.
TRAPPED_RESULT = {"x86_64": 41}
SYS_SOCKET = {"x86_64": 41}


def reserved_fd() -> int | None:
    """The descriptor a trapped socket() seems to return here; None where it is not known."""
    return TRAPPED_RESULT.get(platform.machine())


def off_reserved(fd: int) -> int:
    """A descriptor to keep (a pipe to the server) moved off the reserved number, if it is on it."""
    reserved = reserved_fd()
    if fd != reserved:
        return fd
    moved = os.dup(fd)  # (the lowest free number: never the reserved one, which `fd` holds)
    os.close(fd)
    return moved


def is_null(fd: int) -> bool:
    try:
        here, null = os.fstat(fd), os.stat(os.devnull)
    except OSError:
        return False
    return (here.st_dev, here.st_ino, here.st_rdev) == (null.st_dev, null.st_ino, null.st_rdev)


def reserve() -> None:
    """Occupy the reserved number with /dev/null (whatever the process inherited there is let go:
    keep what you need off it first, `off_reserved`)."""
    reserved = reserved_fd()
    if reserved is None or is_null(reserved):  # (a worker inherits the zygote's, filter and all)
        return
    null = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.dup2(null, reserved)
    finally:
        os.close(null)


def count_refusal(signum, frame) -> None:
    refused[0] += 1


def refusals() -> int:
    """Socket calls refused since the last call (a Python function call: the signal handlers
    of traps that happened in the engine's threads have run by the time it reads the count)."""
    count, refused[0] = refused[0], 0
    return count


def _filter():
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as exc:
        raise SandboxUnavailable(f"libseccomp cannot be loaded ({exc}); install libseccomp2 "
                                 "(Debian: apt-get install libseccomp2)") from None
    reserved = reserved_fd()
    # A trap where its rolled-back result is known and kept harmless (`reserve`); else an error.
    refuse = seccomp.TRAP if reserved is not None else seccomp.ERRNO(errno.EACCES)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    not_allowed = [seccomp.Arg(0, seccomp.NE, fam) for fam in ALLOWED_FAMILIES]
    # One rule, all conditions ANDed: the family is none of the allowed ones. (socketpair makes
    # Unix sockets only, and its trapped result would not be its two descriptors: an error.)
    rules.add_rule(refuse, "socket", *not_allowed)
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socketpair", *not_allowed)
    for call in REFUSED_SYSCALLS:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
    if reserved is not None:  # the reserved descriptor stays /dev/null for good
        rules.add_rule(seccomp.ERRNO(errno.EBADF), "close", seccomp.Arg(0, seccomp.EQ, reserved))
        for call in ("dup2", "dup3"):
            rules.add_rule(seccomp.ERRNO(errno.EBUSY), call, seccomp.Arg(1, seccomp.EQ, reserved))
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "close_range", seccomp.Arg(0, seccomp.LE, reserved),
                       seccomp.Arg(1, seccomp.GE, reserved))  # (callers fall back to close())
    return rules


def confine() -> None:
    """Load the filter into this process (irreversibly), then check that it holds. Keep what you
    need off the reserved descriptor first (`off_reserved`)."""
    signal.signal(signal.SIGSYS, count_refusal)  # first: a trapped call must never end the process
    reserve()
    try:
        _filter().load()
    except SandboxUnavailable:
        raise
    except Exception as exc:  # libseccomp's own errors: a kernel without seccomp, a refused prctl
        raise SandboxUnavailable(f"the seccomp filter could not be applied: {exc}") from None
    check()


def check() -> None:
    """Fail closed: an Internet socket must now be refused. Asked with the raw call, so that a
    trapped call's seeming result (the reserved descriptor) is never taken for a socket."""
    number = SYS_SOCKET.get(platform.machine())
    for family in (socket.AF_INET, socket.AF_INET6):
        if number is None:  # (no trap here: socket.socket fails with the filter's error)
            try:
                socket.socket(family, socket.SOCK_STREAM).close()
            except OSError:
                continue
            raise SandboxUnavailable("the seccomp filter was loaded but Internet sockets still open")
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        fd = libc.syscall(ctypes.c_long(number), ctypes.c_long(family), ctypes.c_long(socket.SOCK_STREAM),
                          ctypes.c_long(0))
        if fd >= 0 and fd != reserved_fd():
            os.close(fd)
            raise SandboxUnavailable("the seccomp filter was loaded but Internet sockets still open")
    refusals()  # (the check's own)
