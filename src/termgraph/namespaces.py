"""The IRIs termgraph mints and the vocabularies it reuses (one place for all of them)."""

BASE = "https://w3id.org/termgraph/"
TG = BASE + "ontology#"
ONTOLOGY = BASE + "ontology"
CONCEPT = BASE + "concept/"
SYSTEM = BASE + "system/"
ORG = BASE + "org/"
SOURCE = BASE + "source/"
CLAIM = BASE + "claim/"
DISAGREEMENT = BASE + "disagreement/"  # + rule name (or "curated") + "/" + a stable hash
RULE = BASE + "rule/"
GRAPH = BASE + "graph/"

GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_CURATED = GRAPH + "curated"
GRAPH_CLAIMS = GRAPH + "claims/"  # + source number
GRAPH_DISAGREEMENTS = GRAPH + "disagreements"
GRAPH_VIEW = GRAPH + "view/"  # + source number: the statements that source asserts
GRAPH_USER = GRAPH + "user/"  # + file stem, for files a user adds
# The dataset's default graph as a named graph in a SPARQL store elsewhere (graph/publish.py puts
# it there, executor/remote.py reads it), and the empty graph a query naming no default graph gets.
DEFAULT_GRAPH = "urn:termgraph:default-graph"
EMPTY_GRAPH = "urn:termgraph:empty-default-graph"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"  # the W3C's IRIs for formats (sd:resultFormat)
ENTAILMENT = "http://www.w3.org/ns/entailment/"

PREFIXES = {
    "tg": TG,
    "concept": CONCEPT,
    "system": SYSTEM,
    "org": ORG,
    "source": SOURCE,
    "claim": CLAIM,
    "disagreement": DISAGREEMENT,
    "rule": RULE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "oa": OA,
    "schema": SCHEMA,
}
PREFIX_ITEMS = tuple(PREFIXES.items())  # (a key for caches: PREFIXES never changes)

# Properties whose claims say the same thing whichever way round they are written.
SYMMETRIC = frozenset(
    TG + p for p in ("overlapsWith", "synonymousWith", "usedInterchangeablyWith", "distinctFrom", "disjointWith")
)


def sparql_prefixes() -> str:
    """The PREFIX lines for every prefix above, for queries termgraph writes itself."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
