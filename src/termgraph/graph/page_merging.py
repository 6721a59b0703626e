"""The pages a query worker copies by reading, merged back by the kernel when the host runs KSM.

A read of pyoxigraph's in-memory store writes to the pages it passes (a quad's node is counted up
while it is read, and down after), so a worker forked from the loaded store ends up with its own
copy of every page its queries read: ~90 MB at ~340k quads after one full scan, each worker, and
the server for its pages. Once the read is over those pages hold the same bytes as the zygote's
again. Kernel samepage merging (KSM) finds such pages and shares them again, copy-on-write:
measured, a child's 89 MiB of private pages after a full scan were 1 MiB four seconds later
(docs/performance.md). A process opts in with prctl(PR_SET_MEMORY_MERGE) (Linux 6.4 and later),
which the processes it forks inherit; the host must run KSM (/sys/kernel/mm/ksm/run holding 1: a
setting of the machine, root's to make: docs/deployment.md). Where the host does not run it,
opting in changes nothing.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

PR_SET_MEMORY_MERGE = 67  # <linux/prctl.h>, Linux 6.4
PR_GET_MEMORY_MERGE = 68
KSM_RUN = Path("/sys/kernel/mm/ksm/run")


def _prctl(*args: int) -> int:
    if not sys.platform.startswith("linux"):
        return -1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return -1
    return libc.prctl(*(ctypes.c_ulong(a) for a in args))


def opt_in() -> bool:
    """Make this process's memory, and that of every process it forks from now on, mergeable by
    KSM. False where the kernel cannot (before 6.4, or not Linux): nothing changes then."""
    return _prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0) == 0


def opted_in() -> bool:
    return _prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0) == 1


def host_merges(run: Path = KSM_RUN) -> bool:
    """Does the host run KSM (so that opting in merges anything)?"""
    try:
        return run.read_text().strip() == "1"
    except OSError:
        return False
