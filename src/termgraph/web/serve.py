"""`termgraph serve`: gate, load, start workers, then serve with uvicorn (httptools, uvloop)."""

from __future__ import annotations

import signal
import sys
import threading
import webbrowser

from termgraph.settings import Settings
from termgraph.web.service import build_state


def progress(message: str) -> None:
    print(f"termgraph: {message}", file=sys.stderr, flush=True)


def serve(settings: Settings, open_browser: bool = False) -> int:
    """Validate and load everything first: nothing listens until the whole graph is ready.
    A file that does not parse or data that fails SHACL ends here with the report (exit 2 / 1)."""
    import uvicorn

    from termgraph.web.app import create_app

    state = build_state(settings, progress=progress)
    app = create_app(state)
    url = f"http://{settings.host}:{settings.port}/"
    progress(f"serving {sum(state.sizes.values())} triples in {len(state.sizes)} graphs at {url} "
             f"(SPARQL: {url}sparql)")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal to the handler that
    # was there before it: make that a clean exit, so that the workers and the work folder go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, loop="uvloop", http="httptools",
                    log_level="warning", timeout_graceful_shutdown=10)
    finally:
        state.close()
    return 0
