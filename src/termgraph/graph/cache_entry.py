"""One entry of the start-up cache (graph/cache.py): its files, its manifest, the checks that
say whether it may be served, and its dataset loaded from it.

An entry is a folder holding a built store's N-Quads snapshot and manifest (graph/store.py's
format), every claim's quote (QUOTES, so that a start checks them against the texts without
querying the store), later the release files (RELEASE), and the cache's manifest (its key and
format, the size of every file, the SHA-256 of the snapshot and of the quotes). `problem` says
why an entry cannot be served; `load_entry` parses the snapshot leniently (its IRIs not validated
again: ~30% faster, safe because its bytes are hashed beside the parse) and counts its quads
against the store's manifest.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyoxigraph as ox

from termgraph.errors import DataNotFound
from termgraph.graph import quotes, release_folder, snapshot
from termgraph.graph import store as built
from termgraph.graph.release_folder import RELEASE_MANIFEST, release_problem, sizes_problem

CACHE_MANIFEST = "termgraph-cache.json"
# 2: a user's quad file's named graphs moved under its own graph (graph/load.py);
# 3: no on-disk store, the release files added after the entry (web/release_files.py);
# 4: the snapshot's SHA-256 in the manifest (it is parsed leniently)
CACHE_FORMAT = 4
SNAPSHOT_HASH = "snapshot_sha256"
QUOTES = quotes.QUOTES_FILE  # every claim's quote, read from the store once, when the entry is built
QUOTES_HASH = "quotes_sha256"


def file_sizes(folder: Path) -> dict[str, int]:
    return release_folder.file_sizes(folder, skip=(CACHE_MANIFEST, RELEASE_MANIFEST))


def problem(entry: Path, key: str) -> str | None:
    """Why the entry cannot be served (None: it is whole, by its manifest)."""
    try:
        manifest = json.loads((entry / CACHE_MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"no {CACHE_MANIFEST}"
    except (OSError, ValueError) as exc:
        return f"{CACHE_MANIFEST} unreadable ({exc})"
    if not isinstance(manifest, dict) or manifest.get("key") != key or manifest.get("format") != CACHE_FORMAT:
        return "another key or format"
    files = manifest.get("files")
    if not isinstance(files, dict) or built.SNAPSHOT not in files or built.MANIFEST not in files:
        return "its manifest lists no store"
    if QUOTES not in files:
        return f"its manifest lists no {QUOTES}"
    if not isinstance(manifest.get(SNAPSHOT_HASH), str):
        return f"its manifest gives no {SNAPSHOT_HASH}"
    why = sizes_problem(entry, files) or release_problem(entry, missing_ok=True)
    if why is None and manifest.get(QUOTES_HASH) != snapshot.file_sha256(entry / QUOTES):
        return f"its {QUOTES} is not the one its manifest hashed"
    return why


def entry_quotes(entry: Path) -> list[quotes.Quote]:
    """Every claim's quote in the entry's dataset, as graph/quotes.py reads them from the store
    (a start checks them against the texts without querying the store: ~2 s at ~3 M quads);
    DataNotFound when the file is not the one the manifest hashed."""
    try:
        manifest = json.loads((entry / CACHE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataNotFound(f"{entry}: its {CACHE_MANIFEST} cannot be read ({exc})") from None
    found = quotes.read_file(entry / QUOTES, manifest.get(QUOTES_HASH))
    if found is None:
        raise DataNotFound(f"{entry}: its {QUOTES} is not the one its manifest hashed")
    return found


def expected(entry: Path) -> tuple[str, dict[str, int], int]:
    """What the entry's manifests say its snapshot is: its SHA-256, the named graphs' sizes and
    the number of quads in all."""
    snapshot_hash = json.loads((entry / CACHE_MANIFEST).read_text(encoding="utf-8"))[SNAPSHOT_HASH]
    manifest = built.read_manifest(entry)
    sizes = {str(k): int(v) for k, v in manifest["graphs"].items()}
    return snapshot_hash, sizes, sum(sizes.values()) + int(manifest["default_graph"])


def load_entry(entry: Path) -> tuple[ox.Store, dict[str, int]]:
    """The entry's snapshot in memory (parsed leniently, checked by its SHA-256: snapshot.load_hashed)
    and its graph sizes; DataNotFound when the snapshot's bytes are not those the manifest hashed,
    or it does not hold exactly the quads the store's manifest counts."""
    snapshot_hash, sizes, count = expected(entry)
    store = snapshot.load_hashed(entry, snapshot_hash, f"{entry}: its snapshot's SHA-256 is not the one its manifest gives")
    if len(store) != count:
        raise DataNotFound(f"{entry}: its snapshot holds {len(store)} quads, its manifest counts {count}")
    return store, sizes


def streamed_entry(entry: Path, store: ox.Store, digest: str) -> tuple[ox.Store, dict[str, int]] | None:
    """The store parsed from the snapshot's bytes as they were written (graph/cache.py:
    build_apart) and the entry's graph sizes, when those bytes are the ones the entry's manifest
    hashed and the store holds the quads its manifest counts; else None (the entry, written by
    another process meanwhile, may differ: it is then loaded from its file)."""
    try:
        snapshot_hash, sizes, count = expected(entry)
    except (OSError, ValueError, KeyError, DataNotFound):
        return None
    return (store, sizes) if digest == snapshot_hash and len(store) == count else None


class Loading:
    """An entry's snapshot (or with `load`, another folder's dataset: a built store's) being
    loaded in a thread (graph/cache.py: start_loading; pyoxigraph parses without holding the GIL,
    so the caller goes on meanwhile); `result()` waits for it and returns what `load` returned, or
    raises what it raised."""

    def __init__(self, key: str | None, entry: Path, load=None):
        self.key, self.entry, self.outcome = key, entry, (None, None)
        self.load = load or load_entry
        self.thread = threading.Thread(target=self.run, name="cache-load", daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            self.outcome = (self.load(self.entry), None)
        except BaseException as exc:  # (given to result(), in the caller's thread)
            self.outcome = (None, exc)

    def result(self):
        self.thread.join()
        value, error = self.outcome
        if error is not None:
            raise error
        return value
