"""Disagreements between claims, found by the rules in queries/disagreements/ (one SPARQL file each).

Each rule is a SELECT whose rows name a kind (?kind), a group (?group: rows of one rule with the
same group make one disagreement) and two or more claims (every other column). This module runs
the rules and writes one tg:Disagreement per group into the disagreements graph, with its claims,
the sources on every side, the terms it is about, the rule that found it, a title and a summary.
Curated disagreements (data/curated/disagreements.ttl) are loaded as they are, never derived here.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import titles
from termgraph import errors
from termgraph.errors import DataSyntaxError

N, L = ox.NamedNode, ox.Literal
RESERVED = ("kind", "group")

CLAIM_FACTS = ns.sparql_prefixes() + """
SELECT ?claim ?s ?p ?o ?stance ?qualification ?source WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         tg:stance ?stance ; prov:wasDerivedFrom ?source .
  OPTIONAL { ?claim tg:qualification ?qualification }
}
"""


@dataclass(frozen=True)
class Rule:
    name: str  # the file's stem: opposite-stances
    path: Path
    label: str  # the file's first comment line
    text: str

    @property
    def iri(self) -> str:
        return ns.RULE + self.name


@dataclass(frozen=True)
class Found:
    rule: Rule
    kind: str
    group: str
    claims: tuple[str, ...]

    @property
    def iri(self) -> str:
        digest = hashlib.sha256(self.group.encode("utf-8")).hexdigest()[:16]
        return f"{ns.DISAGREEMENT}{self.rule.name}/{digest}"


def read_rules(folder: Path) -> list[Rule]:
    rules = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((line for line in text.splitlines() if line.startswith("#")), "# " + path.stem)
        rules.append(Rule(path.stem, path, first.lstrip("# ").strip(), text))
    return rules


def rule_result(store: ox.Store, rule: Rule) -> ox.QuerySolutions:
    """The rule's solutions; a rule that does not parse, or lacks the columns a rule needs, is a
    DataSyntaxError naming its file and the fix."""
    try:
        result = store.query(rule.text, prefixes=ns.PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise DataSyntaxError(rule.path, f"the rule is not valid SPARQL ({first}); fix the query") from None
    names = [v.value for v in getattr(result, "variables", [])]
    if not isinstance(result, ox.QuerySolutions) or not set(RESERVED) <= set(names) or len(names) < 4:
        del result  # (this thread's: never kept alive by the error, which may be raised on another)
        raise DataSyntaxError(rule.path, "a rule is a SELECT with ?kind, ?group and two or more claim columns "
                                         "(see queries/disagreements/README.md)")
    return result


def run_rule(store: ox.Store, rule: Rule) -> list[Found]:
    """The rule's rows, grouped: one Found per distinct ?group."""
    with join_keys(store):
        return grouped(rule, rule_result(store, rule))


def grouped(rule: Rule, result: ox.QuerySolutions) -> list[Found]:
    columns = [v.value for v in result.variables if v.value not in RESERVED]
    groups: dict[tuple[str, str], set[str]] = {}
    for row in result:
        key = (row["kind"].value, row["group"].value)
        groups.setdefault(key, set()).update(row[c].value for c in columns if row[c] is not None)
    return [Found(rule, kind, group, tuple(sorted(claims))) for (kind, group), claims in sorted(groups.items())]


def find_all(store: ox.Store, rules: list[Rule], claims: list[tuple] | None = None) -> list[Found]:
    """Every rule's disagreements, in the rules' order. The rules run side by side, a thread per
    core: the engine evaluates without holding the interpreter (1.2 s -> 0.76 s on two cores at
    ~340k quads, docs/performance.md); the store is only read meanwhile."""
    with join_keys(store, claims):
        if len(rules) < 2 or (os.cpu_count() or 1) < 2:
            return [found for rule in rules for found in run_rule(store, rule)]
        with cf.ThreadPoolExecutor(min(len(rules), os.cpu_count() or 1), thread_name_prefix="termgraph-rule") as pool:
            results = list(pool.map(lambda rule: run_apart(store, rule), rules))
        return [found for result in results for found in result]


def run_apart(store: ox.Store, rule: Rule) -> list[Found]:
    """run_rule on a thread of find_all's: what it raises is raised again on the caller's thread,
    so it keeps none of this thread's engine results (errors.forget_locals)."""
    try:
        return run_rule(store, rule)
    except Exception as exc:
        errors.forget_locals(exc)
        raise


