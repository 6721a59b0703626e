"""A dataset's N-Quads snapshot: the file beside a built store (`dataset.nq`: `serve --store DIR
--in-memory` loads it) and in each start-up cache entry (graph/cache_entry.py), and how it is
loaded: strictly, or leniently under the SHA-256 its manifest gives (hashed beside the parse).
Also `compacted`: a store filled in steps, reloaded in one go from its own snapshot.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox

from termgraph.errors import DataNotFound

SNAPSHOT = "dataset.nq"  # the same quads as N-Quads: `serve --store DIR --in-memory` loads it


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()



def load_snapshot(path: Path, lenient: bool = False) -> ox.Store:
    """The built store's quads in memory, from its N-Quads snapshot (validated and derived once,
    at build-store; parsing it is several times faster than reading RocksDB). `lenient`: its IRIs
    not validated again (~30% faster; for a snapshot whose bytes were checked: graph/cache.py)."""
    memory = ox.Store()
    try:
        memory.load(path=str(Path(path) / SNAPSHOT), format=ox.RdfFormat.N_QUADS, lenient=lenient)
    except (OSError, SyntaxError) as exc:
        raise DataNotFound(f"--store {path}: its {SNAPSHOT} cannot be read ({exc}); rebuild the store") from None
    return memory


def in_memory(folder: Path, snapshot_hash: str | None) -> ox.Store:
    """The built store's snapshot in memory: parsed leniently when its manifest gives its SHA-256
    (load_hashed), strictly for a store built before."""
    if snapshot_hash is None:
        return load_snapshot(folder)
    return load_hashed(folder, snapshot_hash, f"--store {folder}: its {SNAPSHOT} is not the one its manifest "
                                              "hashed; rebuild the store")


def load_hashed(folder: Path, snapshot_hash: str, changed: str) -> ox.Store:
    """The snapshot in `folder` in memory, parsed leniently (its IRIs not validated again: ~30%
    faster), which only its bytes' SHA-256 makes safe: hashed in a thread beside the parse (both
    release the GIL). DataNotFound(`changed`) when the bytes are not those: said before a parse
    error, which it explains."""
    found: list[str] = []
    hasher = threading.Thread(target=lambda: found.append(file_sha256(Path(folder) / SNAPSHOT)),
                              name="snapshot-hash", daemon=True)
    hasher.start()
    memory = failure = None
    try:
        memory = load_snapshot(folder, lenient=True)
    except DataNotFound as exc:
        failure = exc
    finally:
        hasher.join()
    if found != [snapshot_hash]:
        raise DataNotFound(changed)
    if failure is not None:
        raise failure
    return memory


def compacted(store: ox.Store) -> ox.Store:
    """The same quads in a fresh in-memory store, loaded from their N-Quads dump (a file beside
    no other, removed at once). A store filled in steps — files loaded, blank nodes skolemised
    (quads removed and added again), graphs derived, disputed statements removed — answers the
    heavy queries more slowly than the same quads loaded in one go: on the generated ~310k-quad
    graph the grouping and transitive queries ran 1.2-1.6x as long (docs/performance.md,
    2026-12-07). A store loaded from a snapshot (the start-up cache, `--store DIR --in-memory`)
    is already so. Memory: both stores at once, for the time of the load; the caller drops the
    old one."""
    with tempfile.TemporaryDirectory(prefix="termgraph-compact-") as tmp:
        path = Path(tmp) / SNAPSHOT
        store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        fresh = ox.Store()
        fresh.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return fresh
