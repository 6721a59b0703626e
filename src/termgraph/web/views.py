"""What the graph says about one resource: for term pages (HTML) and their RDF forms."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns

P = ns.sparql_prefixes()

CLAIMS_ABOUT = P + """
SELECT ?this ?claim ?s ?p ?o ?stance ?qualification ?source ?quote ?note ?sLabel ?pLabel ?oLabel ?sourceLabel WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; tg:stance ?stance ;
         prov:wasDerivedFrom ?source ; tg:evidence/oa:hasSelector/oa:exact ?quote .
  FILTER (?s = ?this || ?o = ?this || ?source = ?this || ?claim = ?this)
  OPTIONAL { ?claim tg:qualification ?qualification }
  OPTIONAL { ?claim skos:editorialNote ?note }
  OPTIONAL { ?s rdfs:label ?sLabel }
  OPTIONAL { ?p rdfs:label ?pLabel }
  OPTIONAL { ?o rdfs:label ?oLabel }
  OPTIONAL { ?source rdfs:label ?sourceLabel }
}
ORDER BY ?source ?claim
"""

CONSTRUCT_RESOURCE = P + """
CONSTRUCT {
  ?this ?p ?o .
  ?claim ?cp ?co . ?ev ?ep ?eo . ?sel ?sp ?so .
} WHERE {
  { GRAPH ?g { ?this ?p ?o } FILTER (!STRSTARTS(STR(?g), "https://w3id.org/termgraph/source/")) }
  UNION
  { ?claim a tg:Claim ; ?cp ?co .
    FILTER EXISTS { { ?claim rdf:subject ?this } UNION { ?claim rdf:object ?this } UNION { FILTER (?claim = ?this) } }
    OPTIONAL { ?claim tg:evidence ?ev . ?ev ?ep ?eo . OPTIONAL { ?ev oa:hasSelector ?sel . ?sel ?sp ?so } } }
}
"""


@dataclass
class ClaimView:
    iri: str
    subject: object
    predicate: str
    object: object
    stance: str
    qualification: str | None
    source: str
    quote: str
    note: str | None
    labels: dict = field(default_factory=dict)

    @property
    def subject_label(self) -> str:
        return self.labels.get("sLabel") or self.subject.value

    @property
    def subject_iri(self) -> str | None:
        return self.subject.value if isinstance(self.subject, ox.NamedNode) else None

    @property
    def object_iri(self) -> str | None:
        return self.object.value if isinstance(self.object, ox.NamedNode) else None


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[str]
    properties: list[tuple[str, object, bool]]  # (predicate IRI, term, term is an IRI)
    claims: list[ClaimView]
    labels: dict[str, str] = field(default_factory=dict)  # labels of the IRIs in `properties`

    def definitions(self) -> list[ClaimView]:
        return [c for c in self.claims if c.predicate == ns.SKOS + "definition" and c.subject.value == self.iri]

    def values(self, predicate: str) -> list[str]:
        return [o.value for p, o, _ in self.properties if p == predicate]


def value(term):
    return term.value if term is not None else None


def claims_about(store: ox.Store, iri: str) -> list[ClaimView]:
    rows = store.query(CLAIMS_ABOUT, use_default_graph_as_union=True, substitutions={ox.Variable("this"): ox.NamedNode(iri)})
    seen: dict[str, ClaimView] = {}
    for r in rows:
        c = seen.get(r["claim"].value)
        if c is None:
            c = seen[r["claim"].value] = ClaimView(
                r["claim"].value, r["s"], r["p"].value, r["o"], r["stance"].value, value(r["qualification"]),
                r["source"].value, r["quote"].value, value(r["note"]))
        for key in ("sLabel", "pLabel", "oLabel", "sourceLabel"):
            if r[key] is not None:
                c.labels[key] = r[key].value
    return list(seen.values())


def resource(store: ox.Store, iri: str) -> ResourceView | None:
    node = ox.NamedNode(iri)
    # What the curated data (and the ontology, and users' files) say; a source's view is shown
    # through its claims instead, with the source's stance and quote.
    props = sorted({(q.predicate.value, q.object, isinstance(q.object, ox.NamedNode))
                    for q in store.quads_for_pattern(node, None, None, None)
                    if not q.graph_name.value.startswith(ns.SOURCE)}, key=lambda po: (po[0], str(po[1])))
    claims = claims_about(store, iri)
    if not props and not claims:
        return None
    labels = [o.value for p, o, _ in props if p in (ns.SKOS + "prefLabel", ns.RDFS + "label")]
    types = sorted({o.value for p, o, _ in props if p == ns.RDF + "type"})
    linked = {o.value: label_of(store, o) for _, o, is_iri in props if is_iri}
    return ResourceView(iri, labels[0] if labels else iri.rsplit("/", 1)[-1], types, props, claims,
                        {k: v for k, v in linked.items() if v})


def label_of(store: ox.Store, node: ox.NamedNode) -> str | None:
    for q in store.quads_for_pattern(node, ox.NamedNode(ns.RDFS + "label"), None, None):
        return q.object.value
    return None


def resource_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    result = store.query(CONSTRUCT_RESOURCE, use_default_graph_as_union=True,
                         substitutions={ox.Variable("this"): ox.NamedNode(iri)})
    return sorted(set(result), key=str)
