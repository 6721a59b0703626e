"""A term page that answers first: one block per related term, each a question in plain words
("Is a large language model a kind of generative AI?") with every source's answer, how firmly,
its quote and claim; then examples (systems x sources) and the term's other statements grouped
by kind. Built from the term's claims (views.ClaimView) and the derived disagreements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.web import disagreements as dis
from termgraph.web import views
from termgraph import wording

BLOCK_GROUPS = ("relation", "examples", "made by")
TRANSITIVE = ns.RDFS + "subClassOf"
INSTANCE = ns.RDF + "type"
ASSERTED_KINDS = views.P + """
SELECT ?claim ?s ?p ?o ?source WHERE {
  VALUES ?p { rdfs:subClassOf rdf:type }
  ?claim a tg:Claim ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o ;
         tg:stance tg:Asserts ; prov:wasDerivedFrom ?source .
} ORDER BY ?claim
"""


@dataclass
class SourceAnswer:
    source: str
    name: str
    answer: str  # "Yes", "No", "Only when …", "Partly", "Probably", "Implied"
    firmness: str
    claims: list[views.ClaimView]
    chain: list[views.ClaimView] = field(default_factory=list)  # for "Implied": the statements it follows from


@dataclass
class Question:
    text: str
    key: tuple[str, str, str]
    answers: list[SourceAnswer]
    disagreements: list[dis.Disagreement]


@dataclass
class Block:
    other: str
    label: str
    questions: list[Question]


def oriented(c: views.ClaimView, this: str) -> tuple[str, str, str]:
    """The statement's key, with a symmetric relation turned so that this term is its subject."""
    s, p, o = c.subject.value, c.predicate, c.object.value
    if p in ns.SYMMETRIC and o == this:
        s, o = o, s
    return (s, p, o)


def block_claims(view: views.ResourceView) -> list[views.ClaimView]:
    out = []
    for c in view.claims:
        if not c.object_iri or c.subject.value == c.object_iri or view.iri not in (c.subject.value, c.object_iri):
            continue
        if c.group == "relation" or (c.group == "examples" and c.subject.value == view.iri) or c.group == "made by":
            out.append(c)
    return out


def answers_of(claims: list[views.ClaimView]) -> list[SourceAnswer]:
    grouped: dict[tuple, list[views.ClaimView]] = defaultdict(list)
    for c in claims:
        grouped[(c.source, c.stance, c.qualification or "")].append(c)
    out = []
    for (source, _, _), group in sorted(grouped.items(), key=lambda kv: (kv[1][0].source_name.lower(), kv[0])):
        answer, firmness = group[0].answer
        out.append(SourceAnswer(source, group[0].source_name, answer, firmness, group))
    return out


def asserted_kinds(store: ox.Store, cache: dict, who: views.Names) -> dict[str, dict[str, list]]:
    """source -> subject -> [(object, claim IRI, predicate)] for every asserted 'is a kind of' and
    'is an example of' claim."""
    if "kinds" not in cache:
        edges: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for r in store.query(ASSERTED_KINDS):
            edges[r["source"].value][r["s"].value].append((r["o"].value, r["claim"].value, r["p"].value))
        cache["kinds"] = edges
    return cache["kinds"]


def chain(edges: dict[str, list], start: str, goal: str, first: str) -> list[str] | None:
    """The claims of the shortest path start -> ... -> goal of two or more steps, its first step by
    the `first` relation and the rest by 'is a kind of' (which is transitive), or None."""
    frontier, seen = [(start, [])], {start}
    while frontier:
        nxt = []
        for node, path in frontier:
            step = first if not path else TRANSITIVE
            for target, claim, predicate in sorted(edges.get(node, [])):
                if predicate != step:
                    continue
                if target == goal and path:
                    return path + [claim]
                if target not in seen:
                    seen.add(target)
                    nxt.append((target, path + [claim]))
        frontier = nxt
    return None


def implied(store, cache, who, key, speaking: set[str]) -> list[SourceAnswer]:
    s, p, o = key
    if p not in (TRANSITIVE, INSTANCE):
        return []
    out = []
    for source, edges in sorted(asserted_kinds(store, cache, who).items()):
        path = None if source in speaking else chain(edges, s, o, p)
        if path:
            answer, firmness = wording.answer("implied")
            out.append(SourceAnswer(source, who.label(source), answer, firmness, [],
                                    views.claims(store, path, who)))
    return out


def blocks(store: ox.Store, view: views.ResourceView, found: list[dis.Disagreement], cache: dict) -> list[Block]:
    index = dis.by_claim(found)
    by_key: dict[tuple, list[views.ClaimView]] = defaultdict(list)
    for c in block_claims(view):
        by_key[oriented(c, view.iri)].append(c)
    order = list(wording.RELATIONS)
    per_other: dict[str, list[Question]] = defaultdict(list)
    for key, claims in sorted(by_key.items(), key=lambda kv: (order.index(kv[0][1]) if kv[0][1] in order else 99, kv[0])):
        s, p, o = key
        text = wording.question(p, view.names.label(s), view.names.label(o))
        answers = answers_of(claims) + implied(store, cache, view.names, key, {c.source for c in claims})
        seen, linked = set(), []
        for c in claims:
            for d in index.get(c.iri, []):
                if d.iri not in seen:
                    seen.add(d.iri)
                    linked.append(d)
        per_other[o if s == view.iri else s].append(Question(text, key, answers, linked))
    out = [Block(other, view.names.label(other), qs) for other, qs in per_other.items()]
    kind_order = {"concept": 0, "system": 1, "org": 2}  # related terms first, then systems, organisations
    return sorted(out, key=lambda b: (kind_order.get(view.names.kind(b.other), 3),
                                      -len({a.source for q in b.questions for a in q.answers}), b.label.lower()))


@dataclass
class ExampleTable:
    sources: list[tuple[str, str]]  # (source IRI, name)
    rows: list[tuple[str, str, dict[str, list[views.ClaimView]]]]  # (system IRI, label, source -> claims)


def examples(view: views.ResourceView) -> ExampleTable | None:
    """'X is an example of this term', as systems x sources."""
    rows: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in view.claims:
        if c.predicate == ns.RDF + "type" and c.object_iri == view.iri:
            rows[c.subject.value][c.source].append(c)
    if not rows:
        return None
    sources = sorted({s for cells in rows.values() for s in cells}, key=lambda s: view.names.label(s).lower())
    ordered = sorted(rows.items(), key=lambda kv: view.names.label(kv[0]).lower())
    return ExampleTable([(s, view.names.label(s)) for s in sources],
                        [(iri, view.names.label(iri), dict(cells)) for iri, cells in ordered])


def grouped(view: views.ResourceView) -> list[tuple[str, list[views.ClaimView]]]:
    """The term's own other statements (characteristics, training, architecture, uses, names)."""
    groups: dict[str, list] = defaultdict(list)
    for c in view.claims:
        if c.subject.value == view.iri and c.group in wording.GROUP_TITLES and c.group not in BLOCK_GROUPS:
            groups[c.group].append(c)
    return [(wording.GROUP_TITLES[g], sorted(groups[g], key=lambda c: (c.predicate, c.object_label.lower(), c.source_name)))
            for g in wording.GROUP_TITLES if groups.get(g)]
