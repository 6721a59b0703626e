"""Readable titles and one-sentence summaries for disagreements, from the labels in the data.

Sources are named by their short title (tg:shortTitle), terms by their preferred label, relations
by their rdfs:label; whatever lacks a label is named by the end of its IRI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns

LABELS = ns.sparql_prefixes() + """
SELECT ?x ?label WHERE { ?x $property ?label FILTER (LANG(?label) = "en") } ORDER BY ?x ?label
"""
TERMS = ns.sparql_prefixes() + "SELECT DISTINCT ?x WHERE { { ?x a tg:Concept } UNION { ?x a tg:AISystem } }"
# Which label names a thing: a short title first, then a preferred label, then rdfs:label.
LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "tg:shortTitle")

# How a stance reads in a sentence, and in a title's answer.
VERB = {"Asserts": ("states", "state"), "Denies": ("denies", "deny"),
        "Hedged": ("states with a hedge", "state with a hedge"), "Partial": ("holds only in part", "hold only in part"),
        "Conditional": ("holds only under a condition", "hold only under a condition"),
        "Qualifies": ("qualifies", "qualify")}
ANSWER = {"Asserts": "yes", "Denies": "no", "Hedged": "perhaps", "Partial": "only in part",
          "Conditional": "only under a condition", "Qualifies": "with qualification"}
LEAD = {
    "OppositeStances": "Sources take opposite stances on one statement",
    "IncompatibleRelations": "Sources relate these terms in ways that cannot all hold",
    "DifferentValues": "Sources give different answers to the same question",
    "MembershipExcluded": "One source places a system in a category that another source's claims exclude it from",
    "HedgingDifference": "Sources state the same thing with different firmness (not a real disagreement)",
    "WithinOneSource": "One source says things that cannot all hold",
}


@dataclass(frozen=True)
class ClaimFact:
    claim: str
    s: object
    p: str
    o: object
    stance: str  # full IRI
    qualification: str | None
    source: str

    @property
    def position(self) -> str:
        """Asserts, Denies, or the qualification (Hedged, Partial, Conditional)."""
        return local(self.qualification) if self.qualification else local(self.stance)


@dataclass
class Names:
    labels: dict[str, str] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)

    def of(self, term) -> str:
        if isinstance(term, ox.Literal):
            return f"\u201c{term.value}\u201d"
        return self.labels.get(term.value if hasattr(term, "value") else term) or local(str(getattr(term, "value", term)))


def local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def read_names(store: ox.Store) -> Names:
    """English labels; a later property in LABEL_PROPERTIES wins over an earlier one."""
    names = Names()
    for prop in LABEL_PROPERTIES:
        for r in store.query(LABELS.replace("$property", prop), use_default_graph_as_union=True):
            names.labels[r["x"].value] = r["label"].value
    names.terms = {r["x"].value for r in store.query(TERMS, use_default_graph_as_union=True)}
    return names


def terms_of(claims: list[ClaimFact], names: Names) -> list[ox.NamedNode]:
    """The concepts and systems the claims are about (subjects and objects); when none of them
    is typed as one, every resource they are about."""
    resources = {t.value for c in claims for t in (c.s, c.o) if isinstance(t, ox.NamedNode)}
    terms = {t for t in resources if t in names.terms} or resources
    return [ox.NamedNode(t) for t in sorted(terms)]


def question(c: ClaimFact, names: Names) -> str:
    if c.p == ns.RDF + "type":
        return f"Is {names.of(c.s)} a {names.of(c.o)}?"
    if c.p == ns.RDFS + "subClassOf":
        return f"Is every {names.of(c.s)} a {names.of(c.o)}?"
    return f"Does it hold that {statement(c, names)}?"


def statement(c: ClaimFact, names: Names) -> str:
    if c.p == ns.RDF + "type":
        return f"{names.of(c.s)} is a {names.of(c.o)}"
    if c.p == ns.RDFS + "subClassOf":
        return f"every {names.of(c.s)} is a {names.of(c.o)}"
    return f"{names.of(c.s)} \u2014 {names.of(c.p)} \u2014 {names.of(c.o)}"


def sources(cs: list[ClaimFact], names: Names) -> str:
    return join(sorted({names.of(c.source) for c in cs}))


def join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def positions(claims: list[ClaimFact], names: Names) -> list[str]:
    """'CSET and 004 state that every LLM is a generative AI', one per statement and stance."""
    groups: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for c in claims:
        groups[(statement(c, names), c.position)].append(c)
    order = list(VERB)
    keys = sorted(groups, key=lambda k: (order.index(k[1]) if k[1] in order else 9, k[0]))
    return [f"{sources(groups[k], names)} {verb(k[1], groups[k])} that {k[0]}" for k in keys]


def verb(position: str, claims: list[ClaimFact]) -> str:
    singular, plural = VERB.get(position, VERB["Qualifies"])
    return singular if len({c.source for c in claims}) == 1 else plural


def summary(kind: str, claims: list[ClaimFact], names: Names) -> str:
    return f"{LEAD.get(kind, 'Sources disagree')}: {'; '.join(positions(claims, names))}."


def answers(claims: list[ClaimFact], names: Names) -> str:
    by: dict[str, list[ClaimFact]] = defaultdict(list)
    for c in claims:
        by[c.position].append(c)
    order = list(ANSWER)
    parts = [f"{sources(by[k], names)} {'say' if len({c.source for c in by[k]}) > 1 else 'says'} {ANSWER.get(k, k)}"
             for k in sorted(by, key=lambda k: order.index(k) if k in order else 9)]
    return ", ".join(parts)


def title(kind: str, claims: list[ClaimFact], names: Names) -> str:
    first = min(claims, key=lambda c: c.claim)
    if kind in ("OppositeStances", "HedgingDifference"):
        return f"{question(first, names)} {answers(claims, names)}"
    if kind == "DifferentValues":
        values = "; ".join(f"{sources(cs, names)}: {join(sorted({names.of(c.o) for c in cs}))}"
                           for cs in by_source(claims).values())
        return f"What is the {names.of(first.p)} of {names.of(first.s)}? {values}"
    if kind == "MembershipExcluded":
        denied = [c for c in claims if c.position == "Denies"]
        subject = denied[0] if denied else first
        return f"{question(subject, names)} {answers(claims, names)}"
    pair = join(sorted({names.of(t) for t in terms_of(claims, names)}))
    if kind == "WithinOneSource":
        return f"{sources(claims, names)} says things about {pair} that cannot all hold"
    return f"How do {pair} relate? Sources disagree ({sources(claims, names)})"


def by_source(claims: list[ClaimFact]) -> dict[str, list[ClaimFact]]:
    out: dict[str, list[ClaimFact]] = defaultdict(list)
    for c in sorted(claims, key=lambda c: c.source):
        out[c.source].append(c)
    return out


def describe(kind_iri: str, claims: list[ClaimFact], names: Names) -> tuple[str, str]:
    """(title, one-sentence summary) of a disagreement of this kind over these claims."""
    kind = local(kind_iri)
    return title(kind, claims, names), summary(kind, claims, names)
