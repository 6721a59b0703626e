"""Settings, always built explicitly by the caller (CLI, app factory, tests), never at import."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

from termgraph.errors import BadSetting
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
    extra_workers: int = 1  # workers forked beyond those, for light clients when none is free (0: none)
    worker_renew_idle: float = 30.0  # seconds idle before a worker holding copied data is renewed (0: never)
    rate_limit_seconds: float = 0.0  # per-client budget of execution time per window; 0 = off
    rate_limit_window: float = 60.0
    # Peers whose X-Forwarded-Proto and X-Forwarded-Host (taken together, or neither) say the
    # public URL; empty: no one's. Give the proxy's address, e.g. ("127.0.0.1",).
    trusted_proxies: tuple[str, ...] = ()
    per_client_queries: int = 4  # queries one client may have running or waiting at once
    max_queue: int = 64  # queries waiting for a worker; past that, 503 with Retry-After
    query_memory_mb: int = 2048  # memory one query may allocate beyond the shared data
    shutdown_grace: float = 30.0  # seconds to finish accepted requests on SIGTERM
    header_timeout: float = 10.0  # seconds a connection may take to send its request headers
    max_connections: int = 512  # open connections at once; past that, 503
    max_connections_per_client: int = 32  # open connections from one address at once; past that, 503
    body_timeout: float = 10.0  # seconds a request body may take to arrive after its headers (408)
    send_timeout: float = 60.0  # seconds a client may read nothing of an answer before it is cut
    curate: bool = False  # serve the review page for drafted claims (loopback hosts only)
    store_dir: Path | None = None  # serve from this on-disk store (written by termgraph build-store DIR)
    store_in_memory: bool = False  # with store_dir: copy the built store into memory at start
    backend: str | None = None  # send queries to this SPARQL 1.1 endpoint (filled by termgraph publish)
    seeds: Path | None = None  # the folder of source texts; None: ../shared/seeds beside the checkout
    # keep the validated, derived dataset here between starts (graph/cache.py); None: no cache
    # (`termgraph serve` gives the default folder, $XDG_CACHE_HOME/termgraph, unless --no-cache)
    cache_dir: Path | None = None

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def positive(cast):
    def read(text: str):
        value = cast(text)
        if not (value > 0 and math.isfinite(value)):
            raise ValueError("must be a finite number greater than 0")
        return value
    read.__name__ = cast.__name__
    return read


def non_negative(cast):
    def read(text: str):
        value = cast(text)
        if not (value >= 0 and math.isfinite(value)):
            raise ValueError("must be a finite number, 0 or more")
        return value
    read.__name__ = cast.__name__
    return read


def port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise ValueError("must be between 1 and 65535")
    return value


def boolean(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be 1 or 0")


def addresses(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


ENV = {
    "TERMGRAPH_HOST": ("host", str, "an interface address such as 127.0.0.1"),
    "TERMGRAPH_PORT": ("port", port, "a port number such as 8000"),
    "TERMGRAPH_BASE_URL": ("base_url", str, "the public URL, such as https://example.org/termgraph/"),
    "TERMGRAPH_QUERY_TIMEOUT": ("query_timeout", positive(float), "seconds, such as 10"),
    "TERMGRAPH_MAX_RESULT_BYTES": ("max_result_bytes", positive(int), "bytes, such as 50000000"),
    "TERMGRAPH_WORKERS": ("workers", positive(int), "a number of processes, such as 2"),
    "TERMGRAPH_EXTRA_WORKERS": ("extra_workers", non_negative(int), "a number of processes, 0 for none, such as 1"),
    "TERMGRAPH_WORKER_RENEW_IDLE": ("worker_renew_idle", non_negative(float), "seconds, 0 for never, such as 30"),
    "TERMGRAPH_RATE_LIMIT": ("rate_limit_seconds", non_negative(float), "seconds per window, 0 for off"),
    "TERMGRAPH_RATE_WINDOW": ("rate_limit_window", positive(float), "seconds, such as 60"),
    "TERMGRAPH_TRUSTED_PROXIES": ("trusted_proxies", addresses, "comma-separated addresses, such as 127.0.0.1"),
    "TERMGRAPH_PER_CLIENT_QUERIES": ("per_client_queries", positive(int), "a number of queries, such as 4"),
    "TERMGRAPH_MAX_QUEUE": ("max_queue", positive(int), "a number of queries, such as 64"),
    "TERMGRAPH_QUERY_MEMORY_MB": ("query_memory_mb", positive(int), "MiB, such as 2048"),
    "TERMGRAPH_SHUTDOWN_GRACE": ("shutdown_grace", non_negative(float), "seconds, such as 30"),
    "TERMGRAPH_HEADER_TIMEOUT": ("header_timeout", positive(float), "seconds, such as 10"),
    "TERMGRAPH_MAX_CONNECTIONS": ("max_connections", positive(int), "a number of connections, such as 512"),
    "TERMGRAPH_MAX_CONNECTIONS_PER_CLIENT": ("max_connections_per_client", positive(int),
                                             "a number of connections, such as 32"),
    "TERMGRAPH_BODY_TIMEOUT": ("body_timeout", positive(float), "seconds, such as 10"),
    "TERMGRAPH_SEND_TIMEOUT": ("send_timeout", positive(float), "seconds, such as 60"),
    "TERMGRAPH_STORE": ("store_dir", Path, "a folder written by termgraph build-store"),
    "TERMGRAPH_STORE_IN_MEMORY": ("store_in_memory", boolean, "1 or 0"),
    "TERMGRAPH_BACKEND": ("backend", str, "a SPARQL endpoint URL, such as http://127.0.0.1:7878/query"),
    "TERMGRAPH_SEEDS": ("seeds", Path, "the folder holding the source texts, such as ../shared/seeds"),
    "TERMGRAPH_CACHE_DIR": ("cache_dir", Path, "a folder for the start-up cache, such as ~/.cache/termgraph"),
}


def read_env(var: str, text: str):
    """One environment value, or BadSetting naming the variable, the value and what it takes."""
    name, cast, wanted = ENV[var]
    try:
        return cast(text.strip())
    except ValueError as exc:
        reason = str(exc) if "must" in str(exc) else "not a valid value"
        raise BadSetting(f"{var}={text!r}: {reason}; give {wanted}") from None


def settings_from_env(environ: dict | None = None, **overrides) -> Settings:
    """Settings from TERMGRAPH_* environment variables, then explicit overrides.
    Raises BadSetting (exit code 2) for a value that cannot be used."""
    environ = os.environ if environ is None else environ
    values = {}
    for var in ENV:
        if environ.get(var, "").strip():
            values[ENV[var][0]] = read_env(var, environ[var])
    root = environ.get("TERMGRAPH_ROOT")
    values["root"] = Path(root) if root else default_root()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
