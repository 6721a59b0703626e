"""The start-up cache: `termgraph serve [FILE…]` keeps the validated, derived dataset in a cache
folder, keyed by a content hash of everything that goes into it, so that a restart on the same
inputs loads it instead of validating and deriving again (`start_loading`: in a thread, while the
server imports its web stack); and the release files written from it (RELEASE, added by the
server once it has written them: web/release_files.py), so that a restart links them instead of
writing them again.

The key covers every input file's bytes with its name and role (termgraph's ontology, data,
shapes and disagreement rules, and the user's files with the graph each fills), the absolute
paths of termgraph's own files (their relative IRIs resolve against them), termgraph's version
and the cache's format. An entry (graph/cache_entry.py: its files, its manifest, its checks) is
written in a temporary folder and renamed into place; one that fails a check is removed and
rebuilt, never served. The most recently used entries are kept (KEEP), older ones removed.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import pickle
import shutil
import signal
import threading
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.errors import BadSetting, DataNotFound, InternalError
from termgraph.graph import store as built
from termgraph.graph.derive import rules_folder
from termgraph.graph import load as loader
from termgraph.graph import quotes, snapshot
from termgraph.graph.cache_entry import (  # noqa: F401 (the entry's own module; named here for the callers)
    CACHE_FORMAT, CACHE_MANIFEST, QUOTES, QUOTES_HASH, SNAPSHOT_HASH, Loading, entry_quotes,
    file_sizes, load_entry, problem, streamed_entry)
from termgraph.graph.release_folder import (  # (the entry's release files: kept the built store's way)
    RELEASE, RELEASE_MANIFEST, keep_release, release_problem, remove_abandoned, sizes_problem)
from termgraph.graph.load import all_files
from termgraph.graph.validate_beside import GateBeside  # (its way of sending an error back from a fork)
from termgraph.settings import Settings
from termgraph.version import VERSION

KEEP = 3  # entries kept: the most recently used
INPUT_FOLDERS = ("ontology", "data", "shapes")  # of the root: everything the gate and the load read


def default_cache_dir(environ=None) -> Path:
    """$XDG_CACHE_HOME/termgraph, else ~/.cache/termgraph."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "termgraph"


def input_files(settings: Settings) -> list[tuple[str, Path]]:
    """(role and name, path) for every file the build reads, in a stable order."""
    root = Path(settings.root)
    found = []
    for folder in INPUT_FOLDERS:
        found += [(f"root {p.relative_to(root).as_posix()}", p) for p in sorted((root / folder).rglob("*"))
                  if p.is_file()]
    rules = rules_folder(root)
    found += [(f"rules {p.relative_to(rules).as_posix()}", p) for p in sorted(rules.rglob("*")) if p.is_file()]
    for item in all_files(settings):  # the loaded files: the graph each fills, our files' base IRIs
        name = f"{item.graph} {item.path.resolve().as_uri()}" if item.ours else item.graph
        found.append((f"{'loaded' if item.ours else 'user'} {name}", item.path))
    return found


def gate_stamp(settings: Settings) -> Path:
    """The file whose presence says that termgraph's own files (ontology, data, shapes: all the
    SHACL gate reads; no user's file is under a shape) passed the gate: named by their content
    hash, with their folder and termgraph's version, so a start with a new or changed user's
    file does not validate them again. Written only after the gate passed."""
    root = Path(settings.root)
    digest = hashlib.sha256(f"termgraph {VERSION} gate {root.resolve().as_uri()}\n".encode())
    for name, path in input_files(settings):
        if name.startswith("root "):
            with open(path, "rb") as handle:
                digest.update(f"{name}\0{hashlib.file_digest(handle, 'sha256').hexdigest()}\n".encode())
    return Path(settings.cache_dir) / f"gate-passed-{digest.hexdigest()}"


