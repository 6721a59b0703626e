"""What a claims table may name: prefixes, the declared entities, and which predicates take literals.
(The Turtle files are read with pyoxigraph: the server imports this module, and no rdflib.)

Which predicates take a literal object is read from the ontology (owl:DatatypeProperty, a literal
rdfs:range, or rdfs:subPropertyOf such a property); the one table in code, LITERAL_TERMS, covers
the terms of standard vocabularies that the ontology reuses without restating their range.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph.syntax import syntax_error

# Reused vocabulary terms whose object is a literal (their own specifications say so).
LITERAL_TERMS = frozenset(ns.SKOS + t for t in (
    "prefLabel", "altLabel", "hiddenLabel", "definition", "note", "scopeNote", "example",
    "editorialNote", "historyNote", "changeNote")) | {ns.RDFS + "label", ns.RDFS + "comment"}
# Standard terms a claim may use as its predicate without the ontology declaring them.
STANDARD_PREDICATES = frozenset({ns.RDF + "type", ns.RDFS + "subClassOf"}) | LITERAL_TERMS
# The claim's own structure: never the statement a claim records.
STRUCTURE = frozenset({ns.RDF + "subject", ns.RDF + "predicate", ns.RDF + "object", ns.TG + "stance",
                       ns.TG + "qualification", ns.TG + "evidence", ns.PROV + "wasDerivedFrom"})
RDF_TYPE, RANGE, SUB_PROPERTY = ns.RDF + "type", ns.RDFS + "range", ns.RDFS + "subPropertyOf"
PROPERTY_KINDS = (ns.OWL + "ObjectProperty", ns.OWL + "DatatypeProperty", ns.OWL + "AnnotationProperty",
                  ns.RDF + "Property")
KIND_WORDS = {ns.CONCEPT: "concepts", ns.SYSTEM: "systems", ns.ORG: "organisations", ns.SOURCE: "sources"}
LITERAL_RANGES = {ns.RDFS + "Literal", ns.RDF + "langString", ns.RDF + "PlainLiteral"}


class CurieError(ValueError):
    """A cell that should name a resource does not (the message says how to write it)."""


def expand(curie: str) -> str:
    """`concept:foundation-model` -> its IRI; a full http(s) IRI is kept as it is."""
    if curie.startswith(("http://", "https://")):
        return curie
    prefix, colon, local = curie.partition(":")
    if not colon or not local or " " in curie:
        raise CurieError(f"{curie!r} is not a CURIE (write prefix:name, e.g. concept:foundation-model)")
    if prefix not in ns.PREFIXES:
        known = ", ".join(sorted(ns.PREFIXES))
        raise CurieError(f"{curie!r} uses the unknown prefix {prefix!r} (use one of {known})")
    return ns.PREFIXES[prefix] + local


def shorten(iri: str) -> str:
    """An IRI as a CURIE with termgraph's prefixes (the longest namespace that fits), else as it is."""
    best = max((p for p, base in ns.PREFIXES.items() if iri.startswith(base) and len(iri) > len(base)),
               key=lambda p: len(ns.PREFIXES[p]), default=None)
    return f"{best}:{iri[len(ns.PREFIXES[best]):]}" if best else iri


@dataclass
class Vocabulary:
    """The resources the ontology and the curated data declare, and where each kind is declared."""

    declared: set[str] = field(default_factory=set)  # IRIs with an rdf:type
    properties: set[str] = field(default_factory=set)
    literal_predicates: set[str] = field(default_factory=set)
    home: dict[str, str] = field(default_factory=dict)  # namespace -> file where its terms are declared
    sources: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # IRI -> (text file, SHA-256)

    def is_literal(self, predicate: str) -> bool:
        return predicate in self.literal_predicates

    def is_predicate(self, predicate: str) -> bool:
        if predicate in STRUCTURE or predicate.startswith(ns.OA):
            return False
        return predicate in self.properties or predicate in STANDARD_PREDICATES

    def predicate_suggestion(self, iri: str) -> str | None:
        known = sorted(shorten(p) for p in self.properties | STANDARD_PREDICATES if self.is_predicate(p))
        close = difflib.get_close_matches(shorten(iri), known, n=1, cutoff=0.75)
        return close[0] if close else None

    def suggestion(self, iri: str) -> str | None:
        base = next((b for b in sorted(ns.PREFIXES.values(), key=len, reverse=True) if iri.startswith(b)), "")
        same = sorted(d[len(base):] for d in self.declared if base and d.startswith(base) and len(d) > len(base))
        close = difflib.get_close_matches(iri[len(base):], same, n=1, cutoff=0.8)
        return shorten(base + close[0]) if close else None

    def where_to_declare(self, iri: str) -> str:
        """How to declare a new term like iri: 'add new concepts to data/curated/concepts.ttl'."""
        base = next((b for b in sorted(self.home, key=len, reverse=True) if iri.startswith(b)), None)
        if base is None:
            return "declare it in data/curated/ or the ontology, or use a declared term"
        return f"add new {KIND_WORDS.get(base, 'terms')} to {self.home[base]}"


