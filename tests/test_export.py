"""Release files: they parse back to the same triples (conftest's `release`, written once). That
export writes every format deterministically is tests/test_cli.py's export test (a second load)."""

import functools
import re

import pyoxigraph as ox
import pytest
import rdflib

from termgraph import namespaces as ns

# One test process runs these tests (pytest-xdist --dist loadgroup): each release file is parsed once.
pytestmark = pytest.mark.xdist_group("release-files")


@functools.cache
def rdflib_count(path, fmt: str) -> int:
    """Triples rdflib reads from a release file (~0.5 s for the big ones: each is parsed once for
    the tests below, which compare the counts with other parsers')."""
    return len(rdflib.Graph().parse(path, format=fmt))


def test_release_files_parse_back_with_the_same_counts(release, data):
    paths = release
    formats = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
    quads = len(list(ox.parse(path=str(paths["termgraph.nq"]), format=ox.RdfFormat.N_QUADS)))
    trig = len(list(ox.parse(path=str(paths["termgraph.trig"]), format=ox.RdfFormat.TRIG)))
    assert quads == trig == len(data.store)
    triples = {ext: rdflib_count(paths[f"termgraph-ontology.{ext}"], f)
               for ext, f in formats.items()}
    assert len(set(triples.values())) == 1, triples
    merged = {ext: rdflib_count(paths[f"termgraph.{ext}"], f)
              for ext, f in formats.items() if ext != "jsonld"}
    assert set(merged.values()) == {data.default_graph_size()}, merged


def test_release_files_load_in_rapper_with_the_same_counts(release):
    """An independent parser (Debian's raptor2-utils) reads the release files."""
    import shutil
    import subprocess

    assert shutil.which("rapper"), "scripts/test.sh installs raptor2-utils"
    paths = release
    counts = {}
    for name, syntax in (("termgraph.ttl", "turtle"), ("termgraph.nt", "ntriples"), ("termgraph.rdf", "rdfxml"),
                         ("termgraph-ontology.ttl", "turtle"), ("termgraph-ontology.rdf", "rdfxml")):
        run = subprocess.run(["rapper", "-c", "-i", syntax, str(paths[name])], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        counts[name] = int(re.search(r"returned (\d+) triples", run.stderr).group(1))
    merged = rdflib_count(paths["termgraph.nt"], "nt")
    assert counts["termgraph.ttl"] == counts["termgraph.nt"] == counts["termgraph.rdf"] == merged
    assert counts["termgraph-ontology.ttl"] == counts["termgraph-ontology.rdf"] > 200


def test_release_files_triple_counts_agree_across_three_parsers(release):
    """rdflib, pyoxigraph and rapper read the same number of triples from every triple file."""
    import shutil
    import subprocess

    paths = release
    syntaxes = {"ttl": ("turtle", "turtle", ox.RdfFormat.TURTLE), "nt": ("nt", "ntriples", ox.RdfFormat.N_TRIPLES),
                "rdf": ("xml", "rdfxml", ox.RdfFormat.RDF_XML)}
    for stem in ("termgraph", "termgraph-ontology"):
        for ext, (rdflib_fmt, rapper_fmt, ox_fmt) in syntaxes.items():
            path = paths[f"{stem}.{ext}"]
            by_rdflib = rdflib_count(path, rdflib_fmt)
            by_oxigraph = len(set(ox.parse(path=str(path), format=ox_fmt)))
            run = subprocess.run([shutil.which("rapper"), "-c", "-i", rapper_fmt, str(path)], capture_output=True, text=True)
            by_rapper = int(re.search(r"returned (\d+) triples", run.stderr).group(1))
            assert by_rdflib == by_oxigraph == by_rapper, (path.name, by_rdflib, by_oxigraph, by_rapper)
    jsonld = len(set(ox.parse(path=str(paths["termgraph-ontology.jsonld"]), format=ox.RdfFormat.JSON_LD)))
    assert jsonld == rdflib_count(paths["termgraph-ontology.ttl"], "turtle")


def parse_turtle(path):
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


N = ox.NamedNode
BERT_IS_GENERATIVE = ox.Triple(N(ns.SYSTEM + "bert"), N(ns.RDF + "type"), N(ns.CONCEPT + "generative-ai"))


def test_the_single_graph_files_hold_no_disputed_statement_as_a_fact(release):
    tmp_path = release["termgraph.ttl"].parent
    triples = parse_turtle(tmp_path / "termgraph.ttl")
    assert BERT_IS_GENERATIVE not in triples  # 004 asserts it, 002 denies it
    llm_sub_gen = ox.Triple(N(ns.CONCEPT + "large-language-model"), N(ns.RDFS + "subClassOf"), N(ns.CONCEPT + "generative-ai"))
    assert llm_sub_gen not in triples
    gpt4 = ox.Triple(N(ns.SYSTEM + "gpt-4"), N(ns.RDF + "type"), N(ns.CONCEPT + "large-language-model"))
    assert gpt4 in triples  # undisputed
    # ... and every view stays in the quad files, with its graph
    quads = set(ox.parse(path=str(tmp_path / "termgraph.nq"), format=ox.RdfFormat.N_QUADS))
    b = BERT_IS_GENERATIVE
    assert ox.Quad(b.subject, b.predicate, b.object, N(ns.GRAPH_VIEW + "004")) in quads


def test_release_files_say_they_are_generated(release):
    tmp_path = release["termgraph.ttl"].parent
    for name in ("termgraph.ttl", "termgraph.nt", "termgraph-source-004.ttl", "termgraph-ontology.trig"):
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("# generated by `termgraph export`")


def test_one_file_per_source_the_world_according_to_it(release):
    names, tmp_path = set(release), release["termgraph.ttl"].parent
    assert {f"termgraph-source-00{i}.ttl" for i in range(5)} <= names and "catalog-v001.xml" in names
    view = N(ns.GRAPH_VIEW + "004")
    s004 = parse_turtle(tmp_path / "termgraph-source-004.ttl")
    assert ox.Triple(view, N(ns.RDF + "type"), N(ns.OWL + "Ontology")) in s004
    assert ox.Triple(view, N(ns.OWL + "imports"), N(ns.ONTOLOGY)) in s004
    assert BERT_IS_GENERATIVE in s004
    assert BERT_IS_GENERATIVE not in parse_turtle(tmp_path / "termgraph-source-002.ttl")  # 002 denies it
    # every term the file uses is declared there (an OWL class or a typed individual)
    declared = {t.subject for t in s004 if t.predicate == N(ns.RDF + "type")}
    used = {t.object for t in s004 if t.predicate == N(ns.RDF + "type")} - {N(ns.OWL + "Ontology"), N(ns.OWL + "Class")}
    assert {u for u in used if u.value.startswith(ns.CONCEPT)} <= declared
    catalog = (tmp_path / "catalog-v001.xml").read_text()
    assert f'name="{ns.ONTOLOGY}" uri="termgraph-ontology.ttl"' in catalog


def test_release_files_have_blank_nodes_only_where_owl_needs_them(release):
    """The served skolem IRIs become blank nodes again in the files (the ontology's OWL lists)."""
    tmp_path = release["termgraph.ttl"].parent
    text = (tmp_path / "termgraph-ontology.nt").read_text()
    assert "/.well-known/genid/" not in text and "_:" in text
