"""Readable titles and one-sentence summaries for disagreements, from the labels in the data.

Sources are named by their short title (tg:shortTitle), terms by their preferred label, relations
by their rdfs:label; whatever lacks a label is named by the end of its IRI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph import wording

LABELS = ns.sparql_prefixes() + """
SELECT ?x ?label WHERE { ?x $property ?label FILTER (LANG(?label) = "en") } ORDER BY ?x ?label
"""
TERMS = ns.sparql_prefixes() + "SELECT DISTINCT ?x WHERE { { ?x a tg:Concept } UNION { ?x a tg:AISystem } }"
# Why two positions can or cannot both be true: the table of stance compatibility's notes.
CELLS = ns.sparql_prefixes() + """
SELECT ?a ?b ?verdict ?why WHERE {
  ?cell a tg:StancePairing ; tg:firstPosition ?a ; tg:secondPosition ?b ; tg:verdict ?verdict .
  OPTIONAL { ?cell skos:scopeNote ?why FILTER (LANG(?why) = "en") }
}"""
# Which label names a thing: a short title first, then a preferred label, then rdfs:label.
LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "tg:shortTitle")

# How a stance reads in a sentence, and in a title's answer.
# (singular verb, plural verb, what follows the statement)
VERB = {"Asserts": ("states", "state", ""), "Denies": ("denies", "deny", ""),
        "Hedged": ("states with a hedge", "state with a hedge", ""),
        "Partial": ("says", "say", ", but only usually or in part"),
        "Conditional": ("says", "say", " under a condition"),
        "OnlyWhen": ("says", "say", " only under a condition, and not otherwise"),
        "Qualifies": ("qualifies", "qualify", "")}
ANSWER = {"Asserts": "yes", "Denies": "no", "Hedged": "perhaps", "Partial": "usually or in part",
          "Conditional": "under a condition", "OnlyWhen": "only under a condition", "Qualifies": "with qualification"}
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
    # frozenset of two positions (Asserts, Denies, Hedged, …) -> (verdict, why)
    cells: dict[frozenset, tuple[str, str]] = field(default_factory=dict)

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
    for r in store.query(CELLS, use_default_graph_as_union=True):
        names.cells[frozenset((local(r["a"].value), local(r["b"].value)))] = (
            local(r["verdict"].value), r["why"].value if r["why"] is not None else "")
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
    s, o, bare = plain(c, names)
    text = wording.relation(c.p).question.format(s=s, o=o, bare_o=bare)
    return text[0].upper() + text[1:]


def plain(c: ClaimFact, names: Names) -> tuple[str, str, str]:
    """The subject and object as a sentence names them (with an article), and the bare object."""
    bare = names.of(c.o)
    obj = bare if isinstance(c.o, ox.Literal) else wording.article(bare)
    return wording.article(names.of(c.s)), obj, bare


def statement(c: ClaimFact, names: Names) -> str:
    if c.p == ns.RDF + "type":
        return f"{names.of(c.s)} is a {names.of(c.o)}"
    if c.p == ns.RDFS + "subClassOf":
        return f"every {names.of(c.s)} is a {names.of(c.o)}"
    s, o, _ = plain(c, names)
    return f"{s} {wording.relation(c.p).says} {o}"


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
    return [f"{sources(groups[k], names)} {verb(k[1], groups[k])} that {k[0]}{VERB.get(k[1], VERB['Qualifies'])[2]}"
            for k in keys]


def verb(position: str, claims: list[ClaimFact]) -> str:
    singular, plural, _ = VERB.get(position, VERB["Qualifies"])
    return singular if len({c.source for c in claims}) == 1 else plural


def summary(kind: str, claims: list[ClaimFact], names: Names) -> str:
    """What each side says, and why both cannot hold (or, for a hedging difference, why both can)."""
    said = f"{LEAD.get(kind, 'Sources disagree')}: {'; '.join(positions(claims, names))}."
    reason = why(kind, claims, names)
    return f"{said} {reason}" if reason else said


def why(kind: str, claims: list[ClaimFact], names: Names) -> str:
    if kind in ("OppositeStances", "HedgingDifference", "WithinOneSource"):
        wanted = "HedgingDifference" if kind == "HedgingDifference" else "OppositeStances"
        held = sorted({c.position for c in claims})
        for a in held:
            for b in held:
                verdict, note = names.cells.get(frozenset((a, b)), ("", ""))
                if verdict == wanted and note:
                    return note
    if kind in ("IncompatibleRelations", "WithinOneSource"):
        relations = sorted({names.of(ox.NamedNode(c.p)) for c in claims})
        if len(relations) > 1:
            return f"The ontology's table of relations says {join(relations)} cannot both hold between the same two terms."
    if kind == "DifferentValues":
        first = min(claims, key=lambda c: c.claim)
        return f"A {names.of(ox.NamedNode(first.p))} has one value, and neither source gives the other's."
    if kind == "MembershipExcluded":
        link = next((c for c in claims if c.p == ns.RDFS + "subClassOf"), None)
        denied = next((c for c in claims if c.position == "Denies"), None)
        if link and denied:
            return (f"If every {names.of(link.s)} is a {names.of(link.o)}, whatever is a {names.of(link.s)} is a "
                    f"{names.of(link.o)}; {sources([denied], names)} says {names.of(denied.s)} is not.")
    return ""


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
        placed = [c for c in claims if c.p == ns.RDF + "type" and c.position != "Denies"]
        links = [c for c in claims if c.p == ns.RDFS + "subClassOf"]
        if not (denied and placed and links):
            return f"{question(subject, names)} {answers(claims, names)}"
        who = "" if {c.source for c in links} == {c.source for c in placed} else f"{sources(links, names)} "
        return (f"{question(subject, names)} {sources(denied, names)} "
                f"{'say' if len({c.source for c in denied}) > 1 else 'says'} no; {sources(placed, names)} "
                f"{'say' if len({c.source for c in placed}) > 1 else 'says'} it is a {names.of(placed[0].o)}, "
                f"and {who}that every {names.of(links[0].s)} is a {names.of(links[0].o)}")
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
