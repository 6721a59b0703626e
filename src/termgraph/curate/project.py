"""What a project root already knows: its entities (with every label) and its vocabulary.

Read from the ontology and the curated Turtle only (never from any source's claims), so that a
drafted article is matched against curated knowledge, not against what it said itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.errors import TermgraphError

KINDS = {ns.TG + "Concept": "concept", ns.TG + "AISystem": "system", ns.SCHEMA + "Organization": "org"}
LABELS = (ns.RDFS + "label", ns.SKOS + "prefLabel", ns.SKOS + "altLabel", ns.SCHEMA + "name")
# Reused vocabulary whose objects are literals (the ontology declares them annotation properties,
# which says nothing about their range): read after the ontology's own datatype properties.
LITERAL_VOCABULARY = frozenset({ns.SKOS + "altLabel", ns.SKOS + "prefLabel", ns.SKOS + "definition",
                                ns.SKOS + "note", ns.SKOS + "example", ns.RDFS + "label",
                                ns.RDFS + "comment", ns.SCHEMA + "name"})


class UnknownCurie(TermgraphError):
    status = 400
    exit_code = 1


@dataclass
class Entity:
    iri: str
    kind: str  # concept | system | org
    labels: list[str] = field(default_factory=list)

    @property
    def curie(self) -> str:
        return curie(self.iri)


@dataclass
class Project:
    root: Path
    entities: dict[str, Entity]  # by IRI
    literal_predicates: frozenset[str]
    resource_predicates: frozenset[str]

    def takes_literal(self, predicate_iri: str) -> bool:
        return predicate_iri in self.literal_predicates or (
            predicate_iri not in self.resource_predicates and predicate_iri.startswith(ns.SKOS))


def curie(iri: str) -> str:
    for prefix, base in sorted(ns.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(base) and "/" not in iri[len(base):] and "#" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"


def expand(text: str) -> str:
    """The IRI of a CURIE (`concept:foundation-model`) or of `<…>`; UnknownCurie otherwise."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if not sep or prefix not in ns.PREFIXES:
        known = ", ".join(sorted(ns.PREFIXES))
        raise UnknownCurie(f"{text!r} is not a CURIE with a known prefix ({known})")
    return ns.PREFIXES[prefix] + local


def load_curated(root: Path) -> ox.Store:
    store = ox.Store()
    files = sorted((root / "ontology").glob("*.ttl")) + sorted((root / "data/curated").glob("*.ttl"))
    for path in files:
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, OSError) as exc:
            raise TermgraphError(f"{path}: {exc}") from None
    return store


def read_entities(store: ox.Store) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for cls, kind in KINDS.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(cls)):
            if isinstance(quad.subject, ox.NamedNode):
                entities.setdefault(quad.subject.value, Entity(quad.subject.value, kind))
    for entity in entities.values():
        seen = set()
        for prop in LABELS:
            for quad in store.quads_for_pattern(ox.NamedNode(entity.iri), ox.NamedNode(prop), None):
                if isinstance(quad.object, ox.Literal) and quad.object.value not in seen:
                    seen.add(quad.object.value)
                    entity.labels.append(quad.object.value)
    return entities


def typed(store: ox.Store, cls: str) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(cls))
            if isinstance(q.subject, ox.NamedNode)}


def load_project(root: Path) -> Project:
    store = load_curated(root)
    literal = typed(store, ns.OWL + "DatatypeProperty") | LITERAL_VOCABULARY
    for prop in typed(store, ns.OWL + "AnnotationProperty"):  # e.g. a sub-property of skos:note
        parents = store.quads_for_pattern(ox.NamedNode(prop), ox.NamedNode(ns.RDFS + "subPropertyOf"), None)
        if any(q.object.value in LITERAL_VOCABULARY for q in parents):
            literal.add(prop)
    resource = typed(store, ns.OWL + "ObjectProperty") | {ns.RDF + "type", ns.RDFS + "subClassOf"}
    return Project(root, read_entities(store), frozenset(literal), frozenset(resource - literal))