# While the rules run, the claims carry join keys in a scratch graph (removed afterwards, never
# served): build:statement, the statement a claim is about (the same for two claims about one
# statement, either way round for an owl:SymmetricProperty), and build:terms, the two terms it
# relates in either order (build:sourceTerms: the same with its source first), and build:takes, the
# position it takes on its statement (its stance, or its qualification: what the ontology's table of
# stance compatibility pairs). A rule joins two
# claims on a key, one index lookup per claim, where joining on ?s, ?p and ?o one by one matched
# every pair of claims about a common term first (quadratic: a minute and 4 GB on a graph of
# 6,000 claims). Joining every claim with every other claim on a key is still quadratic when
# many sources make claims about one statement or one pair of terms; so each position (one
# subject, predicate, object, stance and qualification) also gets a node with the keys
# (build:onStatement, build:onTerms) and one claim from each of up to two sources
# (build:witness). A claim pairs with some claim of a position, from another source,
# exactly when it pairs with one of the position's witnesses; a rule whose condition on a pair is
# symmetric therefore finds the same claims by joining each claim with the witnesses only, a
# number of rows in proportion to the claims. See queries/disagreements/README.md.
BUILD = "urn:termgraph:build#"
SCRATCH = N("urn:termgraph:build")
POSITION = "urn:termgraph:build:position/"
STATEMENT, TERMS, SOURCE_TERMS = N(BUILD + "statement"), N(BUILD + "terms"), N(BUILD + "sourceTerms")
TAKES = N(BUILD + "takes")  # the claim's position: its stance, or its qualification when it qualifies
ON_STATEMENT, ON_TERMS, WITNESS = N(BUILD + "onStatement"), N(BUILD + "onTerms"), N(BUILD + "witness")
KEYED = ns.sparql_prefixes() + """
SELECT ?claim ?s ?p ?o ?stance ?qualification ?source (EXISTS { ?p a owl:SymmetricProperty } AS ?symmetric)
WHERE {
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?claim tg:stance ?stance }
  OPTIONAL { ?claim tg:qualification ?qualification }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
}
"""
FULL = object()  # a position that has its two witnesses


def read_claims(store: ox.Store) -> list[tuple]:
    """Every claim's row of KEYED, as a tuple (claim, s, p, o, stance, qualification, source,
    symmetric): read once, for the keys, the claims' facts and the derived graphs (derive.py)."""
    return [tuple(r) for r in store.query(KEYED, use_default_graph_as_union=True)]


def key_quads(store: ox.Store, claims: list[tuple] | None = None) -> Iterator[ox.Quad]:
    """Four quads per claim, and its position's keys and witnesses, made as the store takes
    them (a list of them all is large); what is remembered per position: a digest, one source."""
    witnesses: dict[bytes, object] = {}
    rows = claims if claims is not None else map(tuple, store.query(KEYED, use_default_graph_as_union=True))
    for claim, s, p, o, stance, qualification, source, symmetric in rows:
        s_text, p_text, o_text = str(s), str(p), str(o)
        pair = (s_text, o_text) if s_text <= o_text else (o_text, s_text)
        ends = pair if symmetric.value == "true" else (s_text, o_text)
        said, between = L(f"{ends[0]} {p_text} {ends[1]}"), L(f"{pair[0]} {pair[1]}")
        yield ox.Quad(claim, STATEMENT, said, SCRATCH)
        yield ox.Quad(claim, TERMS, between, SCRATCH)
        if source is not None:
            yield ox.Quad(claim, SOURCE_TERMS, L(f"{source} {pair[0]} {pair[1]}"), SCRATCH)
        if stance is not None:
            yield ox.Quad(claim, TAKES, qualification or stance, SCRATCH)
            if source is not None:
                key = f"{s_text}\t{p_text}\t{o_text}\t{stance}\t{qualification}"
                yield from witness_quads(witnesses, key, claim, source.value, said, between)


def witness_quads(witnesses: dict[bytes, object], key: str, claim: ox.NamedNode, source: str,
                  said: ox.Literal, between: ox.Literal) -> Iterator[ox.Quad]:
    """`key`: the position (subject, predicate, object, stance and qualification)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
    first = witnesses.get(digest)
    if first is FULL or first == source:
        return
    node = N(POSITION + digest.hex())
    if first is None:
        witnesses[digest] = source
        yield ox.Quad(node, ON_STATEMENT, said, SCRATCH)
        yield ox.Quad(node, ON_TERMS, between, SCRATCH)
    else:
        witnesses[digest] = FULL
    yield ox.Quad(node, WITNESS, claim, SCRATCH)


@contextmanager
def join_keys(store: ox.Store, claims: list[tuple] | None = None):
    """The keys, for the rules run inside (once, however deeply this is nested); `claims`: the
    store's read_claims, when they were read already."""
    if store.contains_named_graph(SCRATCH):
        yield
        return
    store.extend(key_quads(store, claims))
    try:
        yield
    finally:
        store.remove_graph(SCRATCH)


