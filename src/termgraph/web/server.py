"""`termgraph serve`: gate, load once, fork the query workers, then serve with uvicorn."""

from __future__ import annotations

import signal
import sys
import threading
import webbrowser

from termgraph.graph.store import return_large_frees
from termgraph.progress import Progress
from termgraph.settings import Settings
from termgraph.web.connections import protocol_with_header_timeout, raise_open_file_limit
from termgraph.web.state import build_state, remove_stale_workdirs


HEADER_ROOM = 64 * 1024  # bytes of headers a request may send besides its request line (431 past it)


def max_request_target(settings: Settings) -> int:
    """Request targets up to this length reach the app (which answers 414 itself for a query
    string over `max_query_string`); longer ones get 414 from the protocol, unread."""
    return settings.max_query_string + 4096


def uvicorn_options(settings: Settings) -> dict:
    """uvicorn rewrites nothing from forwarded headers (the app reads them, from configured
    proxies only: routes/sparql.py); header, body, send and idle timeouts; caps on connections
    at once, in all and per address (503 past them); a drain that outlasts any query."""
    return {
        "host": settings.host, "port": settings.port, "loop": "uvloop",
        "http": protocol_with_header_timeout(settings.header_timeout, max_request_target(settings),
                                             max_request_target(settings) + HEADER_ROOM,
                                             body_seconds=settings.body_timeout,
                                             per_client=settings.max_connections_per_client,
                                             trusted=settings.trusted_proxies,
                                             send_seconds=settings.send_timeout,
                                             max_connections=settings.max_connections),
        "proxy_headers": False,
        "timeout_keep_alive": 5,
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": max(settings.shutdown_grace, settings.query_timeout + 5),
        "log_level": "warning",
        "access_log": False,  # (not shown at level warning, but uvicorn would still format each line)
    }


def serve(settings: Settings, open_browser: bool = False) -> int:
    """Listen at once, answering 503 "starting" (web/starting.py) while everything is validated
    and loaded; then serve the app on the same socket. A file that does not parse or data that
    fails SHACL ends here with the report (exit 2 / 1), and the port is closed."""
    from termgraph.web.starting import Responder, listening_socket

    shown = Progress()  # on standard error: lines replaced in place on a terminal, plain in a log
    remove_stale_workdirs()
    raise_open_file_limit()
    sock = listening_socket(settings.host, settings.port)  # listening now: "starting" until built
    responder = Responder(sock)

    def progress(message: str) -> None:
        shown(message)
        responder.tell(message)

    try:
        loading = None  # the dataset loads in a thread while the web stack is imported:
        if settings.cache_dir is not None:  # the start-up cache's entry,
            from termgraph.graph.cache import start_loading

            loading = start_loading(settings, progress)
        elif settings.store_dir and settings.store_in_memory and not settings.backend:  # or a built store's snapshot
            from termgraph.graph.cache_entry import Loading
            from termgraph.graph.store import open_store

            loading = Loading(None, settings.store_dir, lambda _: open_store(settings))
        import uvicorn

        from termgraph.web.app import create_app

        state = build_state(settings, progress=progress, loading=loading)  # forks the workers: no thread runs then
    except BaseException:
        responder.stop()
        sock.close()
        raise
    responder.stop()
    return_large_frees()  # (in the server only, after the workers' fork: they keep glibc's defaults)
    app = create_app(state)
    config = uvicorn.Config(app, **uvicorn_options(settings))
    server = DrainingServer(config, state, shown)
    url = f"http://{settings.host}:{settings.port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal to the handler that
    # was there before it: make that a clean exit, so that the workers and the work folder go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run(sockets=[sock])
    finally:
        state.close()
        sock.close()
    return 0 if server.started else 3


class DrainingServer:
    """uvicorn's Server, which on SIGTERM/SIGINT first makes the pool refuse new queries (503
    with Retry-After) while everything already accepted finishes within the grace period."""

    def __new__(cls, config, state, progress):
        import uvicorn

        class Server(uvicorn.Server):
            def handle_exit(self, sig, frame) -> None:
                state.pool.draining = True
                super().handle_exit(sig, frame)

            async def startup(self, sockets=None) -> None:
                await super().startup(sockets)
                if self.started:
                    progress(f"serving {sum(state.sizes.values())} triples in {len(state.sizes)} graphs at "
                             f"http://{config.host}:{config.port}/ (SPARQL: /sparql)")

        return Server(config)
