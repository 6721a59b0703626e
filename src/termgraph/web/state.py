"""What a running service holds: settings, the read-only store, graph sizes, the query pool."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

import pyoxigraph as ox

from termgraph.graph import load as loader
from termgraph.errors import BadSetting
from termgraph.settings import Settings

if TYPE_CHECKING:  # (the executor is imported when the pool starts: web/server.py loads the cache meanwhile)
    from termgraph.executor.interface import PoolSettings, QueryPool
    from termgraph.web.release_files import ReleaseFiles


@dataclass
class ServiceState:
    settings: Settings
    store: ox.Store  # the dataset, for pages and graph downloads (queries go to the pool)
    sizes: dict[str, int]
    pool: QueryPool
    workdir: Path
    release: Mapping[str, Path] = field(default_factory=dict)  # /download's files by name (web/release_files.py)
    cache: dict = field(default_factory=dict)  # derived views of the (immutable) dataset
    quotes: object = None  # graph.texts.QuoteStatus: were the quotes checked against the texts?

    def close(self) -> None:
        if hasattr(self.release, "stop"):
            self.release.stop()
        self.pool.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def remove_stale_workdirs() -> None:
    """Remove work folders left by a termgraph process that no longer runs (killed, crashed)."""
    for folder in Path(tempfile.gettempdir()).glob("termgraph-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def pool_settings(settings: Settings) -> PoolSettings:
    from termgraph.executor.interface import FairnessSettings, PoolSettings

    fairness = FairnessSettings(per_client=settings.per_client_queries, budget=settings.rate_limit_seconds,
                                window=settings.rate_limit_window, extra=settings.extra_workers)
    return PoolSettings(workers=settings.workers, timeout=settings.query_timeout, max_queue=settings.max_queue,
                        memory_limit=settings.query_memory_mb << 20, fairness=fairness,
                        renew_idle=settings.worker_renew_idle)


def build_state(settings: Settings, progress: Callable[[str], None] | None = None,
                prepare: Callable[[ox.Store], None] | None = None, loading=None) -> ServiceState:
    """Validate (SHACL gate), load once, then start the query workers. Call before any thread
    starts (process workers are forked from the loaded data, sharing its memory).

    Four kinds of data: loaded into memory (the default); an on-disk store written by
    `termgraph build-store` (`settings.store_dir`: each worker opens it read-only); that store's
    snapshot loaded into memory (`settings.store_in_memory`); or a SPARQL store elsewhere
    (`settings.backend`: queries go there, pages read the local copy).
    Raises ValidationFailed or DataSyntaxError before anything is served; on any failure the
    work folder is removed. `prepare` may add graphs to the store before it is frozen (tests).
    `loading`: the start-up cache's entry already being loaded (graph/cache.py: start_loading).
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"termgraph-{os.getpid()}-"))
    spool_dir = workdir / "results"
    spool_dir.mkdir()
    try:
        if settings.store_in_memory and not settings.store_dir:
            raise BadSetting("--in-memory copies a built store into memory: give it with --store DIR")
        if settings.store_dir and not settings.backend and not settings.store_in_memory:
            from termgraph.graph.store import built_quotes

            return with_quote_status(on_disk_state(settings, workdir, spool_dir, progress), progress,
                                     built_quotes(settings.store_dir))
        store, sizes, cached_release, found = local_data(settings, progress, prepare, loading)
        merge_copied_pages(progress)  # (before any fork: the zygote, the workers and the writer inherit it)
        # Before any fork: a read of pyoxigraph's in-memory store writes to the pages it reads,
        # so a read after the workers' fork would copy them into this process (~90 MB at ~340k quads).
        quotes = quote_status(store, settings, progress, found)
        from termgraph.executor.interface import QueryPool

        if settings.backend:
            from termgraph.executor.interface import RemoteWorkers
            from termgraph.sparql.service_description import default_size

            source = RemoteWorkers(settings.backend, {**sizes, "": default_size(store)},
                                   settings.query_timeout, spool_dir)
            pool = QueryPool(None, pool_settings(settings), source=source)
        else:
            pool = QueryPool(store, pool_settings(settings), spool_dir=spool_dir)
        release = write_release(store, workdir, progress, cached_release,  # forked before any thread
                                origin="the built store" if settings.store_dir else "the cache")
        try:
            if progress:
                progress(f"starting {settings.workers} query worker(s)"
                         + (f" on {settings.backend}" if settings.backend else ""))
            pool.start()
        except BaseException:
            release.stop()
            raise
        return ServiceState(settings, store, sizes, pool, workdir, release=release, quotes=quotes)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def merge_copied_pages(progress) -> None:
    """Let the kernel merge back the pages the workers' reads copy (graph/page_merging.py), and
    say so when the host runs KSM."""
    from termgraph.graph import page_merging

    if page_merging.opt_in() and page_merging.host_merges() and progress:
        progress("the pages the workers' reads copy are merged back by the kernel (KSM)")


