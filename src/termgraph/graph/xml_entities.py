"""RDF/XML files and XML entities: a DOCTYPE may declare entities (`<!ENTITY owl "http://…">`, as
ontology editors write), but nested ones can expand a small file into gigabytes ("billion
laughs"), which the RDF/XML parser would build in memory. Before such a file is parsed, expat
(which streams, and has its own amplification guard) expands it once, counting the bytes; a file
whose entities expand past a bound is refused."""

from __future__ import annotations

import pyexpat
from pathlib import Path

from termgraph.errors import DataSyntaxError


class _Stop(Exception):
    pass


def expansion_cap(size: int) -> int:
    """The most text (character data and attribute values) a file of `size` bytes may expand to."""
    return 10 * size + (1 << 20)


def check_entities(path: Path) -> None:
    """Raise DataSyntaxError when the file's declared entities expand past `expansion_cap`.
    A file that declares none is read only up to its root element."""
    cap = expansion_cap(path.stat().st_size)
    parser = pyexpat.ParserCreate()
    seen = {"entities": False, "bytes": 0}

    def count(n: int) -> None:
        seen["bytes"] += n
        if seen["bytes"] > cap:
            raise _Stop("too large")

    def on_entity(*_args) -> None:
        seen["entities"] = True

    def on_start(_name, attributes) -> None:
        if not seen["entities"]:
            raise _Stop("no entities")
        count(sum(len(k) + len(v) for k, v in attributes.items()))

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    parser.CharacterDataHandler = lambda text: count(len(text))
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except _Stop as stop:
        if str(stop) == "no entities":
            return
        refuse(path, cap)
    except pyexpat.ExpatError as exc:
        if "amplification" in str(exc):
            refuse(path, cap)
        # any other XML error is left to the RDF/XML parser, which names the line


def refuse(path: Path, cap: int) -> None:
    raise DataSyntaxError(path, f"its DOCTYPE declares XML entities that expand to more than {cap} bytes "
                                "(an entity-expansion attack?); write the values out in the file and "
                                "remove the <!ENTITY> declarations")
