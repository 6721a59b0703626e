"""Release files: all six formats, deterministic, and they parse back to the same triples."""

import re

import pyoxigraph as ox
import rdflib

from termgraph.build import export
from termgraph.build import load as loader


def test_export_writes_every_format_deterministically(tmp_path, settings, data):
    first = export.export(data, tmp_path / "a")
    second = export.export(loader.load(settings), tmp_path / "b")
    names = sorted(p.name for p in first)
    for stem in ("termgraph", "termgraph-ontology"):
        for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
            assert f"{stem}.{ext}" in names
    assert "termgraph-void.ttl" in names
    for a, b in zip(sorted(first), sorted(second)):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_release_files_parse_back_with_the_same_counts(tmp_path, data):
    paths = {p.name: p for p in export.export(data, tmp_path)}
    formats = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
    quads = len(list(ox.parse(path=str(paths["termgraph.nq"]), format=ox.RdfFormat.N_QUADS)))
    trig = len(list(ox.parse(path=str(paths["termgraph.trig"]), format=ox.RdfFormat.TRIG)))
    assert quads == trig == len(data.store)
    triples = {ext: len(rdflib.Graph().parse(paths[f"termgraph-ontology.{ext}"], format=f))
               for ext, f in formats.items()}
    assert len(set(triples.values())) == 1, triples
    merged = {ext: len(rdflib.Graph().parse(paths[f"termgraph.{ext}"], format=f))
              for ext, f in formats.items() if ext != "jsonld"}
    assert len(set(merged.values())) == 1, merged


def test_release_files_load_in_rapper_with_the_same_counts(tmp_path, data):
    """An independent parser (Debian's raptor2-utils) reads the release files."""
    import shutil
    import subprocess

    assert shutil.which("rapper"), "scripts/test.sh installs raptor2-utils"
    paths = {p.name: p for p in export.export(data, tmp_path)}
    counts = {}
    for name, syntax in (("termgraph.ttl", "turtle"), ("termgraph.nt", "ntriples"), ("termgraph.rdf", "rdfxml"),
                         ("termgraph-ontology.ttl", "turtle"), ("termgraph-ontology.rdf", "rdfxml")):
        run = subprocess.run(["rapper", "-c", "-i", syntax, str(paths[name])], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        counts[name] = int(re.search(r"returned (\d+) triples", run.stderr).group(1))
    merged = len(rdflib.Graph().parse(paths["termgraph.nt"], format="nt"))
    assert counts["termgraph.ttl"] == counts["termgraph.nt"] == counts["termgraph.rdf"] == merged
    assert counts["termgraph-ontology.ttl"] == counts["termgraph-ontology.rdf"] > 200


def test_release_files_triple_counts_agree_across_three_parsers(tmp_path, data):
    """rdflib, pyoxigraph and rapper read the same number of triples from every triple file."""
    import shutil
    import subprocess

    paths = {p.name: p for p in export.export(data, tmp_path)}
    syntaxes = {"ttl": ("turtle", "turtle", ox.RdfFormat.TURTLE), "nt": ("nt", "ntriples", ox.RdfFormat.N_TRIPLES),
                "rdf": ("xml", "rdfxml", ox.RdfFormat.RDF_XML)}
    for stem in ("termgraph", "termgraph-ontology"):
        for ext, (rdflib_fmt, rapper_fmt, ox_fmt) in syntaxes.items():
            path = paths[f"{stem}.{ext}"]
            by_rdflib = len(rdflib.Graph().parse(path, format=rdflib_fmt))
            by_oxigraph = len(set(ox.parse(path=str(path), format=ox_fmt)))
            run = subprocess.run([shutil.which("rapper"), "-c", "-i", rapper_fmt, str(path)], capture_output=True, text=True)
            by_rapper = int(re.search(r"returned (\d+) triples", run.stderr).group(1))
            assert by_rdflib == by_oxigraph == by_rapper, (path.name, by_rdflib, by_oxigraph, by_rapper)
    jsonld = len(set(ox.parse(path=str(paths["termgraph-ontology.jsonld"]), format=ox.RdfFormat.JSON_LD)))
    assert jsonld == len(rdflib.Graph().parse(paths["termgraph-ontology.ttl"], format="turtle"))
