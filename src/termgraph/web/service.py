"""What a running service holds: settings, the read-only store, graph sizes, the query pool."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.build import load as loader

from termgraph.build import validate
from termgraph.sparql.pool import QueryPool
from termgraph.sparql.ratelimit import QueryTimeBudget
from termgraph.settings import Settings


@dataclass
class ServiceState:
    settings: Settings
    store: ox.Store  # the dataset, for pages and graph downloads (queries go to the pool)
    sizes: dict[str, int]
    pool: QueryPool
    workdir: Path
    downloads: dict[str, Path] = field(default_factory=dict)
    budget: QueryTimeBudget | None = None
    cache: dict = field(default_factory=dict)  # derived views of the (immutable) dataset

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def build_state(settings: Settings, progress: Callable[[str], None] | None = None,
                prepare: Callable[[ox.Store], None] | None = None) -> ServiceState:
    """Validate (SHACL gate), load, start the query workers (each loads an N-Quads dump).

    Raises ValidationFailed or DataSyntaxError before anything is served; on any failure the
    work folder is removed. `prepare` may add graphs to the store before it is frozen (tests).
    """
    workdir = Path(tempfile.mkdtemp(prefix="termgraph-"))
    try:
        if progress:
            progress("validating termgraph's data against the shapes")
        validate.gate(settings.root)
        data = loader.load(settings, progress=progress)
        if prepare:
            prepare(data.store)
        sizes = data.graph_sizes()
        dump = workdir / "dataset.nq"
        data.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        pool = QueryPool(dump, settings.workers, settings.query_timeout)
        if progress:
            progress(f"starting {settings.workers} query worker(s)")
        pool.start()
        budget = QueryTimeBudget(settings.rate_limit_seconds, settings.rate_limit_window)
        return ServiceState(settings, data.store, sizes, pool, workdir, budget=budget)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