def cache_key(settings: Settings) -> str:
    """The content hash of the inputs (hex sha256)."""
    digest = hashlib.sha256(f"termgraph {VERSION} cache {CACHE_FORMAT} store {built.FORMAT}\n".encode())
    for name, path in input_files(settings):
        with open(path, "rb") as handle:
            content = hashlib.file_digest(handle, "sha256").hexdigest()
        digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()


def write_entry(settings: Settings, folder: Path, key: str, progress, sink=None) -> loader.LoadedData:
    """Validate, load and derive in memory; write the snapshot (hashed as it is written; and to
    `sink` too, then closed, when given) and meanwhile, in a thread, the store's manifest and the
    quotes from it (the dump mostly waits on its reader) into a temporary folder beside the
    entry, add the cache manifest, rename into place (build_apart runs it in a process of its
    own). Returns the data: freeing a large store takes seconds, which a process that exits next
    need not spend (build_apart)."""
    entry = folder / key
    part = folder / f".{key}.part-{os.getpid()}"
    shutil.rmtree(part, ignore_errors=True)
    stamp = gate_stamp(settings)
    try:
        data = loader.validated(settings, progress, gate_passed=stamp.is_file())
        stamp.touch()
        if progress:
            progress(f"writing the dataset into the cache ({len(data.store)} quads)")
        part.mkdir()
        with cf.ThreadPoolExecutor(1, thread_name_prefix="termgraph-entry") as beside:
            described = beside.submit(lambda: (built.write_manifest(part, data),
                                               quotes.write_file(part / QUOTES, quotes.quotes(data.store, union=False))))
            try:
                snapshot_hash = snapshot.dump_hashed(data.store, part / built.SNAPSHOT, sink)
            finally:
                sink = None
                _, quotes_hash = described.result()
        manifest = {"format": CACHE_FORMAT, "key": key, "termgraph": VERSION, "files": file_sizes(part),
                    SNAPSHOT_HASH: snapshot_hash, QUOTES_HASH: quotes_hash}
        (part / CACHE_MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        try:
            part.rename(entry)
        except OSError:  # another process put a whole entry there meanwhile: keep that one
            if problem(entry, key) is not None:
                raise
            shutil.rmtree(part, ignore_errors=True)
        return data
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    finally:
        if sink is not None:  # (not handed to the dump: the reader ends with nothing)
            sink.close()


def build_apart(settings: Settings, folder: Path, key: str, progress) -> tuple[ox.Store, str] | None:
    """write_entry in a forked process, which then exits: everything the build needed (the store
    filled in steps, the derivation's Python objects, the heap they fragmented) goes with it, and
    this process holds a fresh store of the snapshot's quads, as a warm start does (the query
    workers it forks inherit no leftovers: a worker forked after an in-process build ran a
    CONSTRUCT with ~1.9x the CPU). The snapshot's bytes come through a pipe as the child writes
    them, and are parsed here meanwhile (snapshot.load_stream), not read back from the file once
    it is written; returns that store and the SHA-256 of what it parsed (streamed_entry checks
    them against the entry). What the child raised is raised here; Ctrl-C here stops it. Inline
    where forking is not safe (another thread runs) or possible: None, the entry to be loaded."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        write_entry(settings, folder, key, progress)
        return None
    read_end, write_end = os.pipe()
    data_read, data_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, its progress lines and at last what it raised (or None) sent back
        code = 0
        try:
            os.close(read_end)
            os.close(data_read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops it
            with os.fdopen(write_end, "wb") as out:
                def tell(line: str) -> None:
                    pickle.dump(("line", line), out)
                    out.flush()
                try:  # (the built data is kept to the exit: freeing it would only delay the answer)
                    kept = write_entry(settings, folder, key, tell if progress else None, os.fdopen(data_write, "wb"))  # noqa: F841
                    error = None
                except Exception as exc:  # DataSyntaxError, ValidationFailed, a failure to write
                    error = exc
                pickle.dump(("done", GateBeside.sendable(error)), out)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    os.close(data_write)
    snapshot.widen_pipe(data_read)
    parse = snapshot.StreamedParse(data_read)  # (joined below: no thread outlives this call into a fork)
    sent = None
    try:
        with os.fdopen(read_end, "rb") as answer:
            while sent is None:
                try:
                    kind, value = pickle.load(answer)
                except EOFError:
                    break
                if kind == "line" and progress:
                    progress(value)
                elif kind == "done":
                    sent = value
        _, status = os.waitpid(pid, 0)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        parse.thread.join()
    if sent is None or status != 0:
        raise InternalError(f"building the dataset into the cache failed: its process ended with status {status}")
    error = GateBeside.received(sent)
    if error is not None:
        raise error
    return parse.outcome


def start_loading(settings: Settings, progress: Callable[[str], None] | None = None) -> Loading | None:
    """Begin loading the entry for these inputs in a thread when a whole one is there: pyoxigraph
    parses without holding the GIL, so the caller imports its web stack meanwhile (web/server.py).
    None when there is none now (cached_dataset then builds it, or says why it cannot). Give it to
    cached_dataset, which waits for it: before any fork."""
    try:
        key = cache_key(settings)
    except OSError:
        return None  # (cached_dataset says what is wrong)
    entry = Path(settings.cache_dir) / key
    if not entry.is_dir() or problem(entry, key) is not None:
        return None
    if progress:
        progress(f"loading the validated dataset from the cache: {entry}")
    return Loading(key, entry)


def cached_dataset(settings: Settings, progress: Callable[[str], None] | None = None,
                   loading: Loading | None = None) -> tuple[ox.Store, dict[str, int], Path]:
    """The dataset from the cache in `settings.cache_dir`: the entry for these inputs loaded
    into memory (by `loading` when it was started: start_loading), built first when there is none
    or it is damaged. Returns (store, graph sizes, the entry's folder, whose RELEASE folder holds
    the release files once a server wrote them)."""
    try:
        return from_cache(settings, progress, loading)
    finally:
        if loading is not None:
            loading.thread.join()  # (never a thread left running into a fork)


def from_cache(settings: Settings, progress, loading: Loading | None) -> tuple[ox.Store, dict[str, int], Path]:
    folder = Path(settings.cache_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError("not writable")
    except OSError as exc:
        raise BadSetting(f"TERMGRAPH_CACHE_DIR={str(folder)!r}: cannot keep the start-up cache there "
                         f"({exc.strerror or exc}); give a writable folder, or serve with --no-cache") from None
    remove_abandoned(folder)
    key = loading.key if loading is not None else cache_key(settings)
    entry = folder / key
    store = None
    if entry.exists():
        why = problem(entry, key)
        if why is None:
            if progress and loading is None:
                progress(f"loading the validated dataset from the cache: {entry}")
            try:
                store, sizes = loading.result() if loading is not None else load_entry(entry)
            except DataNotFound as exc:
                why = str(exc)
        if store is None:
            if progress:
                progress(f"the cached dataset in {entry} is damaged ({why}): building it again")
            shutil.rmtree(entry, ignore_errors=True)
    if store is None:
        if progress:
            progress(f"building the dataset into the cache: {entry}")
        streamed = build_apart(settings, folder, key, progress)
        found = streamed_entry(entry, *streamed) if streamed is not None else None
        # (else as a warm start loads it: a fresh store either way, at its speed)
        store, sizes = found if found is not None else load_entry(entry)
    os.utime(entry)
    prune(folder, keep=KEEP)
    return store, sizes, entry


def entries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir() and len(p.name) == 64
            and all(c in "0123456789abcdef" for c in p.name)]


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` most recently used entries (and gate stamps); return those removed."""
    stamps = sorted(folder.glob("gate-passed-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in stamps[keep:]:
        path.unlink(missing_ok=True)
    old = sorted(entries(folder), key=lambda p: p.stat().st_mtime, reverse=True)[keep:]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return old
