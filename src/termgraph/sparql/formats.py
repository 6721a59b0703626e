"""Result formats: media types, and serialisation with pyoxigraph's own serialisers.

Serialisation writes into a CappedWriter, so that a result larger than the cap stops with
ResultTooLarge instead of filling memory.
"""

from __future__ import annotations

import io

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.errors import ResultTooLarge

SOLUTION_FORMATS = {  # SELECT and ASK
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {  # CONSTRUCT, DESCRIBE and graph downloads
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# Short names, for ?format= and the CLI's --format.
SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "html": "text/html",
}


class CappedWriter(io.RawIOBase):
    """A binary sink that keeps what is written, up to a cap."""

    def __init__(self, cap: int):
        self.cap, self.size, self.chunks = cap, 0, []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise ResultTooLarge(f"the result is larger than {self.cap} bytes; narrow the query or add LIMIT")
        self.chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def serialize_result(form: str, value, media_type: str, cap: int) -> bytes:
    """Serialise a query result natively into `media_type`, failing past `cap` bytes."""
    out = CappedWriter(cap)
    try:
        if form in ("SELECT", "ASK"):
            value.serialize(out, SOLUTION_FORMATS[media_type])
        else:
            ox.serialize(value, out, GRAPH_FORMATS[media_type], prefixes=ns.PREFIXES)
    except OSError as exc:  # pyoxigraph wraps the writer's exception
        if isinstance(exc.__context__, ResultTooLarge) or "larger than" in str(exc):
            raise ResultTooLarge(f"the result is larger than {cap} bytes; narrow the query or add LIMIT") from None
        raise
    return out.getvalue()


def shorten(term, prefixes: dict[str, str] = ns.PREFIXES) -> str:
    """A term as a person reads it: prefixed names for IRIs, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, str):  # an IRI given as text
        term = ox.NamedNode(term)
    if isinstance(term, ox.NamedNode):
        for p, iri in prefixes.items():
            if term.value.startswith(iri) and term.value != iri:
                return f"{p}:{term.value[len(iri):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table(value) -> str:
    """A SELECT result as an aligned text table (for the terminal)."""
    names = [v.value for v in value.variables]
    rows = [[shorten(row[n]).replace("\n", "\\n") for n in names] for row in value]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(names), rule] + [line(r) for r in rows] + [f"({len(rows)} row{'s' * (len(rows) != 1)})"])
