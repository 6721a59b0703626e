"""On-disk stores, for graphs larger than memory.

`termgraph build-store DIR` checks termgraph's data against the shapes, loads every file and
derives its graphs in memory, then writes every quad into an Oxigraph store on disk (RocksDB) with
the bulk loader (`--low-memory`: loads and derives straight on disk instead, slower but small),
and the same quads as an N-Quads snapshot (`dataset.nq`: `serve --store DIR --in-memory` loads it).
The store is written once: it is built
in a temporary folder beside DIR and renamed into place only when complete, with a manifest
(`termgraph-store.json`: format, termgraph version, graph sizes) that marks it as finished, and
the release files written from it (`release/`, with their manifest: `serve --store DIR` links them
instead of writing them again on every start).
`termgraph serve --store DIR` then opens it read-only in every query worker (`open_store`), so
the data is read from disk and shared through the page cache instead of copied per worker.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
import traceback
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.version import VERSION
from termgraph.graph import load as loader
from termgraph.graph import release_folder
from termgraph.graph.snapshot import SNAPSHOT, file_sha256, in_memory
from termgraph.errors import DataNotFound, TermgraphError
from termgraph.settings import Settings

MANIFEST = "termgraph-store.json"
FORMAT = 2


def check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TermgraphError(f"{target} already exists and is not an empty folder: a store is written once; "
                             "remove it or give another folder")
    if not target.parent.is_dir():
        raise DataNotFound(f"{target.parent} does not exist: create it first")


def derive_in_memory(settings: Settings, work: Path, progress, prepare) -> None:
    """The fast way: validate, load and derive in memory (as `serve` does), write the snapshot
    from memory, free the in-memory store, then fill the new store from the snapshot with
    Oxigraph's bulk loader. Needs the memory of an in-memory load, once, but never that and the
    bulk loader's buffers (about 2 GB) at the same time; serving from the store then does not."""
    data = loader.validated(settings, progress, prepare)
    if progress:
        progress(f"writing the store in {work.name}")
    work.mkdir()
    data.store.dump(str(work / SNAPSHOT), format=ox.RdfFormat.N_QUADS)
    del data
    release_memory()
    store = ox.Store(str(work))
    store.bulk_load(path=str(work / SNAPSHOT), format=ox.RdfFormat.N_QUADS)
    compact(store)


def release_memory() -> None:
    """Give the freed in-memory store back to the system. glibc keeps freed memory in the main
    thread's heap, which the bulk loader's threads (each with its own heap) cannot use: without
    this the build peaked at the in-memory store plus the bulk loader's buffers all the same."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


LARGE = 4 << 20  # bytes: a block this large is mmap'ed, and the heap's free top past it trimmed


def return_large_frees() -> None:
    """From now on, give each large freed block (4 MiB or more) back to the system at once. glibc
    raises its mmap threshold after a large free (up to 32 MiB), so later large buffers come from
    the heap and stay there: a server that had streamed one 62 MB release file kept ~28 MB of
    its heap for good (docs/performance.md). Both thresholds fixed at 4 MiB keep 5 MB of it (at
    glibc's initial 128 KiB, none, but every buffer over 128 KiB is then mmap'ed, and the pages
    were slower); a process that builds a store should not call it."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, LARGE)
        libc.mallopt(M_TRIM_THRESHOLD, LARGE)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def derive_on_disk(settings: Settings, work: Path, progress, prepare) -> None:
    """The small-memory way: every file loaded and every graph derived straight into the on-disk
    store (RocksDB): memory stays small, but deriving reads and writes the disk (much slower)."""
    store = ox.Store(str(work))
    loader.validated(settings, progress, prepare, store=store)
    finish(store, store, work)


def finish(store: ox.Store, source: ox.Store, work: Path) -> None:
    """Compact the store and write its snapshot from `source` (the same quads)."""
    compact(store)
    source.dump(str(work / SNAPSHOT), format=ox.RdfFormat.N_QUADS)


def compact(store: ox.Store) -> None:
    """Compact and flush the store (it closes when its last reference goes: the caller's return)."""
    store.optimize()
    store.flush()


def build_store(settings: Settings, target: Path, progress: Callable[[str], None] | None = None,
                prepare: Callable[[ox.Store], None] | None = None, low_memory: bool = False) -> dict[str, int]:
    """Validate, load and derive into a new on-disk store at `target`; return the graph sizes.
    Nothing is left at `target` if any step fails. `prepare` may add graphs (tests).
    `low_memory`: derive on disk instead of in memory (see derive_on_disk)."""
    target = Path(target).absolute()
    check_target(target)
    work = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        (derive_on_disk if low_memory else derive_in_memory)(settings, work, progress, prepare)
        gc.collect()  # the store is closed (RocksDB's lock released) before it is reopened
        if progress:
            progress("checking the written store")
        quotes_hash = check_quotes(work, settings, progress)
        sizes = write_manifest(work, quotes_hash=quotes_hash, snapshot_hash=file_sha256(work / SNAPSHOT))
        write_release(work, progress)
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)  # the failed step's store is closed first:
        gc.collect()  # RocksDB's threads would write into the folder being removed
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sizes


