"""termgraph draft NNN --accept: accepted rows move to NNN.csv with the next ids; refusals change nothing."""

from __future__ import annotations

import pytest

from termgraph.cli import main
from termgraph.graph import claims_table as table
from termgraph.curate.accept import AcceptRefused, accept
from termgraph.curate.draft import draft_paths
from termgraph.curate.project import load_project
from tests.curate_helpers import drafted_copy, snapshot



@pytest.fixture()
def drafted(tmp_path, seeds):
    return drafted_copy(tmp_path, seeds, "Chatbots")


def mark(root, decide, entities=None):
    claims, ents = draft_paths(root, "015")
    rows = table.read_rows(claims, table.DRAFT_COLUMNS)
    for row in rows:
        decide(row)
    table.write_rows(claims, rows, table.DRAFT_COLUMNS)
    if entities:
        erows = table.read_rows(ents, table.ENTITY_COLUMNS)
        for row in erows:
            entities(row)
        table.write_rows(ents, erows, table.ENTITY_COLUMNS)
    return rows


def key(row):
    return row["subject"], row["predicate"], row["object"]


def test_accepted_rows_move_with_the_next_free_ids(drafted):
    existing = [{c: "" for c in table.COLUMNS} | {"id": "015-007", "subject": "concept:chatbot",
                "predicate": "rdfs:subClassOf", "object": "concept:artificial-intelligence", "stance": "asserts",
                "quote": "Chatbots are a type of AI system."}]
    table.write_rows(drafted / "data/claims/015.csv", existing, table.COLUMNS)
    wanted = {("concept:chatbot", "rdfs:subClassOf", "concept:foundation-model"), ("system:bard", "schema:isBasedOn", "system:palm")}
    rows = mark(drafted, lambda r: r.update(accept="y" if key(r) in wanted else ("n" if r["rule"] == "definition" else "")))
    outcome = accept(drafted, "015")
    assert outcome.added == ["015-008", "015-009"]
    moved = table.read_rows(drafted / "data/claims/015.csv", table.COLUMNS)
    assert [r["id"] for r in moved] == ["015-007", "015-008", "015-009"]
    assert {key(r) for r in moved[1:]} == wanted
    assert moved[1]["stance"] in ("denies", "asserts")
    left = table.read_rows(draft_paths(drafted, "015")[0], table.DRAFT_COLUMNS)
    assert len(left) == len(rows) - 2 and not any(key(r) in wanted for r in left)


def test_a_row_naming_an_unknown_entity_is_refused_with_how_to_add_it(drafted):
    mark(drafted, lambda r: r.update(accept="y" if r["subject"] == "system:nimbus-chat" else ""))
    before = snapshot(drafted)
    with pytest.raises(AcceptRefused, match=r"data/claims/015.draft.csv row \d+, column subject: system:nimbus-chat "
                                            r"is not a declared .* accept it in the entities sheet"):
        accept(drafted, "015")
    assert snapshot(drafted) == before


def test_accepted_new_entities_are_declared_so_their_rows_can_move(drafted):
    mark(drafted, lambda r: r.update(accept="y" if r["subject"] == "system:nimbus-chat" else ""),
         entities=lambda e: e.update(accept="y"))
    outcome = accept(drafted, "015")
    assert len(outcome.added) == 2
    assert {e.curie for e in load_project(drafted).entities.values()} >= {"system:nimbus-chat", "org:cirrus-labs"}
    assert table.read_rows(draft_paths(drafted, "015")[1], table.ENTITY_COLUMNS) == []


