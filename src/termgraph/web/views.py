"""What the graph says about one resource: claims with their sources' names and quotes, for the
term pages (HTML) and their RDF forms. Derived views are cached on the service state's `cache`
(the dataset is read-only while it is served)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph.files import user_graph
from termgraph.web import page_queries as queries
from termgraph.web import readable
from termgraph import wording

# The claim-row pattern and the pages' fixed queries live in page_queries.py (P, CLAIM_FIELDS and
# COLUMNS are named here too for the modules that build their own queries on them).
P, CLAIM_FIELDS, COLUMNS = queries.P, queries.CLAIM_FIELDS, queries.COLUMNS


@dataclass
class ClaimView:
    iri: str
    subject: object
    predicate: str
    object: object
    stance: str  # 'asserts' | 'denies' | 'qualifies'
    qualification: str | None  # 'hedged' | 'conditional' | 'partial' | None
    source: str
    quote: str  # as shown: mis-decoded characters repaired (readable.py); the data keeps it verbatim
    note: str | None
    names: "Names" = None
    shown_how: str | None = None  # None (verbatim), "repaired" or "elided" (readable.Shown.how)

    @property
    def subject_iri(self) -> str | None:
        return self.subject.value if isinstance(self.subject, ox.NamedNode) else None

    @property
    def object_iri(self) -> str | None:
        return self.object.value if isinstance(self.object, ox.NamedNode) else None

    @property
    def subject_label(self) -> str:
        return self.names.label(self.subject.value)

    @property
    def object_label(self) -> str:
        return self.names.label(self.object.value) if self.object_iri else self.object.value

    @property
    def source_name(self) -> str:
        return self.names.label(self.source)

    @property
    def relation(self) -> str:
        """The statement's relation as this source puts it ('is not a kind of' for a denial)."""
        return wording.says(self.predicate, self.stance)

    @property
    def group(self) -> str:
        return wording.relation(self.predicate).group

    @property
    def answer(self) -> tuple[str, str]:
        return wording.answer(self.stance, self.qualification)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject.value, self.predicate, self.object_iri or str(self.object))


@dataclass
class Names:
    """Visible names: labels of terms, short titles of sources (never a bare number or IRI)."""
    labels: dict[str, str]
    kinds: dict[str, str]

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or wording.local_words(iri).replace("-", " ")

    def kind(self, iri: str) -> str | None:
        return self.kinds.get(iri)


def names(store: ox.Store, cache: dict | None = None) -> Names:
    if cache is not None and "names" in cache:
        return cache["names"]
    labels, kinds = {}, {}
    for r in queries.names(store):
        iri = r["x"].value
        kinds.setdefault(iri, r["kind"].value)
        if r["label"] is not None:
            labels.setdefault(iri, r["label"].value)
    labels.update(source_names(store))
    result = Names(labels, kinds)
    if cache is not None:
        cache["names"] = result
    return result


def source_names(store: ox.Store) -> dict[str, str]:
    """tg:shortTitle, else dcterms:title, else rdfs:label, else the text's file name."""
    out: dict[str, str] = {}
    for r in queries.source_names(store):
        for key in ("short", "title", "label", "id"):
            if r[key] is not None:
                out.setdefault(r["source"].value, r[key].value)
                break
    return out


def value(term):
    return term.value if term is not None else None


def claim_rows(rows, who: Names) -> list[ClaimView]:
    seen: dict[str, ClaimView] = {}
    for r in rows:
        if r["claim"].value not in seen:
            quote = readable.shown(r["quote"].value)
            seen[r["claim"].value] = ClaimView(
                r["claim"].value, r["s"], r["p"].value, r["o"], wording.stance_name(r["stance"].value),
                wording.stance_name(r["qualification"].value) if r["qualification"] is not None else None,
                r["source"].value, quote.text, value(r["note"]), who, quote.how)
    return list(seen.values())


def claims_about(store: ox.Store, iri: str, who: Names) -> list[ClaimView]:
    """The claims about a resource (as subject or object), from a source, or the claim itself."""
    node = ox.NamedNode(iri)
    if any(True for _ in store.quads_for_pattern(node, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.TG + "Claim"))):
        return claims(store, [iri], who)
    return claim_rows(queries.claims_about(store, node), who)


def claims(store: ox.Store, iris: list[str], who: Names) -> list[ClaimView]:
    if not iris:
        return []
    return claim_rows(queries.claims_in(store, iris), who)


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[str]
    properties: list[tuple[str, object, bool]]  # (predicate IRI, term, term is an IRI)
    claims: list[ClaimView]
    names: Names = None
    from_files: dict = field(default_factory=dict)  # a user's data file's stem -> its statements

    def definitions(self) -> list[ClaimView]:
        return [c for c in self.claims if c.group == "definitions" and c.subject.value == self.iri]

    def values(self, predicate: str) -> list[str]:
        return [o.value for p, o, _ in self.properties if p == predicate]

    @property
    def kind(self) -> str:
        return self.names.kind(self.iri) or ""


