"""How long a running query has worked (its worker's CPU time so far), and whether its client is still there.

The CPU time is what its client is charged and what the fairness rule compares; a client that
goes away has its query cancelled and its worker freed at once."""

from __future__ import annotations

import asyncio
import contextlib
import os

DISCONNECT_POLL = 0.25  # seconds between checks that the client of a running query is still there


def cpu_seconds(worker) -> float | None:
    """The CPU time a process worker has used so far (None for other workers, or if unknown)."""
    stat = getattr(worker, "stat", None)  # (a process worker's /proc/PID/stat, workers.py)
    fields = stat() if stat is not None else None
    try:
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    except (TypeError, IndexError, ValueError):
        return None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def ran(worker, now: float) -> float:
    """How long the worker's query has run: the CPU time it has cost so far (what its client
    is charged, and comparable with its past queries' costs however busy the machine), else
    the time since it started."""
    before, cpu = getattr(worker, "cpu_at_start", None), cpu_seconds(worker)
    if before is not None and cpu is not None:
        return cpu - before
    return now - worker.started


@contextlib.contextmanager
def watching(is_disconnected, poll: float = DISCONNECT_POLL):
    """Inside, the current task is cancelled when `is_disconnected()` turns true: every `poll`
    seconds a check runs beside it (a query that ends sooner costs one timer, no task)."""
    if is_disconnected is None:
        yield
        return
    loop, running = asyncio.get_running_loop(), asyncio.current_task()
    watch: dict = {}

    def check() -> None:
        watch["task"] = loop.create_task(cancel_if_gone())

    async def cancel_if_gone() -> None:
        if await is_disconnected():
            running.cancel()
        else:
            watch["timer"] = loop.call_later(poll, check)

    watch["timer"] = loop.call_later(poll, check)
    try:
        yield
    finally:
        watch["timer"].cancel()
        if "task" in watch and not watch["task"].done():
            watch["task"].cancel()
