"""Who gets the next free query worker: per-client accounting of execution time (the CPU time
a query cost its worker, or the time it ran when stopped; never time spent waiting), a cap on each client's queries at once, an optional budget (429), and the
order of the wait queue (the client that used least recently goes first).

In the style of Wikidata's query service: a client is its address as the server sees it
(X-Forwarded-For is believed only from configured proxies, see web/server.py).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Callable

from termgraph.errors import TooManyRequests


@dataclass(frozen=True)
class FairnessSettings:
    per_client: int = 4  # queries running or waiting at once, per client
    budget: float = 0.0  # seconds of execution time per window; 0 = no budget
    window: float = 60.0
    preempt: bool = True  # a waiting client may stop a much heavier client's running query ...
    ratio: float = 4.0  # ... if that client used more than `ratio` times its execution time
    margin: float = 0.5  # ... plus this many seconds,
    min_run: float = 0.1  # ... and the query has run at least this long


class ClientLedger:
    def __init__(self, settings: FairnessSettings, clock: Callable[[], float] = time.monotonic):
        self.settings, self.clock = settings, clock
        self.spent: dict[str, deque] = defaultdict(deque)  # (end time, seconds) per client
        self.active: dict[str, int] = defaultdict(int)  # queries running or waiting
        self.running: dict[str, list[float]] = defaultdict(list)  # start times of running queries

    def used(self, client: str) -> float:
        """Execution seconds in the window, the queries running now included."""
        now, entries = self.clock(), self.spent[client]
        while entries and entries[0][0] <= now - self.settings.window:
            entries.popleft()
        return sum(c for _, c in entries) + sum(now - t for t in self.running[client])

    def admit(self, client: str) -> None:
        """Count a new query in, or raise TooManyRequests (with Retry-After)."""
        s = self.settings
        if self.active[client] >= s.per_client:
            raise TooManyRequests(f"this client already has {s.per_client} queries running or waiting; "
                                  "wait for one to finish").with_retry_after(1)
        if s.budget > 0 and self.used(client) >= s.budget:
            raise TooManyRequests(f"this client used its {s.budget:g} s of query time for the last "
                                  f"{s.window:g} s").with_retry_after(self.wait_for_budget(client))
        self.active[client] += 1

    def wait_for_budget(self, client: str) -> float:
        excess, now = self.used(client) - self.settings.budget, self.clock()
        for stamp, cost in self.spent[client]:  # the oldest costs expire first
            excess -= cost
            if excess < 0:
                return stamp + self.settings.window - now
        return self.settings.window

    def started(self, client: str) -> float:
        t = self.clock()
        self.running[client].append(t)
        return t

    def finished(self, client: str, started: float | None, cpu: float | None = None) -> None:
        """Charge the query's cost and count it out: the CPU time its worker reported, or the
        time it ran when it was stopped; nothing if it never ran (waiting is never charged)."""
        if started is not None:
            self.running[client].remove(started)
            self.spent[client].append((self.clock(), self.clock() - started if cpu is None else cpu))
        self.active[client] -= 1
        if not self.active[client]:
            del self.active[client]

    def should_preempt(self, waiting: str, runner: str, ran: float) -> bool:
        """A client waits while a much heavier client's query has run a while: stop that one.
        Between clients of similar use there is no preemption, only the queue's order."""
        s = self.settings
        return (s.preempt and ran >= s.min_run
                and self.used(runner) >= s.ratio * self.used(waiting) + s.margin)
