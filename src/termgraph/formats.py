"""The one format registry (FORMATS: name, media type, file suffix, pyoxigraph format, kinds,
aliases), from which every table of formats in termgraph derives, and serialisation with
pyoxigraph's own serialisers (JSON-LD made compact, with an @context).

Serialisation writes into a CappedWriter, so that a result larger than the cap stops with
ResultTooLarge instead of filling memory.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.errors import ResultTooLarge

SOLUTIONS, GRAPH, DATASET, PAGE = "solutions", "graph", "dataset", "page"
W3C_FORMATS = ns.FORMATS


@dataclass(frozen=True)
class Format:
    """One serialisation: every table of formats in termgraph derives from FORMATS below."""

    name: str  # the short name, for ?format= and the CLI's --format
    media_type: str
    suffix: str  # file suffix, without the dot
    kinds: frozenset[str]  # which results it can carry: solutions, graph (triples), dataset (quads)
    ox: object = None  # the pyoxigraph format (RdfFormat or QueryResultsFormat); None for HTML
    aliases: tuple[str, ...] = ()  # other media types clients send for it
    names: tuple[str, ...] = ()  # other short names
    suffixes: tuple[str, ...] = ()  # other file suffixes read as this format
    w3c: str | None = None  # its IRI under http://www.w3.org/ns/formats/ (service description)

    def can_carry(self, kind: str) -> bool:
        return kind in self.kinds


QRF, RDF = ox.QueryResultsFormat, ox.RdfFormat
FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", frozenset({SOLUTIONS}), QRF.JSON,
           ("application/json",), w3c="SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "srx", frozenset({SOLUTIONS}), QRF.XML,
           ("application/xml", "text/xml"), w3c="SPARQL_Results_XML"),
    Format("csv", "text/csv", "csv", frozenset({SOLUTIONS}), QRF.CSV, w3c="SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", frozenset({SOLUTIONS}), QRF.TSV, w3c="SPARQL_Results_TSV"),
    Format("turtle", "text/turtle", "ttl", frozenset({GRAPH}), RDF.TURTLE, ("application/x-turtle",),
           ("ttl",), w3c="Turtle"),
    Format("ntriples", "application/n-triples", "nt", frozenset({GRAPH}), RDF.N_TRIPLES, ("text/plain",),
           ("nt",), w3c="N-Triples"),
    Format("n3", "text/n3", "n3", frozenset({GRAPH}), RDF.N3, ("text/rdf+n3",), w3c="N3"),
    Format("jsonld", "application/ld+json", "jsonld", frozenset({GRAPH, DATASET}), RDF.JSON_LD,
           ("application/json", "application/json+ld"), ("json-ld",), (".json",), w3c="JSON-LD"),
    Format("rdfxml", "application/rdf+xml", "rdf", frozenset({GRAPH}), RDF.RDF_XML, ("application/xml",),
           ("rdf",), (".owl", ".xml"), w3c="RDF_XML"),
    Format("trig", "application/trig", "trig", frozenset({DATASET}), RDF.TRIG, w3c="TriG"),
    Format("nquads", "application/n-quads", "nq", frozenset({DATASET}), RDF.N_QUADS, names=("nq",),
           w3c="N-Quads"),
    Format("html", "text/html", "html", frozenset({PAGE}), None, ("application/xhtml+xml",)),
)
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
BY_NAME = {n: f for f in FORMATS for n in (f.name, f.media_type, *f.names)}


def of_kind(kind: str) -> list[Format]:
    return [f for f in FORMATS if f.can_carry(kind)]


def media_types(kind: str) -> list[str]:
    """The media types that can carry `kind`, in the server's order of preference."""
    return [f.media_type for f in of_kind(kind)]


def by_suffix(suffix: str) -> Format | None:
    """The RDF format of a file suffix ('.ttl', '.jsonld', '.owl' …); None if not RDF."""
    suffix = suffix.lower()
    for f in FORMATS:
        if f.ox is not None and isinstance(f.ox, ox.RdfFormat) and suffix in ("." + f.suffix, *f.suffixes):
            return f
    return None


def rdf_suffixes() -> list[str]:
    return sorted({s for f in FORMATS if isinstance(f.ox, ox.RdfFormat) for s in ("." + f.suffix, *f.suffixes)})


def format_names(kind: str) -> list[str]:
    return [f.name for f in of_kind(kind)]


SOLUTION_FORMATS = {f.media_type: f.ox for f in of_kind(SOLUTIONS)}  # SELECT and ASK
GRAPH_FORMATS = {f.media_type: f.ox for f in of_kind(GRAPH)}  # CONSTRUCT, DESCRIBE, one graph
DATASET_FORMATS = {f.media_type: f.ox for f in of_kind(DATASET)}  # quads: graphs kept