def top_concepts(store: ox.Store) -> set[str]:
    """The core terms: the top concepts of termgraph's concept scheme (not of other schemes, such
    as the ontology's closed list of kinds of disagreement)."""
    scheme = ox.NamedNode(ns.BASE + "concepts")
    return {q.object.value for q in store.quads_for_pattern(scheme, ox.NamedNode(ns.SKOS + "hasTopConcept"), None, None)}


def is_own_graph(graph) -> bool:
    """What termgraph itself states of a resource: its named graphs (ontology, curated data, claims,
    disagreements) but neither a source's view nor the default graph, whose plain facts are sources'
    undisputed statements (shown through their claims, with who says them), nor a data file the
    person running the server added (shown as theirs: user_file_stem)."""
    return graph != ox.DefaultGraph() and not is_view_graph(graph) and user_file_stem(graph) is None


def user_file_stem(graph) -> str | None:
    """The file name stem of a graph a user's data file fills (`termgraph serve FILE`: the file's
    graph, or one of its named graphs, moved under it: graph/files.py), else None."""
    of_file = user_graph(getattr(graph, "value", ""))
    return of_file[0] if of_file is not None else None


def is_view_graph(graph) -> bool:
    """A source's view (its asserted statements): shown through its claims, not as plain facts."""
    name = getattr(graph, "value", "")
    return name.startswith(ns.SOURCE) or name.startswith(ns.GRAPH + "view/")


def resource(store: ox.Store, iri: str, cache: dict | None = None) -> ResourceView | None:
    node = ox.NamedNode(iri)
    quads = list(store.quads_for_pattern(node, None, None, None))
    props = statements(q for q in quads if is_own_graph(q.graph_name))
    from_files = {}
    for q in quads:
        if user_file_stem(q.graph_name) is not None:
            from_files.setdefault(user_file_stem(q.graph_name), []).append(q)
    from_files = {stem: statements(qs) for stem, qs in sorted(from_files.items())}
    who = names(store, cache)
    about = claims_about(store, iri, who)
    if not props and not about and not from_files:
        return None
    labels = [o.value for p, o, _ in props + [s for ss in from_files.values() for s in ss]
              if p in (ns.SKOS + "prefLabel", ns.RDFS + "label")]
    types = sorted({o.value for p, o, _ in props if p == ns.RDF + "type"})
    label = who.labels.get(iri) or (labels[0] if labels else wording.local_words(iri))
    return ResourceView(iri, label, types, props, about, who, from_files)


def statements(quads) -> list[tuple[str, object, bool]]:
    """(predicate IRI, term, term is an IRI) of quads, each once, in a stable order."""
    return sorted({(q.predicate.value, q.object, isinstance(q.object, ox.NamedNode)) for q in quads},
                  key=lambda po: (po[0], str(po[1])))


def label_of(store: ox.Store, node: ox.NamedNode) -> str | None:
    for q in store.quads_for_pattern(node, ox.NamedNode(ns.RDFS + "label"), None, None):
        return q.object.value
    return None


def resource_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """A resource's description as RDF: what the graph says of it outside the sources' views, and
    every claim about it (or the claim itself) with its evidence and the evidence's selector."""
    this = ox.NamedNode(iri)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(this, None, None, None)
               if is_own_graph(q.graph_name) or user_file_stem(q.graph_name) is not None}
    claims = {q.subject for p in (ns.RDF + "subject", ns.RDF + "object")
              for q in store.quads_for_pattern(None, ox.NamedNode(p), this, None)}
    claims.add(this)
    for node in _with_evidence(store, claims):
        triples.update(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None, None))
    return sorted(triples, key=str)


def _with_evidence(store: ox.Store, claims: set) -> set:
    """The claims (tg:Claim only), their evidence and the evidence's selectors."""
    is_claim = lambda c: any(True for _ in store.quads_for_pattern(c, ox.NamedNode(ns.RDF + "type"),
                                                                    ox.NamedNode(ns.TG + "Claim"), None))
    nodes = {c for c in claims if is_claim(c)}
    evidence = {q.object for c in nodes for q in store.quads_for_pattern(c, ox.NamedNode(ns.TG + "evidence"), None, None)}
    selectors = {q.object for e in evidence for q in store.quads_for_pattern(e, ox.NamedNode(ns.OA + "hasSelector"), None, None)}
    return nodes | evidence | selectors