class Triples:
    """One Turtle file's (or several files') triples, as IRI strings, indexed by predicate."""

    def __init__(self) -> None:
        self.by_predicate: dict[str, list[tuple[ox.NamedNode | ox.BlankNode, object]]] = {}

    def add(self, quads) -> Triples:
        for q in quads:
            self.by_predicate.setdefault(q.predicate.value, []).append((q.subject, q.object))
        return self

    def pairs(self, predicate: str) -> list[tuple[object, object]]:
        return self.by_predicate.get(predicate, [])

    def subjects(self, predicate: str, obj: str | None = None) -> list[object]:
        """The subjects with predicate (and, given, the IRI obj as its object)."""
        return [s for s, o in self.pairs(predicate) if obj is None or (isinstance(o, ox.NamedNode) and o.value == obj)]

    def value(self, subject, predicate: str) -> str | None:
        return next((o.value for s, o in self.pairs(predicate) if s == subject), None)


def literal_predicates(onto: Triples) -> set[str]:
    found = {p.value for p in onto.subjects(RDF_TYPE, ns.OWL + "DatatypeProperty")} | set(LITERAL_TERMS)
    found |= {p.value for r in LITERAL_RANGES for p in onto.subjects(RANGE, r)}
    found |= {p.value for p, r in onto.pairs(RANGE) if isinstance(r, ox.NamedNode) and r.value.startswith(ns.XSD)}
    changed = True
    while changed:  # sub-properties of a literal property take literals too
        more = {p.value for p, parent in onto.pairs(SUB_PROPERTY) if parent.value in found}
        changed = not more <= found
        found |= more
    return found


def declaration_homes(graphs: dict[str, Triples]) -> dict[str, str]:
    """For each namespace of ours, the file that declares most of its terms."""
    counts: dict[tuple[str, str], int] = {}
    for name, graph in graphs.items():
        for s in {s.value for s in graph.subjects(RDF_TYPE)}:
            base = next((b for b in (ns.CONCEPT, ns.SYSTEM, ns.ORG, ns.SOURCE) if s.startswith(b)), None)
            if base:
                counts[(base, name)] = counts.get((base, name), 0) + 1
    homes: dict[str, str] = {}
    for (base, name), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        homes.setdefault(base, name)
    return homes


def parse(path: Path, graph: Triples | None = None) -> Triples:
    """Parse one Turtle file; a syntax error raises DataSyntaxError naming the file."""
    graph = Triples() if graph is None else graph
    try:
        return graph.add(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except (SyntaxError, OSError, ValueError) as exc:
        raise syntax_error(path, exc) from None


def load_vocabulary(root: Path) -> Vocabulary:
    """Read ontology/*.ttl and data/curated/*.ttl under root."""
    onto, graphs = Triples(), {}
    for path in sorted((root / "ontology").glob("*.ttl")):
        parse(path, onto)
    for path in sorted((root / "data" / "curated").glob("*.ttl")):
        graphs[f"data/curated/{path.name}"] = parse(path)
    vocab = Vocabulary(literal_predicates=literal_predicates(onto), home=declaration_homes(graphs))
    vocab.properties = {p.value for kind in PROPERTY_KINDS for p in onto.subjects(RDF_TYPE, kind)}
    for graph in [onto, *graphs.values()]:
        vocab.declared |= {s.value for s in graph.subjects(RDF_TYPE) if isinstance(s, ox.NamedNode)}
        for source in graph.subjects(RDF_TYPE, ns.TG + "Source"):
            sha = graph.value(source, ns.TG + "textSha256")
            name = graph.value(source, ns.DCTERMS + "identifier")
            vocab.sources[source.value] = (name or "", sha)
    return vocab
