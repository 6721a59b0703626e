"""Shared by the browse tests: the service with the disagreements test fixture added.

The fixture (tests/fixtures/browse-disagreements.fixture.ttl) stands in for the derived
disagreements graph (CONTRACTS.md B) until it exists; it is loaded into that graph's name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "browse-disagreements.fixture.ttl"
DISAGREEMENTS = ns.GRAPH + "disagreements"


def add_fixture(store: ox.Store) -> None:
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(DISAGREEMENTS))


def browse_state(workers: int = 1):
    from termgraph.web.service import build_state

    return build_state(Settings(root=ROOT, workers=workers, query_timeout=5.0), prepare=add_fixture)


class ThreadServer:
    """The app over `state`, served by uvicorn on a free loopback port in a thread."""

    def __init__(self, state):
        import socket
        import threading

        import uvicorn

        from termgraph.web.app import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(create_app(state), host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}/"

    def __enter__(self) -> str:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the test server did not start"
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
