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

libseccomp does the work, through pyseccomp (a ctypes binding with the API of libseccomp's own
Python bindings). If the filter cannot be applied (no libseccomp, a kernel without seccomp), the
worker fails at start-up with `SandboxUnavailable`, and the service does not start.
"""

from __future__ import annotations

import errno
import signal
import socket

from termgraph.errors import SandboxUnavailable

# Socket families a worker may create: only AF_UNIX (multiprocessing's pipes are socketpairs).
ALLOWED_FAMILIES = (socket.AF_UNIX,)
REFUSED_SYSCALLS = ("io_uring_setup", "io_uring_enter", "io_uring_register")
refused = [0]  # socket calls the filter refused in this process (the SIGSYS handler counts them)


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
    refuse = seccomp.TRAP  # (the call fails; SIGSYS tells the process, see count_refusal)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for call in ("socket", "socketpair"):
        # One rule, all conditions ANDed: the family is none of the allowed ones.
        rules.add_rule(refuse, call, *[seccomp.Arg(0, seccomp.NE, fam) for fam in ALLOWED_FAMILIES])
    for call in REFUSED_SYSCALLS:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
    return rules


def confine() -> None:
    """Load the filter into this process (irreversibly), then check that it holds."""
    signal.signal(signal.SIGSYS, count_refusal)  # first: a trapped call must never end the process
    try:
        _filter().load()
    except SandboxUnavailable:
        raise
    except Exception as exc:  # libseccomp's own errors: a kernel without seccomp, a refused prctl
        raise SandboxUnavailable(f"the seccomp filter could not be applied: {exc}") from None
    check()


def check() -> None:
    """Fail closed: an Internet socket must now be refused."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
        except OSError:
            continue
        raise SandboxUnavailable("the seccomp filter was loaded but Internet sockets still open")
    refusals()  # (the check's own)