class CappedWriter(io.RawIOBase):
    """A binary sink that keeps what is written, up to a cap. Past the cap it accepts nothing
    more (a short write, which ends the serialiser with an OSError) and sets `overflow`; it never
    raises inside the serialiser, whose caller would only print such an exception."""

    def __init__(self, cap: int):
        self.cap, self.size, self.chunks, self.overflow = cap, 0, [], False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.overflow or self.size + len(data) > self.cap:
            self.overflow = True
            return 0
        self.size += len(data)
        self.chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def too_large(cap: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than {cap} bytes; narrow the query or add LIMIT")


def capped(cap: int, write) -> bytes:
    """Run write(out) into a CappedWriter; ResultTooLarge past `cap` bytes."""
    out = CappedWriter(cap)
    fill(out, cap, write)
    return out.getvalue()


def fill(out, cap: int, write) -> None:
    """Run write(out) into a capped sink (one that takes nothing past `cap` and sets `overflow`:
    a CappedWriter, or a worker's SpoolWriter); ResultTooLarge past `cap` bytes."""
    try:
        write(out)
    except OSError:
        if out.overflow:
            raise too_large(cap) from None
        raise
    if out.overflow:
        raise too_large(cap)


# Formats with no prefix syntax: a CONSTRUCT or DESCRIBE result is written by pyoxigraph's own
# serialiser of query triples, without a round trip through Python objects per triple.
NO_PREFIXES = {RDF.N_TRIPLES, RDF.N_QUADS}


def serialize_result(form: str, value, media_type: str, cap: int) -> bytes:
    """Serialise a query result natively into `media_type`, failing past `cap` bytes."""
    out = CappedWriter(cap)
    write_result(form, value, media_type, out, cap)
    return out.getvalue()


def write_result(form: str, value, media_type: str, out, cap: int) -> None:
    """Write a query result into the capped sink `out` as the serialiser produces it (natively
    where pyoxigraph can; a format with prefixes, or JSON-LD compacted, is written whole)."""
    if isinstance(value, ox.QueryBoolean):
        body = boolean_result(media_type, bool(value))
        if len(body) > cap:
            raise too_large(cap)
        return fill(out, cap, lambda sink: sink.write(body))
    if form in ("SELECT", "ASK"):
        return fill(out, cap, lambda sink: value.serialize(sink, SOLUTION_FORMATS[media_type]))
    if isinstance(value, ox.QueryTriples) and BY_MEDIA_TYPE[media_type].ox in NO_PREFIXES:
        return fill(out, cap, lambda sink: value.serialize(sink, BY_MEDIA_TYPE[media_type].ox))
    body = serialize_rdf(value, media_type, cap)
    fill(out, cap, lambda sink: sink.write(body))


@functools.lru_cache(maxsize=2)
def ask_answer(value: bool) -> ox.QueryBoolean:
    """The engine's own answer to an ASK, true or false (pyoxigraph makes no QueryBoolean
    otherwise): for an ASK answered without the engine (bounded.ask_by_lookup)."""
    return ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")


@functools.lru_cache(maxsize=None)
def boolean_result(media_type: str, value: bool) -> bytes:
    """An ASK answer in a results format: pyoxigraph's own bytes for true or false, written once
    per format (the serialiser's call costs more than the query of a one-pattern ASK)."""
    return capped(1 << 20, lambda out: ask_answer(value).serialize(out, SOLUTION_FORMATS[media_type]))


def serialize_rdf(items, media_type: str, cap: int = 1 << 62, prefixes: dict[str, str] = ns.PREFIXES) -> bytes:
    """Triples or quads in an RDF format; JSON-LD is compacted with an @context of `prefixes`."""
    fmt = BY_MEDIA_TYPE[media_type].ox
    body = capped(cap, lambda out: ox.serialize(items, out, fmt, prefixes=prefixes))
    if fmt == ox.RdfFormat.JSON_LD:
        body = compact_jsonld(body, prefixes)
        if len(body) > cap:
            raise too_large(cap)
    return body


def compact_iri(iri: str, prefixes: dict[str, str], used: set[str]) -> str:
    """prefix:local for an IRI under a prefix (never a local part JSON-LD would read as an IRI)."""
    for p, base in prefixes.items():
        local = iri[len(base):]
        if iri.startswith(base) and local and not local.startswith("//") and ":" not in p:
            used.add(p)
            return f"{p}:{local}"
    return iri


def compact_node(node, prefixes: dict[str, str], used: set[str]):
    if isinstance(node, list):
        return [compact_node(n, prefixes, used) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("@id", "@type") and isinstance(value, str) and not value.startswith("_:"):
            value = compact_iri(value, prefixes, used)
        elif key == "@type" and isinstance(value, list):
            value = [compact_iri(v, prefixes, used) for v in value]
        elif not key.startswith("@"):
            key, value = compact_iri(key, prefixes, used), compact_node(value, prefixes, used)
        else:
            value = compact_node(value, prefixes, used)
        out[key] = value
    return out


def compact_jsonld(expanded: bytes, prefixes: dict[str, str] = ns.PREFIXES) -> bytes:
    """Expanded JSON-LD (as pyoxigraph writes it) in compact form: {"@context": {prefixes used},
    "@graph": [...]}, IRIs as prefix:local. It reads back as exactly the same triples or quads."""
    used: set[str] = set()
    graph = compact_node(json.loads(expanded), prefixes, used)
    context = {p: prefixes[p] for p in sorted(used)}
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
