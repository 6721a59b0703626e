"""The ontology (alone, and with the curated concepts and systems) is consistent under HermiT,
the OWL 2 DL reasoner that owlready2 ships (it needs java)."""

import shutil
from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest

from termgraph import namespaces as ns

pytestmark = pytest.mark.reasoner



@pytest.fixture(autouse=True)
def java():
    assert shutil.which("java"), "HermiT needs java: scripts/test.sh installs default-jre-headless"


def write_graphs(data, graphs, path, extra=""):
    quads = [q for g in graphs for q in data.store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) + extra.encode())
    return path


def reason(path):
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


@pytest.mark.reasoner
def test_ontology_is_consistent(tmp_path, data):
    world = reason(write_graphs(data, [ns.GRAPH_ONTOLOGY], tmp_path / "ontology.nt"))
    assert list(world.inconsistent_classes()) == []


@pytest.mark.reasoner
def test_ontology_with_curated_data_is_consistent(tmp_path, data):
    world = reason(write_graphs(data, [ns.GRAPH_ONTOLOGY, ns.GRAPH_CURATED], tmp_path / "curated.nt"))
    assert list(world.inconsistent_classes()) == []


@pytest.mark.reasoner
def test_the_reasoner_does_catch_an_inconsistency(tmp_path, data):
    clash = f"<{ns.TG}Asserts> <http://www.w3.org/2002/07/owl#sameAs> <{ns.TG}Denies> .\n"
    path = write_graphs(data, [ns.GRAPH_ONTOLOGY], tmp_path / "clash.nt", extra=clash)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(path)


@pytest.fixture(scope="module")
def release(tmp_path_factory, data):
    from termgraph.graph import export

    out = tmp_path_factory.mktemp("dist")
    export.export(data, out)
    return out


def reason_source(release, path: Path):
    """The source's file as Protégé opens it: the vocabulary it imports, then the file; HermiT."""
    world = owlready2.World()
    with open(release / "termgraph-ontology.rdf", "rb") as vocabulary:
        world.get_ontology(ns.ONTOLOGY).load(fileobj=vocabulary)
    nt = path.with_suffix(".nt")
    nt.write_bytes(ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES))
    onto = world.get_ontology(nt.as_uri()).load()
    assert [o.base_iri for o in onto.imported_ontologies] == [ns.TG]
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


@pytest.mark.reasoner
@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_each_source_view_is_consistent_under_hermit(release, number):
    """Reports (fails, naming the source) any source whose own view is inconsistent."""
    try:
        world = reason_source(release, release / f"termgraph-source-{number}.ttl")
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        pytest.fail(f"source {number}'s own view (termgraph-source-{number}.ttl) is inconsistent under HermiT: {exc}")
    assert list(world.inconsistent_classes()) == [], f"source {number} has unsatisfiable classes"


@pytest.mark.reasoner
def test_the_reasoner_catches_an_inconsistent_source_view(release, tmp_path):
    clash = f"<{ns.TG}Asserts> <http://www.w3.org/2002/07/owl#sameAs> <{ns.TG}Denies> .\n"
    broken = tmp_path / "termgraph-source-999.ttl"
    broken.write_text((release / "termgraph-source-004.ttl").read_text() + clash)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason_source(release, broken)


@pytest.mark.reasoner
def test_a_source_saying_nothing_is_both_of_a_class_and_its_subclass_is_reported(release, tmp_path):
    """004 says every LLM is a generative AI; had it also said nothing is both (tg:disjointWith, stated
    in its view as owl:disjointWith), HermiT finds 004's view inconsistent (004 also names LLMs, such as
    BERT, which would have to be both)."""
    disjoint = (f"<{ns.CONCEPT}large-language-model> <http://www.w3.org/2002/07/owl#disjointWith> "
                f"<{ns.CONCEPT}generative-ai> .\n")
    broken = tmp_path / "termgraph-source-998.ttl"
    broken.write_text((release / "termgraph-source-004.ttl").read_text() + disjoint)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason_source(release, broken)