def write_release(folder: Path, progress) -> None:
    """The release files (graph/export.py: /download's, /ontology's HTML) of the finished store in
    `folder`, into its RELEASE folder with their manifest (graph/release_folder.py, as the start-up
    cache keeps them), so that every `serve --store DIR` links them instead of writing them again."""
    from termgraph.graph import export

    if progress:
        progress("writing the release files")
    part = folder / f".release-files-{os.getpid()}"
    written = ox.Store.read_only(str(folder))
    try:
        export.export(loader.LoadedData(written, []), part)
    finally:
        del written
        gc.collect()
    try:
        if not release_folder.keep_release(folder, part):
            raise TermgraphError(f"{folder}: the release files could not be put into {release_folder.RELEASE}/")
    finally:
        shutil.rmtree(part, ignore_errors=True)


def built_release(folder: Path) -> Path | None:
    """The release files `build-store` wrote into the store in `folder`, when whole by their
    manifest; None for a store built before they were (the server writes them then)."""
    return folder / release_folder.RELEASE if release_folder.release_problem(folder) is None else None


def check_quotes(folder: Path, settings: Settings, progress) -> str:
    """The written store's quotes against the sources' texts (graph/texts.py): a quote not in its
    text fails the build; absent texts are one warning line. The quotes are kept beside the store
    (quotes.QUOTES_FILE: `serve --store` checks them without querying it); returns their hash."""
    from termgraph.graph import quotes, texts

    written = ox.Store.read_only(str(folder))
    try:
        found = quotes.quotes(written, union=False)
        status = texts.check_store(written, settings, found)
    finally:
        del written
        gc.collect()
    if progress and not status.checked:
        progress("warning: " + status.message)
    return quotes.write_file(folder / quotes.QUOTES_FILE, found)


def built_quotes(folder: Path) -> list | None:
    """The quotes build-store kept beside the store, when they are the ones its manifest hashed
    (None for a store built before they were kept, or a changed file: read from the store then)."""
    from termgraph.graph import quotes

    return quotes.read_file(Path(folder) / quotes.QUOTES_FILE, read_manifest(folder).get("quotes_sha256"))


def write_manifest(folder: Path, data: loader.LoadedData | None = None, quotes_hash: str | None = None,
                   snapshot_hash: str | None = None) -> dict[str, int]:
    """Count the graphs of the finished store in `folder` and write its manifest; return the
    named graphs' sizes. (The store must be closed: it is opened read-only here.) `data`: the
    same quads in memory, counted there instead (the start-up cache keeps no on-disk store).
    `quotes_hash`, `snapshot_hash`: the SHA-256 of the quotes kept beside it (check_quotes) and
    of its snapshot (`serve --store DIR --in-memory` then parses it leniently: in_memory)."""
    written = loader.LoadedData(ox.Store.read_only(str(folder)), []) if data is None else data
    sizes, default_size = written.graph_sizes(), written.default_graph_size()
    del written
    gc.collect()
    manifest = {"format": FORMAT, "termgraph": VERSION, "graphs": sizes, "default_graph": default_size}
    if quotes_hash is not None:
        manifest["quotes_sha256"] = quotes_hash
    if snapshot_hash is not None:
        manifest["snapshot_sha256"] = snapshot_hash
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return sizes


def read_manifest(path: Path) -> dict:
    """The manifest of a finished store; a clear error for anything else."""
    path = Path(path)
    if not path.is_dir():
        raise DataNotFound(f"--store {path}: no such folder; write one with: termgraph build-store {path}")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataNotFound(f"--store {path}: not a finished termgraph store (no {MANIFEST}); "
                           f"write one with: termgraph build-store {path}") from None
    except (OSError, ValueError) as exc:
        raise DataNotFound(f"--store {path}: {MANIFEST} is unreadable ({exc}); rebuild the store") from None
    if manifest.get("format") != FORMAT:
        raise DataNotFound(f"--store {path}: store format {manifest.get('format')!r}, this termgraph reads "
                           f"{FORMAT}; rebuild it with termgraph build-store")
    return manifest


def store_sizes(settings: Settings) -> dict[str, int]:
    return dict(read_manifest(settings.store_dir)["graphs"])


def open_store(settings: Settings) -> ox.Store:
    """The dataset as a pyoxigraph Store: the on-disk store opened read-only when
    `settings.store_dir` is set (any number of processes may do so at once), or its snapshot
    loaded into memory with `settings.store_in_memory`; else loaded into memory from the data files."""
    if settings.store_dir is None:
        return loader.load(settings).store
    if settings.extra_files:
        raise TermgraphError("extra files cannot be added to a built store: give them to "
                             "termgraph build-store DIR FILE... instead")
    manifest = read_manifest(settings.store_dir)
    if settings.store_in_memory:
        return in_memory(settings.store_dir, manifest.get("snapshot_sha256"))
    try:
        return ox.Store.read_only(str(settings.store_dir))
    except OSError as exc:
        raise DataNotFound(f"--store {settings.store_dir}: cannot open it read-only ({exc})") from None
