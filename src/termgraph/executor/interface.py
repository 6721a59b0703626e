"""The executor's one declared interface: everything outside executor/ imports from here.

A query is read by the sparql layer; the executor only runs it:
- `run(store, text, ...)`: one query on a store in this process (the Python API, `termgraph query`);
- `QueryPool(store, PoolSettings(...), spool_dir=...)` or `QueryPool(None, ..., source=RemoteWorkers(...))`:
  the fair, bounded pool of worker processes (or of slots on a remote SPARQL store) that `serve` uses,
  with `FairnessSettings` for its per-client accounting;
- `Job`: what a route hands the pool; `Answer`: what comes back (bytes, or a spooled file read
  with `read_at`); `run_while_connected(pool, job, client, is_disconnected)`: a job stopped when its client leaves.
"""

from termgraph.executor.engine import run
from termgraph.executor.fairness import FairnessSettings
from termgraph.executor.following import read_at
from termgraph.executor.jobs import Answer, Job
from termgraph.executor.pool import PoolSettings, QueryPool, run_while_connected
from termgraph.executor.remote import RemoteWorkers

__all__ = ["run", "FairnessSettings", "read_at", "Answer", "Job", "PoolSettings", "QueryPool",
           "run_while_connected", "RemoteWorkers"]
