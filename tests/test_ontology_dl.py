"""The ontology (alone, and with the curated concepts and systems) is consistent under HermiT,
the OWL 2 DL reasoner that owlready2 ships (it needs java)."""

import shutil

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


def test_ontology_is_consistent(tmp_path, data):
    world = reason(write_graphs(data, [ns.GRAPH_ONTOLOGY], tmp_path / "ontology.nt"))
    assert list(world.inconsistent_classes()) == []


def test_ontology_with_curated_data_is_consistent(tmp_path, data):
    world = reason(write_graphs(data, [ns.GRAPH_ONTOLOGY, ns.GRAPH_CURATED], tmp_path / "curated.nt"))
    assert list(world.inconsistent_classes()) == []


def test_the_reasoner_does_catch_an_inconsistency(tmp_path, data):
    clash = f"<{ns.TG}Asserts> <http://www.w3.org/2002/07/owl#sameAs> <{ns.TG}Denies> .\n"
    path = write_graphs(data, [ns.GRAPH_ONTOLOGY], tmp_path / "clash.nt", extra=clash)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(path)
