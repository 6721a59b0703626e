"""A per-client budget of query time, in the style of Wikidata's query service: each client may
use `budget` seconds of query time in any `window` seconds; past that, 429 with Retry-After.
Off when the budget is 0 (the default)."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from typing import Callable

from termgraph.errors import TooManyRequests


class QueryTimeBudget:
    def __init__(self, budget: float, window: float, clock: Callable[[], float] = time.monotonic):
        self.budget, self.window, self.clock = budget, window, clock
        self.spent: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.budget > 0

    def used(self, client: str, now: float) -> float:
        entries = self.spent[client]
        while entries and entries[0][0] <= now - self.window:
            entries.popleft()
        return sum(cost for _, cost in entries)

    def check(self, client: str) -> None:
        """Raise TooManyRequests (with retry_after) if the client has used up its budget."""
        if not self.enabled:
            return
        with self.lock:
            now = self.clock()
            used = self.used(client, now)
            if used < self.budget:
                return
            entries, excess, wait = self.spent[client], used - self.budget, 0.0
            for stamp, cost in entries:  # the oldest costs expire first
                wait = stamp + self.window - now
                excess -= cost
                if excess < 0:
                    break
        raise TooManyRequests(f"this client used its {self.budget:g} s of query time for the last "
                              f"{self.window:g} s; retry in {math.ceil(wait)} s", retry_after=max(1, math.ceil(wait)))

    def charge(self, client: str, seconds: float) -> None:
        if self.enabled:
            with self.lock:
                self.spent[client].append((self.clock(), seconds))
