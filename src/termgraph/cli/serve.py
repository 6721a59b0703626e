"""`termgraph serve`: the SPARQL endpoint and the pages (Linux: the query workers are forked
processes in a seccomp sandbox)."""

from __future__ import annotations

from pathlib import Path

from termgraph.cli import scale
from termgraph.errors import BadSetting, PortInUse, TermgraphError
from termgraph.graph.files import user_files


def add_commands(sub) -> None:
    p = sub.add_parser("serve", help="start the SPARQL endpoint and web pages",
                       epilog="example: termgraph serve --host 0.0.0.0 --port 8000 extra.ttl")
    p.add_argument("files", nargs="*", type=Path, help="extra RDF files to serve, each as a named graph")
    p.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.add_argument("--timeout", type=float, default=None, help="query time limit in seconds (default 10)")
    p.add_argument("--workers", type=int, default=None, help="query worker processes (default 2)")
    p.add_argument("--rate-limit", type=float, default=None, metavar="SECONDS",
                   help="per-client budget of query time per window (default 0: off)")
    p.add_argument("--rate-window", type=float, default=None, metavar="SECONDS",
                   help="the window of the rate limit (default 60)")
    p.add_argument("--trusted-proxies", default=None, metavar="ADDRESSES",
                   help="comma-separated proxy addresses whose X-Forwarded-* headers are believed (default: none)")
    p.add_argument("--open", action="store_true", help="open the landing page in a browser")
    p.add_argument("--no-cache", action="store_true",
                   help="validate and derive on every start; neither read nor write the start-up cache "
                        "(default: kept in TERMGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/termgraph)")
    p.add_argument("--curate", action="store_true",
                   help="also serve the review page for drafted claims at /curate (loopback hosts only)")
    scale.add_serve_options(p)
    p.set_defaults(func=cmd_serve)


def check_port(host: str, port: int) -> None:
    """Fail before loading anything when the address is taken (uvicorn would fail only later)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadSetting(f"--host {host}: not an address this machine has ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(f"cannot listen on {host}:{port} ({exc.strerror}): stop the program using it "
                            "or choose another port with --port") from None


def start_cache(settings, off: bool) -> Path | None:
    """The start-up cache's folder (graph/cache.py): none with --no-cache or a built store or a
    backend (nothing is validated at start then); else TERMGRAPH_CACHE_DIR or the user's cache."""
    from termgraph.graph.cache import default_cache_dir

    if off or settings.store_dir or settings.backend:
        return None
    return settings.cache_dir or default_cache_dir()


def cmd_serve(args, settings) -> int:
    from termgraph.web import server

    settings = settings.with_(**{k: v for k, v in {
        "host": args.host, "port": args.port, "query_timeout": args.timeout, "workers": args.workers,
        "extra_files": tuple(args.files), "rate_limit_seconds": args.rate_limit,
        "rate_limit_window": args.rate_window, "trusted_proxies": tuple(a.strip() for a in args.trusted_proxies.split(",") if a.strip())
        if args.trusted_proxies else None, "curate": args.curate or None,
        "store_dir": args.store, "store_in_memory": args.in_memory, "backend": args.backend,
    }.items() if v is not None and v != ()})
    settings = settings.with_(cache_dir=start_cache(settings, args.no_cache))
    if settings.curate:
        from termgraph.cli.curate import need_curate_extra
        from termgraph.web.requests import is_loopback

        need_curate_extra("serve --curate")

        if not is_loopback(settings.host):
            raise TermgraphError(f"--curate edits files on this machine: serve it on a loopback host "
                                 f"(127.0.0.1, ::1 or localhost), not {settings.host}")
    user_files(settings.extra_files)  # two files for one graph: an error now, not after loading
    check_port(settings.host, settings.port)
    return server.serve(settings, open_browser=args.open)
