"""Settings, always built explicitly by the caller (CLI, app factory, tests), never at import."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from termgraph.paths import default_root


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder that holds ontology/, data/ and shapes/
    extra_files: tuple[Path, ...] = ()  # a user's own RDF files, each loaded as a named graph
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = None  # public URL of the service; None: taken from each request
    query_timeout: float = 10.0  # seconds
    max_result_bytes: int = 50_000_000  # a serialised result larger than this is an error
    max_body_bytes: int = 1_000_000
    max_query_string: int = 16_384
    workers: int = 2  # query worker processes
    rate_limit_seconds: float = 0.0  # per-client budget of execution time per window; 0 = off
    rate_limit_window: float = 60.0
    per_client_queries: int = 4  # queries one client may have running or waiting at once
    max_queue: int = 64  # queries waiting for a worker; past that, 503 with Retry-After
    query_memory_mb: int = 2048  # memory one query may allocate beyond the shared data
    shutdown_grace: float = 30.0  # seconds to finish accepted requests on SIGTERM
    trusted_proxies: str = ""  # addresses whose X-Forwarded-* headers are believed ("" = none)
    header_timeout: float = 10.0  # seconds a connection may take to send its request headers
    max_connections: int = 512  # open connections at once; past that, 503

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


ENV = {
    "TERMGRAPH_HOST": ("host", str),
    "TERMGRAPH_PORT": ("port", int),
    "TERMGRAPH_BASE_URL": ("base_url", str),
    "TERMGRAPH_QUERY_TIMEOUT": ("query_timeout", float),
    "TERMGRAPH_MAX_RESULT_BYTES": ("max_result_bytes", int),
    "TERMGRAPH_WORKERS": ("workers", int),
    "TERMGRAPH_RATE_LIMIT": ("rate_limit_seconds", float),
    "TERMGRAPH_RATE_WINDOW": ("rate_limit_window", float),
    "TERMGRAPH_PER_CLIENT_QUERIES": ("per_client_queries", int),
    "TERMGRAPH_MAX_QUEUE": ("max_queue", int),
    "TERMGRAPH_QUERY_MEMORY_MB": ("query_memory_mb", int),
    "TERMGRAPH_SHUTDOWN_GRACE": ("shutdown_grace", float),
    "TERMGRAPH_TRUSTED_PROXIES": ("trusted_proxies", str),
    "TERMGRAPH_HEADER_TIMEOUT": ("header_timeout", float),
    "TERMGRAPH_MAX_CONNECTIONS": ("max_connections", int),
}


def settings_from_env(environ: dict | None = None, **overrides) -> Settings:
    """Settings from TERMGRAPH_* environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    for var, (name, cast) in ENV.items():
        if environ.get(var):
            values[name] = cast(environ[var])
    root = environ.get("TERMGRAPH_ROOT")
    values["root"] = Path(root) if root else default_root()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
