"""What a running service holds: settings, the read-only store, graph sizes, the query pool."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.build import load as loader

from termgraph.build import validate
from termgraph.sparql.fairness import FairnessSettings
from termgraph.sparql.pool import PoolSettings, QueryPool
from termgraph.settings import Settings


@dataclass
class ServiceState:
    settings: Settings
    store: ox.Store  # the dataset, for pages and graph downloads (queries go to the pool)
    sizes: dict[str, int]
    pool: QueryPool
    workdir: Path
    downloads: dict[str, Path] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # derived views of the (immutable) dataset

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def remove_stale_workdirs() -> None:
    """Remove work folders left by a termgraph process that no longer runs (killed, crashed)."""
    for folder in Path(tempfile.gettempdir()).glob("termgraph-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def pool_settings(settings: Settings) -> PoolSettings:
    fairness = FairnessSettings(per_client=settings.per_client_queries, budget=settings.rate_limit_seconds,
                                window=settings.rate_limit_window)
    return PoolSettings(workers=settings.workers, timeout=settings.query_timeout, max_queue=settings.max_queue,
                        memory_limit=settings.query_memory_mb << 20, fairness=fairness)


def build_state(settings: Settings, progress: Callable[[str], None] | None = None,
                prepare: Callable[[ox.Store], None] | None = None) -> ServiceState:
    """Validate (SHACL gate), load once, then fork the query workers from the loaded data
    (they share its memory). Call before any thread starts (the zygote is forked here).

    Raises ValidationFailed or DataSyntaxError before anything is served; on any failure the
    work folder is removed. `prepare` may add graphs to the store before it is frozen (tests).
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"termgraph-{os.getpid()}-"))
    try:
        if progress:
            progress("validating termgraph's data against the shapes")
        validate.gate(settings.root)
        data = loader.load(settings, progress=progress)
        if prepare:
            prepare(data.store)
        sizes = data.graph_sizes()
        pool = QueryPool(data.store, pool_settings(settings))
        if progress:
            progress(f"starting {settings.workers} query worker(s)")
        pool.start()
        return ServiceState(settings, data.store, sizes, pool, workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
