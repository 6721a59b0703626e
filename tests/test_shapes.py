"""The data conforms to the shapes, and every shape rejects a fixture broken for it."""

from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from termgraph.graph import validate

FIXTURES = Path(__file__).parent / "fixtures"
TG = Namespace("https://w3id.org/termgraph/ontology#")
TGSH = Namespace("https://w3id.org/termgraph/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
B = "https://w3id.org/termgraph/"
CONCEPT, SYSTEM, ORG = URIRef(B + "concept/a"), URIRef(B + "system/s"), URIRef(B + "org/o")
SOURCE, CLAIM, CLAIM2 = URIRef(B + "source/000"), URIRef(B + "claim/000-001"), URIRef(B + "claim/000-002")
EVIDENCE, SELECTOR = URIRef(B + "claim/000-001-evidence"), URIRef(B + "claim/000-001-selector")
ONTOLOGY = URIRef(B + "ontology")


def rename(g, old, new):
    for p, o in list(g.predicate_objects(old)):
        g.remove((old, p, o))
        g.add((new, p, o))
    for s, p in list(g.subject_predicates(old)):
        g.remove((s, p, old))
        g.add((s, p, new))


def setv(g, s, p, o):
    g.set((s, p, o)) if o is not None else g.remove((s, p, None))


# shape name -> how to break the valid fixture so that this shape (and only its concern) fails
BREAKS = {
    "ConceptShape": lambda g: g.remove((CONCEPT, RDF.type, OWL.Class)),
    "ConceptPrefLabelShape": lambda g: g.add((CONCEPT, SKOS.prefLabel, Literal("no language"))),
    "ConceptEnglishPrefLabelShape": lambda g: setv(g, CONCEPT, SKOS.prefLabel, Literal("a", lang="fr")),
    "ConceptDefinitionShape": lambda g: setv(g, CONCEPT, SKOS.definition, None),
    "ConceptAltLabelShape": lambda g: g.add((CONCEPT, SKOS.altLabel, Literal("no language"))),
    "ConceptInSchemeShape": lambda g: setv(g, CONCEPT, SKOS.inScheme, None),
    "SystemShape": lambda g: rename(g, SYSTEM, BNode()),
    "OrganizationShape": lambda g: rename(g, ORG, BNode()),
    "EnglishLabelShape": lambda g: setv(g, SYSTEM, RDFS.label, Literal("S", lang="de")),
    "NameShape": lambda g: setv(g, SYSTEM, SCHEMA.name, None),
    "SourceShape": lambda g: rename(g, SOURCE, BNode()),
    "SourceIdentifierShape": lambda g: setv(g, SOURCE, DCTERMS.identifier, Literal("source.txt")),
    "SourceTitleShape": lambda g: g.add((SOURCE, DCTERMS.title, Literal("Another title", lang="en"))),
    "SourcePublisherShape": lambda g: setv(g, SOURCE, DCTERMS.publisher, URIRef(B + "org/unknown")),
    "ClaimShape": lambda g: rename(g, CLAIM, BNode()),
    "ClaimSubjectShape": lambda g: setv(g, CLAIM, RDF.subject, URIRef(B + "concept/unknown")),
    "ClaimPredicateShape": lambda g: setv(g, CLAIM, RDF.predicate, URIRef("http://example.org/relatesTo")),
    "ClaimObjectShape": lambda g: setv(g, CLAIM, RDF.object, None),
    "ClaimStanceShape": lambda g: setv(g, CLAIM, TG.stance, TG.Maybe),
    "ClaimSourceShape": lambda g: setv(g, CLAIM, PROV.wasDerivedFrom, URIRef(B + "source/999")),
    "ClaimEvidenceShape": lambda g: setv(g, CLAIM, TG.evidence, None),
    "ClaimQualificationShape": lambda g: setv(g, CLAIM, TG.qualification, TG.Sometimes),
    "ClaimNoteShape": lambda g: setv(g, CLAIM, SKOS.editorialNote, Literal("no language")),
    "EvidenceShape": lambda g: g.remove((EVIDENCE, RDF.type, OA.SpecificResource)),
    "EvidenceSourceShape": lambda g: g.add((EVIDENCE, OA.hasSource, URIRef(B + "source/999"))),
    "EvidenceSelectorShape": lambda g: setv(g, EVIDENCE, OA.hasSelector, None),
    "QuoteSelectorShape": None,  # a node shape whose checks are its property shapes below
    "QuoteExactShape": lambda g: setv(g, SELECTOR, OA.exact, Literal("   ")),
    "QuotePrefixShape": lambda g: g.add((SELECTOR, OA.prefix, Literal("another prefix"))),
    "QuoteSuffixShape": lambda g: g.add((SELECTOR, OA.suffix, Literal("suffix", lang="en"))),
    "QualifiedNeedsQualificationShape": lambda g: setv(g, CLAIM, TG.qualification, None),
    "MembershipNotPartialShape": lambda g: (setv(g, CLAIM, RDF.predicate, RDF.type),
                                            setv(g, CLAIM, TG.qualification, TG.Partial)),
    "ObjectKindMatchesPredicateShape": lambda g: setv(g, CLAIM2, RDF.object, URIRef(B + "concept/b")),
    "OneDefinitionPerSourceAndTermShape": lambda g: (
        setv(g, CLAIM, RDF.predicate, SKOS.definition), setv(g, CLAIM, RDF.object, Literal("x", lang="en")),
        setv(g, CLAIM, TG.stance, TG.Asserts), setv(g, CLAIM, TG.qualification, None)),
    "EvidenceFromClaimSourceShape": lambda g: (
        g.add((URIRef(B + "source/001"), RDF.type, TG.Source)),
        setv(g, EVIDENCE, OA.hasSource, URIRef(B + "source/001"))),
    "OntologyHeaderShape": None,  # a node shape whose checks are its property shapes below
    "OntologyTitleShape": lambda g: setv(g, ONTOLOGY, DCTERMS.title, None),
    "OntologyDescriptionShape": lambda g: setv(g, ONTOLOGY, DCTERMS.description, None),
    "OntologyVersionIRIShape": lambda g: setv(g, ONTOLOGY, OWL.versionIRI, Literal("0.0.0")),
    "OntologyLicenseShape": lambda g: setv(g, ONTOLOGY, DCTERMS.license, None),
    "OntologyCreatorShape": lambda g: setv(g, ONTOLOGY, DCTERMS.creator, None),
    "OwnTermShape": None,  # a node shape whose checks are its property shapes below
    "OwnTermLabelShape": lambda g: setv(g, TG.Claim, RDFS.label, Literal("claim", lang="fr")),
    "OwnTermDefinitionShape": lambda g: setv(g, TG.Claim, SKOS.definition, None),
    # a curated disagreement outside disagreement/curated/, with one claim and no note, attributed to a source
    "DisagreementShape": lambda g: [g.add(t) for t in (
        (URIRef(B + "disagreement/x"), RDF.type, TG.Disagreement),
        (URIRef(B + "disagreement/x"), TG.hasClaim, CLAIM),
        (URIRef(B + "disagreement/x"), PROV.wasDerivedFrom, SOURCE))],
}


@pytest.fixture(scope="module")
def shapes(root):
    graph = rdflib.Graph()
    for path in sorted((root / "shapes").glob("*/*.ttl")):
        graph.parse(path)
    return graph


def fixture_graph():
    return rdflib.Graph().parse(FIXTURES / "shapes-valid.ttl")


def test_the_project_data_conforms(root):
    report = validate.check(root)
    assert report.conforms, report.text()


def test_the_valid_fixture_conforms(shapes):
    assert validate.run_shapes(fixture_graph(), shapes) == []


def test_every_shape_has_a_broken_fixture(shapes):
    named = {str(s).removeprefix(str(TGSH)) for kind in (SH.NodeShape, SH.PropertyShape)
             for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    assert named == set(BREAKS)


@pytest.mark.parametrize("shape", sorted(k for k, v in BREAKS.items() if v))
def test_the_shape_rejects_its_broken_fixture(shapes, shape):
    graph = fixture_graph()
    BREAKS[shape](graph)
    found = validate.run_shapes(graph, shapes)
    assert f"tgsh:{shape}" in {v.shape for v in found}, [v.line() for v in found]