def write_release(store: ox.Store | None, workdir: Path, progress=None, cached: Path | None = None,
                  background: bool = True, origin: str = "the cache") -> ReleaseFiles:
    """The release files (`termgraph export`'s: /download, and /ontology's HTML), written once per
    start into the work folder, never by a request: by a forked writer while the endpoint answers,
    or linked from the start-up cache or the built store (`cached`, from `origin`). By name
    (web/release_files.py)."""
    from termgraph.web.release_files import write_release as write

    return write(store, workdir, progress, cached, background, origin)


def with_quote_status(state: ServiceState, progress, found: list | None = None) -> ServiceState:
    """The state, its quotes (the store's, or `found`: those build-store kept) checked against the
    sources' texts (quote_status); a quote not in its text stops the service (exit 1)."""
    try:
        state.quotes = quote_status(state.store, state.settings, progress, found)
    except BaseException:
        state.close()
        raise
    return state


def quote_status(store: ox.Store, settings: Settings, progress, found: list | None = None):
    """The quotes (the store's, or `found`: the start-up cache's) checked against the sources'
    texts (graph/texts.py), or a warning line when the texts are absent; raises when a quote is
    not in its text."""
    from termgraph.graph import texts

    quotes = texts.check_store(store, settings, found)
    if progress and not quotes.checked:
        progress("warning: " + quotes.message)
    return quotes


def local_data(settings: Settings, progress, prepare, loading=None) -> tuple[ox.Store, dict[str, int], Path | None, list | None]:
    """The dataset for this process: the on-disk store opened read-only, the cached one
    (`settings.cache_dir`: graph/cache.py; never with `prepare`, which the key cannot cover),
    or validated and loaded; the folder of its release files when the cache has them; and its
    quotes when the cache kept them (None: read from the store)."""
    if settings.store_dir:
        from termgraph.graph.store import built_quotes, built_release, open_store, store_sizes

        # (`loading`: the snapshot of `--in-memory` already being loaded: web/server.py; result() waits for it)
        store = loading.result() if loading is not None else open_store(settings)
        return store, store_sizes(settings), built_release(settings.store_dir), built_quotes(settings.store_dir)
    if settings.cache_dir is not None and prepare is None:
        from termgraph.graph.cache import RELEASE, cached_dataset, entry_quotes

        store, sizes, entry = cached_dataset(settings, progress, loading)
        # (the release files are written there by this start when the entry has none yet)
        return store, sizes, entry / RELEASE, entry_quotes(entry)
    data = loader.validated(settings, progress, prepare)
    if settings.backend:  # (the local copy only serves the pages)
        return data.store, data.graph_sizes(), None, None
    from termgraph.graph.snapshot import compacted  # (the derived store's queries ran up to 1.6x as long)

    return compacted(data.store), data.graph_sizes(), None, None


def on_disk_state(settings: Settings, workdir: Path, spool_dir: Path, progress) -> ServiceState:
    """Workers forked first, each opening the store read-only itself; then this process's own
    read-only handle for the pages (a RocksDB handle never crosses a fork)."""
    from termgraph.graph.store import built_release, open_store, store_sizes

    from termgraph.executor.interface import QueryPool

    sizes = store_sizes(settings)  # checks the manifest: a clear error for an unfinished store
    pool = QueryPool(str(settings.store_dir.absolute()), pool_settings(settings), known=set(sizes),
                     spool_dir=spool_dir)
    if progress:
        progress(f"starting {settings.workers} query worker(s) on the store in {settings.store_dir}")
    pool.start()
    try:
        pool.here = open_store(settings)  # the bounded queries run on it here (executor/bounded.py)
        # written here, before serving: a RocksDB handle never crosses a fork
        release = write_release(pool.here, workdir, progress, built_release(settings.store_dir), background=False,
                                origin="the built store")
        return ServiceState(settings, pool.here, sizes, pool, workdir, release=release)
    except BaseException:
        pool.close()
        raise
