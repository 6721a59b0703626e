"""Who gets the next free query worker: per-client accounting of execution time (the CPU time
a query cost its worker, or the time it ran when stopped; never time spent waiting), a cap on
each client's queries at once, an optional budget (429), the order of the wait queue (the
client that used least recently goes first), and what a waiting client may do when no worker is
free (`relief`): have an extra worker if it is a light client (`light`), else stop a running
query the rule allows (`should_preempt`), which never throws away work for nothing, else wait.

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
    ratio: float = 4.0  # ... if that client's past queries used more than `ratio` times its time
    margin: float = 0.5  # ... plus this many seconds,
    min_run: float = 0.1  # ... the query has run at least this long,
    share: float = 2.0  # ... and it is not expected to end within this many seconds (the wait a
    # waiting client is owed no matter what: a query that will end sooner is left to end)
    extra: int = 1  # workers the pool may fork beyond its own, for light clients only
    light: float = 0.5  # a light client: each of its queries in the window ended by itself within this many seconds


class ClientLedger:
    def __init__(self, settings: FairnessSettings, clock: Callable[[], float] = time.monotonic):
        self.settings, self.clock = settings, clock
        self.spent: dict[str, deque] = defaultdict(deque)  # (end time, seconds, ended by itself) per client
        self.active: dict[str, int] = defaultdict(int)  # queries running or waiting
        self.running: dict[str, list[float]] = defaultdict(list)  # start times of running queries

    def used(self, client: str) -> float:
        """Execution seconds in the window, the queries running now included."""
        return self.past(client) + sum(self.clock() - t for t in self.running.get(client, ()))

    def recent(self, client: str) -> deque:
        """The client's charges in the window: (end time, seconds, whether the query ended by itself)."""
        now, entries = self.clock(), self.spent[client]
        while entries and entries[0][0] <= now - self.settings.window:
            entries.popleft()
        if not entries and client in self.spent:
            del self.spent[client]  # (an address seen once is not kept for ever)
        return entries

    def past(self, client: str) -> float:
        """Execution seconds of the client's queries that have ended, in the window."""
        return sum(entry[1] for entry in self.recent(client))

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
        for stamp, cost, *_ in self.spent[client]:  # the oldest costs expire first
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
            if not self.running[client]:
                del self.running[client]
            self.spent[client].append((self.clock(), self.clock() - started if cpu is None else cpu, cpu is not None))
        self.active[client] -= 1
        if not self.active[client]:
            del self.active[client]

    def charge(self, client: str, seconds: float) -> None:
        """Charge work done for the client outside a query (an HTML page built from its answer)."""
        self.spent[client].append((self.clock(), seconds, True))

    def expected_left(self, client: str, ran: float) -> float:
        """How much longer a query of this client that has run `ran` seconds is expected to run:
        without end if one of its queries in the window was stopped (at the time limit, or
        preempted); else what its longest ended query took, less `ran`, but at least `ran` (a
        query that has run that long may well run as long again; a first query too)."""
        entries = self.recent(client)
        if any(not ended for _, _, ended in entries):
            return float("inf")
        longest = max((cost for _, cost, _ in entries), default=0.0)
        return max(longest - ran, ran)

    def light(self, client: str) -> bool:
        """A client whose queries are known to be short: it had queries in the window, and each
        ended by itself within `light` seconds. A newcomer is not light (its first query may be
        anyone's), nor is a client with a query stopped in the window (at the limit, or preempted)."""
        entries = self.recent(client)
        return bool(entries) and all(ended and cost <= self.settings.light for _, cost, ended in entries)

    def should_preempt(self, waiting: str, runner: str, ran: float) -> bool:
        """Stop a running query for a waiting client only when (1) the runner's client is over
        its share: it used (its running queries included) `ratio` times what the waiting client
        uses, plus `margin`; (2) the two are not equal newcomers (neither has a query that ended
        in the window: each is on its first, perhaps its last, query); (3) the query has had its
        minimum run; and (4) it is not expected to end within the waiting client's share of
        waiting (`share` seconds; `expected_left`): work about to end is never thrown away.
        Otherwise only the queue's order."""
        s = self.settings
        return (s.preempt and ran >= s.min_run
                and self.used(runner) >= s.ratio * self.used(waiting) + s.margin
                and bool(self.recent(runner) or self.recent(waiting))
                and self.expected_left(runner, ran) > s.share)

    def relief(self, waiting: str, running: list[tuple[str, float, float]], extra: bool) -> str | int | None:
        """What a client waiting for a worker may do when none is free; `running`: (client, run,
        age) of each running query, `extra`: whether the pool may fork an extra worker now (fewer
        than `extra` of them). A light client has an extra worker ("extra"): no one's work is
        thrown away for it. Otherwise, of the queries the rule lets it stop (`should_preempt`),
        it stops the longest-running one of the client that used most (its index in `running`).
        Else None: it waits its turn (the queue's order)."""
        if extra and self.settings.extra > 0 and self.light(waiting):
            return "extra"
        stoppable = [i for i, (client, ran, _) in enumerate(running) if self.should_preempt(waiting, client, ran)]
        if not stoppable:
            return None
        return max(stoppable, key=lambda i: (self.used(running[i][0]), running[i][2]))
