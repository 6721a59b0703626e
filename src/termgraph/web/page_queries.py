"""Every fixed query the pages run, each a named function over the store (the disagreement pages'
own, in disagreements.py and termpage.py, excepted); the claim-row pattern is written once, here.

A claim row is CLAIM_FIELDS's columns (COLUMNS): the claim, its statement (?s ?p ?o), stance,
source, verbatim quote, and, when it has them, its qualification and editorial note. The functions
return pyoxigraph's solutions; views.py turns claim rows into ClaimViews."""

from __future__ import annotations

import pyoxigraph as ox

from termgraph import namespaces as ns

P = ns.sparql_prefixes()

CLAIM_FIELDS = """
  ?claim a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; tg:stance ?stance ;
         prov:wasDerivedFrom ?source ; tg:evidence/oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?claim tg:qualification ?qualification }
  OPTIONAL { ?claim skos:editorialNote ?note }
"""
COLUMNS = "?claim ?s ?p ?o ?stance ?source ?quote ?qualification ?note"


def claim_query(where: str, order: str = "?source ?claim", head: str = "") -> str:
    """A SELECT of claim rows: `where` narrows them (VALUES, UNION, FILTER), `order` sorts them."""
    return P + f"SELECT {head}{COLUMNS} WHERE {{ {where}{CLAIM_FIELDS}}} ORDER BY {order}"


def iris(values) -> str:
    return " ".join(f"<{v}>" for v in sorted(set(values)))


CLAIMS_ABOUT = claim_query("{ ?claim rdf:subject ?this } UNION { ?claim rdf:object ?this } "
                           "UNION { ?claim prov:wasDerivedFrom ?this }", head="?this ")


def claims_about(store: ox.Store, node: ox.NamedNode):
    """The claims with `node` as subject or object, or from it (a source)."""
    return store.query(CLAIMS_ABOUT, substitutions={ox.Variable("this"): node})


def claims_in(store: ox.Store, claims: list[str]):
    return store.query(claim_query(f"VALUES ?claim {{ {iris(claims)} }}"))


def claims_by_sources(store: ox.Store, sources: list[str]):
    return store.query(claim_query(f"VALUES ?source {{ {iris(sources)} }}", order="?claim"))


def statements(store: ox.Store, term: str | None = None):
    """Claims whose object is an IRI (statements between things), about `term` when given."""
    about = f" && (?s = <{term}> || ?o = <{term}>)" if term else ""
    return store.query(claim_query(f"FILTER (isIRI(?o){about})", order="?claim"))


def statements_between(store: ox.Store, a: str, b: str):
    between = f"&& ((?s = <{a}> && ?o = <{b}>) || (?s = <{b}> && ?o = <{a}>))"
    return store.query(claim_query(f"FILTER (isIRI(?o) {between})", order="?claim"))


def graph_statements(store: ox.Store):
    """Every statement between things, for the whole-graph exports (GraphML, Cytoscape JSON)."""
    return store.query(claim_query("FILTER (isIRI(?o))", order="?s ?p ?o ?source"))


def neighbourhood(store: ox.Store, centres: list[str]):
    """The claims linking `centres` to other things, for the viewer."""
    return store.query(claim_query(f"VALUES ?n {{ {iris(centres)} }} {{ ?claim rdf:subject ?n }} UNION "
                                   "{ ?claim rdf:object ?n } FILTER (isIRI(?o) && ?s != ?o)", order="?claim"))


def source_tree(store: ox.Store, source: str):
    """One source's "is a kind of" and "is an example of" claims, asserted or qualified."""
    return store.query(claim_query(f"VALUES ?p {{ rdfs:subClassOf rdf:type }} VALUES ?source {{ <{source}> }} "
                                   "FILTER (?stance != tg:Denies)", order="?claim"))


NAMES = P + """
SELECT ?x ?kind ?label WHERE {
  VALUES (?type ?kind) { (tg:Concept "concept") (tg:AISystem "system") (schema:Organization "org") (tg:Source "source") }
  ?x a ?type . OPTIONAL { ?x rdfs:label ?label }
}
"""


def names(store: ox.Store):
    """Every concept, system, organisation and source, its kind and (where it has one) its label."""
    return store.query(NAMES)


SOURCE_NAMES = P + """
SELECT ?source ?short ?title ?label ?id WHERE {
  ?source a tg:Source .
  OPTIONAL { ?source tg:shortTitle ?short } OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?source dcterms:identifier ?id }
}
"""


def source_names(store: ox.Store):
    return store.query(SOURCE_NAMES)


SEARCH_NAMES = P + """
SELECT ?x ?name ?how ?source WHERE {
  VALUES (?type) { (tg:Concept) (tg:AISystem) (schema:Organization) (tg:Source) }
  ?x a ?type .
  { VALUES (?p ?how) { (rdfs:label "name") (skos:prefLabel "name") (skos:altLabel "also called")
                       (dcterms:title "title") (tg:shortTitle "short title") }
    ?x ?p ?name }
  UNION
  { ?claim rdf:subject ?x ; rdf:predicate skos:altLabel ; rdf:object ?name ; tg:stance tg:Asserts ;
           prov:wasDerivedFrom ?source . BIND ("called so by a source" AS ?how) }
}
"""


def search_names(store: ox.Store):
    """Every name of every findable thing: labels, alternative labels (a source's asserted ones too), titles."""
    return store.query(SEARCH_NAMES)


NODES = P + """
SELECT ?node ?kind ?label WHERE {
  VALUES (?type ?kind) { (tg:Concept "concept") (tg:AISystem "system") (schema:Organization "org") (tg:Source "source") }
  ?node a ?type ; rdfs:label ?label .
} ORDER BY ?node
"""


def graph_nodes(store: ox.Store):
    return store.query(NODES)


DEFINITIONS = P + """
SELECT DISTINCT ?source ?term WHERE {
  ?claim rdf:predicate skos:definition ; rdf:subject ?term ; prov:wasDerivedFrom ?source .
} ORDER BY ?source ?term
"""


def definitions(store: ox.Store):
    """Which source defines which term."""
    return store.query(DEFINITIONS)


def alt_labels(store: ox.Store):
    return store.query(P + "SELECT ?x ?alt WHERE { ?x skos:altLabel ?alt } ORDER BY ?x ?alt")


COUNTS = P + """
SELECT
  (COUNT(DISTINCT ?concept) AS ?concepts) (COUNT(DISTINCT ?system) AS ?systems)
  (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?claim) AS ?claims)
WHERE {
  { ?concept a tg:Concept } UNION { ?system a tg:AISystem } UNION { ?source a tg:Source }
  UNION { ?claim a tg:Claim }
}
"""


def counts(store: ox.Store) -> dict[str, int]:
    """The landing page's counts of terms, systems, sources and claims."""
    row = next(iter(store.query(COUNTS)))
    return {k: int(row[k].value) for k in ("concepts", "systems", "sources", "claims")}


def listing(store: ox.Store, cls: str) -> list[tuple[str, str]]:
    """(IRI, label) of every instance of `cls` (a CURIE), by label."""
    query = P + f"SELECT ?x ?l WHERE {{ ?x a {cls} ; rdfs:label ?l }} ORDER BY LCASE(?l)"
    return [(r["x"].value, r["l"].value) for r in store.query(query)]