def claim_facts(store: ox.Store, claims: list[tuple] | None = None) -> dict[str, titles.ClaimFact]:
    """Every claim with a stance and a source (from `claims`, the store's read_claims, if given)."""
    if claims is not None:
        return {claim.value: titles.ClaimFact(claim.value, s, p.value, o, stance.value,
                                              qualification.value if qualification else None, source.value)
                for claim, s, p, o, stance, qualification, source, _ in claims
                if stance is not None and source is not None}
    facts = {}
    for r in store.query(CLAIM_FACTS, use_default_graph_as_union=True):
        qualification = r["qualification"].value if r["qualification"] else None
        facts[r["claim"].value] = titles.ClaimFact(r["claim"].value, r["s"], r["p"].value, r["o"],
                                                   r["stance"].value, qualification, r["source"].value)
    return facts


def rule_quads(rules: list[Rule], root: Path, graph: ox.NamedNode) -> list[ox.Quad]:
    out = []
    for rule in rules:
        node = N(rule.iri)
        where = rule.path.relative_to(root).as_posix() if rule.path.is_relative_to(root) else rule.path.name
        out += [ox.Quad(node, N(ns.RDF + "type"), N(ns.TG + "DerivationRule"), graph),
                ox.Quad(node, N(ns.RDFS + "label"), L(rule.label, language="en"), graph),
                ox.Quad(node, N(ns.DCTERMS + "identifier"), L(where), graph)]
    return out


def disagreement_quads(found: Found, facts: dict[str, titles.ClaimFact], names: titles.Names,
                       graph: ox.NamedNode) -> list[ox.Quad]:
    node = N(found.iri)
    claims = [facts[c] for c in found.claims if c in facts]
    title, summary = titles.describe(found.kind, claims, names)
    triples = [(ns.RDF + "type", N(ns.TG + "Disagreement")), (ns.TG + "disagreementKind", N(found.kind)),
               (ns.TG + "foundByRule", N(found.rule.iri)), (ns.RDFS + "label", L(title, language="en")),
               (ns.DCTERMS + "description", L(summary, language="en"))]
    triples += [(ns.TG + "hasClaim", N(c.claim)) for c in claims]
    triples += [(ns.TG + "involvesSource", N(s)) for s in sorted({c.source for c in claims})]
    triples += [(ns.TG + "about", t) for t in titles.terms_of(claims, names)]
    return [ox.Quad(node, N(p), o, graph) for p, o in triples]


def curated_quads(store: ox.Store, facts: dict[str, titles.ClaimFact], names: titles.Names,
                  graph: ox.NamedNode) -> list[ox.Quad]:
    """Curated disagreements (tg:curated true in the curated graph) as the curator wrote them,
    with the sources and terms of their claims added, so that the graph holds every one."""
    curated, out = N(ns.GRAPH_CURATED), []
    for q in store.quads_for_pattern(None, N(ns.RDF + "type"), N(ns.TG + "Disagreement"), curated):
        node = q.subject
        own = {(x.predicate, x.object) for x in store.quads_for_pattern(node, None, None, curated)}
        if (N(ns.TG + "curated"), L(True)) not in own:
            continue
        claims = [facts[o.value] for p, o in own if p.value == ns.TG + "hasClaim" and o.value in facts]
        own |= {(N(ns.TG + "involvesSource"), N(s)) for s in {c.source for c in claims}}
        own |= {(N(ns.TG + "about"), t) for t in titles.terms_of(claims, names)}
        out += [ox.Quad(node, p, o, graph) for p, o in sorted(own, key=str)]
    return out


def derive(store: ox.Store, rules_dir: Path, root: Path,
           claims: list[tuple] | None = None) -> tuple[list[ox.Quad], set[str]]:
    """Run every rule; return the disagreements graph's quads (derived and curated ones) and the
    claims any disagreement holds. `claims`: the store's read_claims, when read already."""
    graph = N(ns.GRAPH_DISAGREEMENTS)
    rules = read_rules(rules_dir)
    claims = read_claims(store) if claims is None else claims
    found = [f for f in find_all(store, rules, claims) if len(f.claims) >= 2]
    facts, names = claim_facts(store, claims), titles.read_names(store)
    quads = rule_quads(rules, root, graph) + curated_quads(store, facts, names, graph)
    for f in found:
        quads += disagreement_quads(f, facts, names, graph)
    held = {q.object.value for q in quads if q.predicate.value == ns.TG + "hasClaim"}
    return quads, held
