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
    rate_limit_seconds: float = 0.0  # per-client query time budget per window; 0 = off
    rate_limit_window: float = 60.0
    curate: bool = False  # serve the review page for drafted claims (loopback hosts only)

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
