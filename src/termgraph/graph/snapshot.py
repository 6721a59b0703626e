"""A dataset's N-Quads snapshot, written and loaded. It is the file beside a built store
(`dataset.nq`: `serve --store DIR --in-memory` loads it) and in each start-up cache entry
(graph/cache_entry.py); it is loaded strictly, or leniently under the SHA-256 its manifest gives
(hashed beside the parse).
Also `compacted`: a store filled in steps, reloaded in one go from its own snapshot; and a
snapshot written and hashed in one pass while another process parses the same bytes from a pipe
(`dump_hashed`, `load_stream`: a cold start's build, graph/cache.py).
"""

from __future__ import annotations

import hashlib
import io
import os
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


class HashingTee(io.RawIOBase):
    """A snapshot's sink: each chunk written to the file, hashed, and sent on to `sink` (a pipe
    to a process that parses it meanwhile), if any."""

    def __init__(self, file, sink=None):
        super().__init__()
        self.file, self.sink, self.hash = file, sink, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.file.write(data)
        self.hash.update(data)
        if self.sink is not None:
            self.sink.write(data)
        return len(data)


def dump_hashed(store: ox.Store, path: Path, sink=None) -> str:
    """The store's N-Quads snapshot written to `path` (and to `sink`, then closed, when given),
    hashed as it is written: its SHA-256, without reading the file again."""
    try:
        with open(path, "wb", buffering=1 << 20) as file:
            tee = HashingTee(file, sink)
            store.dump(tee, format=ox.RdfFormat.N_QUADS)
    finally:
        if sink is not None:
            sink.close()  # (the reader's end of the parse)
    return tee.hash.hexdigest()


class HashingReader(io.RawIOBase):
    def __init__(self, raw):
        super().__init__()
        self.raw, self.hash = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.hash.update(memoryview(buffer)[:n])
        return n or 0

    def drain(self) -> None:
        """Read (and hash) to the end, so that the writer never waits on a reader that stopped."""
        while self.read(1 << 20):
            pass


def load_stream(fd: int) -> tuple[ox.Store, str]:
    """N-Quads from the pipe `fd` (a snapshot being written by dump_hashed in another process)
    parsed leniently into a fresh store as they come, and their SHA-256: the caller compares it
    with the one the writer gives, which alone makes the lenient parse safe. Reads the pipe to its
    end whatever happens; raises what the parse raised."""
    with os.fdopen(fd, "rb", buffering=0) as raw:
        reader = HashingReader(raw)
        store = ox.Store()
        try:
            store.load(input=reader, format=ox.RdfFormat.N_QUADS, lenient=True)
        finally:
            reader.drain()
    return store, reader.hash.hexdigest()


PIPE_BYTES = 1 << 20  # the snapshot's pipe (Linux: F_SETPIPE_SZ), fewer switches than 64 KiB


def widen_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):  # (not Linux, or over the system's maximum: the default size)
        pass


class StreamedParse:
    """load_stream in a thread (the engine parses without holding the GIL, and the
    caller reads the child's progress meanwhile); `outcome`: (store, SHA-256), or None when the
    parse failed (the entry is then loaded from its file)."""

    def __init__(self, fd: int):
        self.outcome = None
        self.thread = threading.Thread(target=self.run, args=(fd,), name="cache-stream", daemon=True)
        self.thread.start()

    def run(self, fd: int) -> None:
        try:
            self.outcome = load_stream(fd)
        except Exception:  # noqa: BLE001 - a truncated stream (the child failed): nothing kept
            self.outcome = None
