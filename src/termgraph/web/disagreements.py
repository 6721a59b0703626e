"""The disagreements, derived and curated, read from the graph for the pages and the viewer.

Nothing here decides what is contested: the disagreements graph does (its rules run at load, or a
curator wrote them). This module reads `tg:Disagreement` resources and groups their claims. A
hedging difference (tg:HedgingDifference: the same thing said with different firmness) is kept in
the graph but is no disagreement: `cached` gives the real disagreements, which every page marks as
"sources disagree"; `firmness` gives the hedging differences, shown apart; `every` both, for
resolving an IRI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.web import views

GRAPH = ns.GRAPH + "disagreements"
HEDGING = ns.TG + "HedgingDifference"
ALL = views.P + """
SELECT ?d ?label ?description ?kind ?kindLabel ?kindDefinition ?claim ?about ?rule ?ruleLabel ?curated ?note
WHERE { GRAPH <%s> {
  ?d a tg:Disagreement .
  OPTIONAL { ?d rdfs:label ?label } OPTIONAL { ?d dcterms:description ?description }
  OPTIONAL { ?d tg:disagreementKind ?kind } OPTIONAL { ?d tg:hasClaim ?claim } OPTIONAL { ?d tg:about ?about }
  OPTIONAL { ?d tg:foundByRule ?rule } OPTIONAL { ?d tg:curated ?curated } OPTIONAL { ?d skos:editorialNote ?note }
 }
 OPTIONAL { ?kind skos:prefLabel ?kindLabel } OPTIONAL { ?kind skos:definition ?kindDefinition }
 OPTIONAL { ?rule rdfs:label ?ruleLabel }
} ORDER BY ?d
""" % GRAPH


@dataclass
class Disagreement:
    iri: str
    label: str = ""
    description: str = ""
    kind: str = ""
    kind_label: str = ""
    kind_definition: str = ""
    claims: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    rule: str | None = None
    rule_label: str | None = None
    curated: bool = False
    note: str | None = None

    @property
    def real(self) -> bool:
        """A real disagreement: both sides cannot hold (a hedging difference is not one)."""
        return self.kind != HEDGING

    @property
    def path(self) -> str:
        return "/" + self.iri[len(ns.BASE):] if self.iri.startswith(ns.BASE) else self.iri


def kind_words(iri: str) -> str:
    """tg:OppositeStances -> 'opposite stances' when the ontology gives no label."""
    from termgraph.wording import local_words
    return local_words(iri)


def read(store: ox.Store) -> list[Disagreement]:
    found: dict[str, Disagreement] = {}
    for r in store.query(ALL):
        iri = r["d"].value
        d = found.get(iri) or found.setdefault(iri, Disagreement(iri))
        for attr, key in (("label", "label"), ("description", "description"), ("kind", "kind"),
                          ("kind_label", "kindLabel"), ("kind_definition", "kindDefinition"),
                          ("rule", "rule"), ("rule_label", "ruleLabel"), ("note", "note")):
            if r[key] is not None and not getattr(d, attr):
                setattr(d, attr, r[key].value)
        if r["curated"] is not None and r["curated"].value in ("true", "1"):
            d.curated = True
        for attr, key in (("claims", "claim"), ("about", "about")):
            if r[key] is not None and r[key].value not in getattr(d, attr):
                getattr(d, attr).append(r[key].value)
    for d in found.values():
        d.kind_label = d.kind_label or (kind_words(d.kind) if d.kind else "disagreement")
        d.label = d.label or f"Sources disagree ({d.kind_label})"
        d.claims.sort()
        d.about.sort()
    return sorted(found.values(), key=lambda d: (d.label.lower(), d.iri))


def every(store: ox.Store, cache: dict) -> list[Disagreement]:
    """Every tg:Disagreement in the graph, hedging differences included."""
    if "disagreements" not in cache:
        cache["disagreements"] = read(store)
    return cache["disagreements"]


def cached(store: ox.Store, cache: dict) -> list[Disagreement]:
    """The real disagreements: what the pages call "sources disagree"."""
    return [d for d in every(store, cache) if d.real]


def firmness(store: ox.Store, cache: dict) -> list[Disagreement]:
    """The hedging differences: the same thing said with different firmness."""
    return [d for d in every(store, cache) if not d.real]


def by_claim(items: list[Disagreement]) -> dict[str, list[Disagreement]]:
    index: dict[str, list[Disagreement]] = {}
    for d in items:
        for c in d.claims:
            index.setdefault(c, []).append(d)
    return index


def find(items: list[Disagreement], iri: str) -> Disagreement | None:
    return next((d for d in items if d.iri == iri), None)


def kinds(items: list[Disagreement]) -> list[tuple[str, str]]:
    """(kind IRI, label) of the kinds that occur, by label."""
    return sorted({(d.kind, d.kind_label) for d in items if d.kind}, key=lambda kv: kv[1])


@dataclass
class Side:
    """The claims of one disagreement that say the same thing the same way."""
    title: str
    claims: list[views.ClaimView]


def sides(claims: list[views.ClaimView]) -> list[Side]:
    groups: dict[tuple, list[views.ClaimView]] = {}
    for c in sorted(claims, key=lambda c: (c.key, c.stance, c.qualification or "", c.source, c.iri)):
        groups.setdefault((c.key, c.stance, c.qualification), []).append(c)
    out = []
    for (_, stance, _), group in groups.items():
        c = group[0]
        answer, firmness = c.answer
        title = f"{c.subject_label} {c.relation} {c.object_label}"
        if stance == "qualifies":
            title += f" ({firmness})"
        out.append(Side(title, group))
    return out
