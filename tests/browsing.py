"""Shared by the browse tests: the service over the real data (derived disagreements included),
its queries run in-process, and a thread that serves it on a loopback port for the browser."""

from __future__ import annotations

from pathlib import Path

from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def browse_state():
    from .conftest import inline_state

    return inline_state(Settings(root=ROOT, workers=1, query_timeout=5.0), with_release=True)


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