@pytest.mark.parametrize("change, message", [
    ({"quote": "Chatbots are a type of AI systems."}, "column quote: not a verbatim substring"),
    ({"stance": "assert"}, "column stance: 'assert' is not one of asserts, denies, qualifies"),
    ({"stance": "qualifies", "qualification": ""}, "column qualification: a qualifies row needs"),
    ({"object": "concept:large-langauge-model"}, "column object: concept:large-langauge-model is not declared"),
    ({"predicate": "foo:bar"}, "'foo:bar' is not a CURIE with a known prefix"),
    ({"accept": "maybe"}, "column accept: 'maybe' is neither yes"),
])
def test_bad_rows_are_refused_and_nothing_changes(drafted, change, message):
    first = {"done": False}

    def decide(row):
        if not first["done"] and row["predicate"] == "rdfs:subClassOf":
            row.update(accept="y")
            row.update(change)
            first["done"] = True
    mark(drafted, decide)
    before = snapshot(drafted)
    with pytest.raises(AcceptRefused, match=message.replace("(", r"\(")):
        accept(drafted, "015")
    assert snapshot(drafted) == before


def test_a_changed_source_text_stops_accept(drafted, capsys):
    mark(drafted, lambda r: r.update(accept="y"))
    text = next((drafted / "data/sources").glob("015_*.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\nAn extra line.\n", encoding="utf-8")
    before = snapshot(drafted)
    assert main(["--root", str(drafted), "draft", "015", "--accept"]) == 2
    assert "the text has changed since source 015 was added" in capsys.readouterr().err
    assert snapshot(drafted) == before


def test_accepting_every_drafted_row_and_entity_works(drafted):
    rows = mark(drafted, lambda r: r.update(accept="y"), entities=lambda e: e.update(accept="yes"))
    outcome = accept(drafted, "015")
    moved = table.read_rows(drafted / "data/claims/015.csv", table.COLUMNS)
    assert len(outcome.added) == len(rows) == len(moved)
    assert {r["predicate"] for r in moved} >= {"skos:definition", "rdfs:subClassOf",  # one definition a term
                                               "rdf:type", "schema:creator", "schema:isBasedOn"}
    assert table.read_rows(draft_paths(drafted, "015")[0], table.DRAFT_COLUMNS) == []


def test_cli_draft_then_accept(drafted, capsys):
    mark(drafted, lambda r: r.update(accept="y" if r["subject"] == "concept:chatbot" else "n"))
    assert main(["--root", str(drafted), "draft", "15", "--accept"]) == 0
    out = capsys.readouterr().out
    moved = table.read_rows(drafted / "data/claims/015.csv", table.COLUMNS)
    assert f"moved {len(moved)} claim(s) into {drafted / 'data/claims/015.csv'} (015-001 to 015-{len(moved):03d})" in out
    assert all(r["subject"] == "concept:chatbot" for r in moved) and len(moved) >= 3


@pytest.mark.slow
def test_a_sixth_source_end_to_end_add_draft_accept_validate_serve(drafted, capsys):
    """The README's path: the accepted claims validate, and the pages show the new source, its
    claims and its disagreements with the sources already there (derived from the claims, never listed here).
    Marked slow (~9 s: SHACL over the whole project, a load): its steps' own tests above,
    tests/test_shapes.py and tests/test_pages.py are in the default run."""
    import re

    from fastapi.testclient import TestClient

    from termgraph import namespaces as ns
    from termgraph.settings import Settings
    from termgraph.web.app import create_app
    from tests.conftest import inline_state

    mark(drafted, lambda r: r.update(accept="y"), entities=lambda e: e.update(accept="yes"))
    assert main(["--root", str(drafted), "draft", "015", "--accept"]) == 0
    assert main(["--root", str(drafted), "validate"]) == 0, capsys.readouterr()
    state = inline_state(Settings(root=drafted))
    with TestClient(create_app(state), base_url="http://testserver") as client:
        page = client.get("/source/015", headers={"accept": "text/html"})
        moved = table.read_rows(drafted / "data/claims/015.csv", table.COLUMNS)
        assert page.status_code == 200 and "Chatbots" in page.text
        assert len(set(re.findall(r'href="/claim/(015-\d+)"', page.text))) == len(moved)
        rows = state.store.query(ns.sparql_prefixes() + "SELECT DISTINCT ?d WHERE { ?d a tg:Disagreement ; "
                                 "tg:involvesSource source:015 , ?other FILTER (?other != source:015) }")
        found = ["/" + r["d"].value[len(ns.BASE):] for r in rows]
        matrix = client.get("/disagreements", headers={"accept": "text/html"}).text
        assert found and all(f'href="{d}"' in matrix for d in found), found
        assert all(client.get(d, headers={"accept": "text/html"}).status_code == 200 for d in found)
    state.close()


def test_a_quote_edited_into_another_passage_is_accepted_with_a_warning(drafted, capsys):
    def decide(row):
        if key(row) == ("system:bard", "schema:isBasedOn", "system:palm"):
            row.update(accept="y", quote="Chatbots can be considered a kind of generative AI.", prefix="", suffix="")
        elif key(row) == ("concept:chatbot", "rdfs:subClassOf", "concept:artificial-intelligence"):
            row.update(accept="y", quote="a type of AI system", prefix="", suffix="")  # trimmed in place
    mark(drafted, decide)
    text = next((drafted / "data/sources").glob("015_*.txt")).read_text(encoding="utf-8")
    assert main(["--root", str(drafted), "draft", "015", "--accept"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    start = text.index("Chatbots can be considered")
    bard = "Google's Bard is based on PaLM."
    was = text.index(bard)
    assert len(err) == 1
    assert err[0].startswith("termgraph: warning: data/claims/015.draft.csv row ")
    assert err[0].endswith(f": the quote now stands at characters {start}-{start + 51}, "
                           f"{start - (was + len(bard))} characters away from the passage "
                           f"the draft found (characters {was}-{was + 31}, \"Google's Bard is based on PaLM.\"); "
                           "check that it is the passage you meant")


def test_a_draft_without_the_found_at_column_is_still_read_and_accepted(drafted):
    claims, _ = draft_paths(drafted, "015")
    rows = table.read_rows(claims, table.DRAFT_COLUMNS)
    for row in rows:
        row["accept"] = "y" if key(row) == ("system:bard", "schema:isBasedOn", "system:palm") else ""
    table.write_rows(claims, rows, table.DRAFT_COLUMNS[:-1])
    assert all(r["found_at"] == "" for r in table.read_rows(claims, table.DRAFT_COLUMNS))
    outcome = accept(drafted, "015")
    assert len(outcome.added) == 1 and outcome.warnings == []


def test_a_new_concept_is_declared_in_concepts_ttl_with_its_accepted_definition(tmp_path, seeds):
    from termgraph.curate.draft import run_draft
    from termgraph.curate.sources import add_source
    from tests.curate_helpers import project_copy

    root = project_copy(tmp_path, seeds)
    article = tmp_path / "sparse.txt"
    article.write_text("Sparse expert models are models that send each token to a few experts.\n"
                       "Sparse expert models are a kind of foundation model.\n", encoding="utf-8")
    add_source(root, article, "Sparse experts")
    run_draft(root, "015")
    claims, ents = draft_paths(root, "015")
    assert [(e["id"], e["kind"], e["label"]) for e in table.read_rows(ents, table.ENTITY_COLUMNS)] == [
        ("concept:sparse-expert-model", "concept", "sparse expert model")]
    # without its definition the concept cannot be declared: refused, nothing changed
    mark(root, lambda r: r.update(accept="y" if r["predicate"] == "rdfs:subClassOf" else ""),
         entities=lambda e: e.update(accept="y"))
    before = snapshot(root)
    with pytest.raises(AcceptRefused, match="the new concept concept:sparse-expert-model needs a definition"):
        accept(root, "015")
    assert snapshot(root) == before
    mark(root, lambda r: r.update(accept="y"))
    outcome = accept(root, "015")
    assert outcome.entities == ["https://w3id.org/termgraph/concept/sparse-expert-model"]
    ttl = (root / "data/curated/concepts.ttl").read_text(encoding="utf-8")
    assert ('<https://w3id.org/termgraph/concept/sparse-expert-model> a <https://w3id.org/termgraph/ontology#Concept>'
            in ttl and '"models that send each token to a few experts"@en' in ttl)
    assert "sparse-expert-model" not in (root / "data/curated/systems.ttl").read_text(encoding="utf-8")
    assert load_project(root).entities["https://w3id.org/termgraph/concept/sparse-expert-model"].kind == "concept"
