"""Shared fixtures: the repository root, the source texts, the loaded dataset and its release
files (each made once and shared read-only: the default run's time goes to tests, not to setup),
a small copy of the data, the in-process service; and a guard that the in-process run leaves no
process running and no socket listening."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import hypothesis
import pytest

from termgraph.graph import load as loader
from termgraph.paths import default_seeds
from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# Fuzzing: a quick run by default, the long one from scripts/test.sh (TERMGRAPH_FUZZ=full).
hypothesis.settings.register_profile("quick", max_examples=150)
hypothesis.settings.register_profile("full", max_examples=2000)
hypothesis.settings.load_profile(os.environ.get("TERMGRAPH_FUZZ", "quick"))

# A `termgraph serve` the tests start keeps its start-up cache (graph/cache.py) in a folder of the
# tests', not in the user's own cache folder (one per checkout: several may run at once).
os.environ.setdefault("TERMGRAPH_CACHE_DIR", os.path.join(
    tempfile.gettempdir(), f"termgraph-test-cache-{os.getuid()}-{Path(__file__).resolve().parent.parent.name}"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = Path(os.environ.get("TERMGRAPH_SEEDS", default_seeds(ROOT)))
    assert path.is_dir(), f"the source texts are missing: {path} (set TERMGRAPH_SEEDS)"
    return path


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def data(settings):
    """The project's data, loaded once per test process. Read-only: a test that changes a store
    loads its own."""
    return loader.load(settings)


def small_copy(dest: Path) -> Path:
    """A small copy of the data folder at `dest`: the ontology, the shapes, the curated data and
    one source's claims (every kind of file, a third of the triples: a load takes ~0.3 s, not ~1 s)."""
    import shutil

    for sub in ("ontology", "shapes", "data/curated"):
        shutil.copytree(ROOT / sub, dest / sub)
    for name in ("disagreements.csv", "disagreements.ttl"):  # they name claims of every source
        (dest / "data" / "curated" / name).unlink()
    (dest / "data" / "claims").mkdir()
    for name in ("000.csv", "000.ttl"):
        shutil.copy(ROOT / "data" / "claims" / name, dest / "data" / "claims")
    return dest


@pytest.fixture(scope="session")
def small_root(tmp_path_factory) -> Path:
    """small_copy(), made once per test process, for the tests that load it with a user's file
    and change nothing in it."""
    return small_copy(tmp_path_factory.mktemp("small") / "root")


@pytest.fixture(scope="session")
def release(tmp_path_factory, data) -> dict[str, Path]:
    """The release files `termgraph export` writes for the project's data: name -> path.
    Read-only. Written once per run (~4 s): pytest-xdist's workers share one folder, the first to
    take the lock writes it (export is deterministic: tests/test_cli.py checks it byte for byte)."""
    import fcntl

    from termgraph.graph import export

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, done = shared / "release", shared / "release.done"
    with open(shared / "release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            names = [p.name for p in export.export(data, out)]
            done.write_text("\n".join(names), encoding="utf-8")
    return {name: out / name for name in done.read_text(encoding="utf-8").split("\n")}


W3C = ROOT.parent / "shared" / "w3c" / "sparql11"
W3C_GRAPHS = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": W3C / "protocol" / f"data{i}.nt" for i in (1, 2, 3)}


def add_w3c_graphs(store) -> None:
    """The W3C protocol tests' data, as the named graphs their manifest gives."""
    import pyoxigraph as ox

    for name, path in W3C_GRAPHS.items():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))


def inline_state(settings: Settings, prepare=None, data=None, with_release: bool = False):
    """A ServiceState whose queries run in-process (executor/inline.py): no worker processes. The
    SHACL gate is left out (tests/test_shapes.py and tests/test_cli.py run it). `data`: an
    already loaded dataset to serve (read-only) instead of loading one. `with_release`: write the
    release files as build_state does at start-up (/download, /ontology's HTML; ~1 s)."""
    import tempfile

    from termgraph.executor.inline import InlinePool
    from termgraph.web.state import ServiceState, write_release

    data = data if data is not None else loader.load(settings)
    if prepare:
        prepare(data.store)
    from termgraph.web.state import with_quote_status

    workdir = Path(tempfile.mkdtemp(prefix="termgraph-test-"))
    release = write_release(data.store, workdir) if with_release else {}
    return with_quote_status(ServiceState(settings, data.store, data.graph_sizes(), InlinePool(data.store), workdir,
                                          release=release), None)


TEST_SETTINGS = dict(workers=2, query_timeout=3.0, max_body_bytes=200_000, max_query_string=8_000,
                     max_result_bytes=2_000_000)


@pytest.fixture(scope="session")
def service_state(root, data, release):
    """The service over the project's data with an inline executor: queries run in this process
    (the default tests; the pages' and the endpoint's share it). It serves conftest's `data` and
    `release`, so the data is loaded and the release files are written once per test process.
    tests/test_w3c_protocol.py adds the W3C graphs to a service of its own."""
    state = inline_state(Settings(root=root, **TEST_SETTINGS), data=data)
    # The release files build_state writes at start-up (web/state.py: write_release), written
    # once per run by `release`. test_linked_data.py tests write_release itself.
    state.release = dict(release)
    yield state
    state.close()


def app_client(state):
    """The app over `state` in-process (FastAPI's test client): no listening server."""
    from fastapi.testclient import TestClient

    from termgraph.web.app import create_app

    return TestClient(create_app(state), base_url="http://testserver")


@pytest.fixture(scope="session")
def client(service_state):
    """The app in-process over the inline executor: no listening server, no worker processes."""
    with app_client(service_state) as c:
        yield c


@pytest.fixture(scope="module")
def pooled_state(root):
    """The service with real query worker processes (tests marked `live` only)."""
    from termgraph.web.state import build_state

    state = build_state(Settings(root=root, **TEST_SETTINGS), prepare=add_w3c_graphs)
    yield state
    state.close()


@pytest.fixture(scope="module")
def pooled_client(pooled_state):
    """The app in-process over the real worker pool (time limits, killing a runaway worker)."""
    from fastapi.testclient import TestClient

    from termgraph.web.app import create_app

    with TestClient(create_app(pooled_state), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def listener():
    """A loopback socket that records every connection made to it (it must see none)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                seen.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/", seen
    stop.set()
    thread.join()
    server.close()


# --- The in-process run leaves nothing running ----------------------------------------------------

def child_processes() -> list[str]:
    """This process's living children (pid and command), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, rest = stat.read_text().rpartition(")")
        except OSError:  # it exited meanwhile
            continue
        state, ppid = rest.split()[:2]
        if ppid == str(os.getpid()) and state != "Z":
            found.append(f"{stat.parent.name} {head.partition('(')[2]}")
    return found


def listening_sockets() -> list[str]:
    """The TCP sockets this process holds open in the listening state (local address, hex)."""
    mine = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[len("socket:["):-1])
    found = []
    for table in ("tcp", "tcp6"):
        path = Path("/proc/self/net") / table
        rows = path.read_text().splitlines()[1:] if path.exists() else []
        found += [cols[1] for cols in map(str.split, rows) if cols[3] == "0A" and cols[9] in mine]
    return found


@pytest.fixture(scope="session", autouse=True)
def nothing_left_running(request):
    """After the default run (no `live` or `browser` test), no child process is running and no
    socket is listening: every test stopped what it started."""
    yield
    live = any(item.get_closest_marker(m) for item in request.session.items for m in ("live", "browser"))
    if not live and Path("/proc/self/fd").exists():
        assert child_processes() == [], "a test left a process running"
        assert listening_sockets() == [], "a test left a socket listening"
