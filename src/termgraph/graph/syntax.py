"""One home for describing a Turtle file no parser can read: one line naming the file and line."""

from __future__ import annotations

from pathlib import Path

from termgraph.errors import DataSyntaxError


def syntax_error(path: Path, exc: Exception) -> DataSyntaxError:
    """A file rdflib cannot read, described by pyoxigraph's parser (one line with line and
    column), or else by rdflib's message on one line."""
    import pyoxigraph as ox

    try:
        list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as found:
        return DataSyntaxError(path, str(found.msg if hasattr(found, "msg") else found), found.lineno)
    except (OSError, ValueError) as found:
        return DataSyntaxError(path, str(found))
    return DataSyntaxError(path, " ".join(str(exc).split()) or type(exc).__name__)
