"""The release files of a running service (/download's, /ontology's HTML), written by a forked
writer while the endpoint answers.

They are written once per start from the served dataset, by a process forked for it once the
dataset is loaded (at ~340k quads writing them takes longer than the rest of a start).

The writer writes every file into a temporary folder and renames it to the served folder when all
are written, so a file is either absent or whole, never half-written. A request for a release file
not written yet waits up to WAIT_SECONDS for it, then is answered 503 with Retry-After; if the
writer failed, 500 (its traceback is in the server's log). With the start-up cache
(graph/cache.py) the writer then keeps the files in the cache entry, and a restart links them
from there instead (`copying the release files from the cache`).

Where forking is not safe (another thread runs) or possible, the files are written before
write_release returns, as they were before.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import threading
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.errors import InternalError, Starting
from termgraph.graph import export
from termgraph.graph import load as loader
from termgraph.graph import release_folder
from termgraph.graph.release_folder import RELEASE_MANIFEST

WAIT_SECONDS = 10.0  # a request for a file being written waits this long for it, then 503
RETRY_AFTER = 5  # seconds
NICENESS = 10  # the writer yields the processor to the server and its query workers


class ReleaseFiles(Mapping):
    """name -> path of every release file, in `folder` once written. Looking one up waits for
    the writer (up to `wait` seconds), then raises Starting (503, Retry-After) or, when the
    writer failed, InternalError (500)."""

    def __init__(self, folder: Path, names: list[str], writer: int = 0, wait: float = WAIT_SECONDS):
        self.folder, self.names, self.writer, self.wait_seconds = folder, list(names), writer, wait
        self.failure: str | None = None
        self.lock = threading.Lock()

    def __contains__(self, name) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, name: str) -> Path:
        if name not in self.names:
            raise KeyError(name)
        if not self.wait(self.wait_seconds):
            raise Starting(f"the release file {name} is still being written (the service has just started); "
                           "retry shortly").with_retry_after(RETRY_AFTER)
        return self.folder / name

    def written(self) -> bool:
        """Every file is in the folder (True), or the writer is still at work (False); raises
        InternalError when it ended without writing them."""
        if self.folder.is_dir() and not self.writer:
            return True
        with self.lock:
            if self.writer and self.failure is None:  # (the folder is its last step: then it ends at once)
                pid, status = os.waitpid(self.writer, 0 if self.folder.is_dir() else os.WNOHANG)
                if pid:
                    self.writer = 0
                    if not self.folder.is_dir():
                        self.failure = f"the writer ended with status {os.waitstatus_to_exitcode(status)}"
            if self.folder.is_dir():
                return True
            if self.failure is not None or not self.writer:
                raise InternalError(f"the release files could not be written ({self.failure or 'no writer'}); "
                                    "the server's log says why")
        return False

    def wait(self, seconds: float | None = None) -> bool:
        """Wait until every file is written (True) or `seconds` have passed (False; None: no limit)."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while not self.written():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        """End a writer still at work (the service is stopping) and collect it."""
        with self.lock:
            if self.writer:
                try:
                    if not self.folder.is_dir():
                        os.kill(self.writer, signal.SIGTERM)
                    os.waitpid(self.writer, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
                self.writer = 0


def write_files(store: ox.Store, folder: Path, keep: Callable[[Path], object] | None = None) -> None:
    """Every release file into a temporary folder beside `folder` (and `keep` given it: the
    start-up cache's copy), renamed to `folder` when all are written."""
    part = folder.with_name(f".{folder.name}.part-{os.getpid()}")
    shutil.rmtree(part, ignore_errors=True)
    try:
        export.export(loader.LoadedData(store, []), part)
        if keep is not None:
            keep(part)
        part.rename(folder)
    finally:
        shutil.rmtree(part, ignore_errors=True)


def link_files(cached: Path, folder: Path) -> None:
    """The release files of the start-up cache's entry, hard-linked (or copied) into `folder`."""
    folder.mkdir()
    for path in sorted(cached.iterdir()):
        if path.name == RELEASE_MANIFEST:
            continue
        try:
            os.link(path, folder / path.name)
        except OSError:  # another file system
            shutil.copyfile(path, folder / path.name)


def write_release(store: ox.Store | None, workdir: Path, progress: Callable[[str], None] | None = None,
                  cached: Path | None = None, background: bool = True, origin: str = "the cache") -> ReleaseFiles:
    """The release files into `workdir`/dist: linked from the start-up cache's entry (`cached`:
    its RELEASE folder, when whole; or a built store's, `origin` "the built store"), else written
    from `store` by a forked writer, which then keeps them in the entry (when `cached` is given).
    `background=False`, or another thread running: written before this returns."""
    folder = workdir / "dist"
    if cached is not None and release_folder.release_problem(cached.parent) is None:
        if progress:
            progress(f"copying the release files from {origin}")
        link_files(cached, folder)
        return ReleaseFiles(folder, sorted(p.name for p in folder.iterdir()))
    names = export.release_names(store)

    def write() -> None:
        keep = None if cached is None else lambda part: release_folder.keep_release(cached.parent, part)
        write_files(store, folder, keep)

    if not background or not hasattr(os, "fork") or threading.active_count() > 1:
        if progress:
            progress("writing the release files")
        write()
        return ReleaseFiles(folder, names)
    from termgraph.graph.store import release_memory
    from termgraph.web.starting import die_with_parent

    if progress:
        progress("writing the release files in the background (/download answers when they are written)")
    release_memory()  # (as executor/zygote.py does before its fork: the loading's garbage freed,
    gc.freeze()  # and what is left out of the collector's reach, whose writes would copy pages)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the writer
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the server stops it
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            die_with_parent()
            os.nice(NICENESS)
            write()
            if progress:
                progress(f"the release files are written ({time.monotonic() - started:.1f} s)")
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    return ReleaseFiles(folder, names, writer=pid)
