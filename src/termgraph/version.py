"""termgraph's version, read from the installed package's metadata (pyproject.toml writes it once)."""

from importlib.metadata import version

VERSION = version("termgraph")
