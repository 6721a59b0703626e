"""data/curated/disagreements.csv: the curated disagreements' table, checked by `termgraph validate`
and turned into data/curated/disagreements.ttl by `termgraph claims generate`; and
data/claims/retired.csv, the claim numbers never to be used again."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import curated_disagreements as cd
from termgraph.graph import validate
from termgraph.graph.claims_table import write_table
from termgraph.cli import main
from termgraph.curate.accept import next_ids

from .claims_fixtures import make_root, row

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
# a claim of source 001, quoted from its text in the seeds folder
OTHER = dict(id="001-001", subject="concept:large-language-model", predicate="tg:distinctFrom",
             object="concept:foundation-model", stance="asserts",
             quote="they have distinct characteristics and serve different purposes")


def root_with(tmp_path: Path, *curated: list[str], retired: list[list[str]] | None = None,
              rows: list[dict] | None = None) -> Path:
    root = make_root(tmp_path, rows or [row(), row(id="000-002", stance="denies", quote="BERT is not generative.",
                                                 subject="system:bert", predicate="rdf:type",
                                                 object="concept:generative-ai")])
    write_table(root / "data/claims/001.csv", [row(**OTHER)])
    main(["--root", str(root), "claims", "generate"])  # the claims' Turtle first: a bad table below generates nothing
    if curated:
        with open(root / cd.TABLE, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([list(cd.COLUMNS), *curated])
    if retired is not None:
        with open(root / "data/claims/retired.csv", "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([["id", "retired", "reason"], *retired])
    main(["--root", str(root), "claims", "generate"])
    return root


def good(**cells) -> list[str]:
    base = dict(id="001", kind="incompatible-relations", one_side="000-001", other_side="001-001",
                title="Is an LLM a kind of foundation model?", summary="One says so; the other that they differ.",
                note="A careful reader would sign it.")
    base.update(cells)
    return [base[c] for c in cd.COLUMNS]


def test_a_curated_disagreement_is_generated_marked_curated_and_never_attributed(tmp_path):
    root = root_with(tmp_path, good())
    assert validate.curator_problems(root, SEEDS) == []
    text = (root / cd.TURTLE).read_text(encoding="utf-8")
    assert text.startswith("# generated from data/curated/disagreements.csv")
    graph = list(ox.parse(text, format=ox.RdfFormat.TURTLE))
    node = ox.NamedNode(ns.DISAGREEMENT + "curated/001")
    said = {(t.predicate.value, t.object.value) for t in graph if t.subject == node}
    assert said == {(ns.RDF + "type", ns.TG + "Disagreement"), (ns.TG + "curated", "true"),
                    (ns.TG + "disagreementKind", ns.TG + "IncompatibleRelations"),
                    (ns.TG + "hasClaim", ns.CLAIM + "000-001"), (ns.TG + "hasClaim", ns.CLAIM + "001-001"),
                    (ns.RDFS + "label", "Is an LLM a kind of foundation model?"),
                    (ns.DCTERMS + "description", "One says so; the other that they differ."),
                    (ns.SKOS + "editorialNote", "A careful reader would sign it.")}


def test_one_source_twice_is_within_one_source_only(tmp_path):
    root = root_with(tmp_path, good(one_side="000-001", other_side="000-002"),
                     good(id="002", kind="within-one-source", one_side="000-001", other_side="000-002"))
    assert validate.curator_problems(root, SEEDS) == [
        "data/curated/disagreements.csv row 2, column kind: both sides come from one source: that is within-one-source"]


def test_each_bad_cell_is_named(tmp_path):
    root = root_with(tmp_path, good(id="1x", kind="hedging-difference", one_side="000-009", other_side=""),
                     good(id="003", title=""), good(id="003"), good(id="004", other_side="000-001"))
    assert validate.curator_problems(root, SEEDS) == [
        "data/curated/disagreements.csv row 2, column id: '1x' is not a number such as 001",
        "data/curated/disagreements.csv row 2, column kind: 'hedging-difference' is not one of opposite-stances, "
        "incompatible-relations, different-values, membership-excluded, within-one-source (a hedging difference is no "
        "disagreement)",
        "data/curated/disagreements.csv row 2, column one_side: 000-009: no such claim in data/claims/",
        "data/curated/disagreements.csv row 2, column other_side: name the claims on this side (claim ids separated by "
        "spaces)",
        "data/curated/disagreements.csv row 3, column title: write the title: a careful reader must see why the sides "
        "cannot both hold",
        "data/curated/disagreements.csv row 4, column id: 003 is used twice (first in row 3); numbers are never reused",
        "data/curated/disagreements.csv row 5, column other_side: 000-001 is on both sides"]
    assert not (root / cd.TURTLE).exists()  # a table with a problem generates nothing


def test_a_stale_generated_file_is_reported(tmp_path):
    root = root_with(tmp_path, good())
    (root / cd.TURTLE).write_text("# edited by hand\n", encoding="utf-8")
    assert validate.curator_problems(root, SEEDS) == [
        "data/curated/disagreements.ttl: differs from data/curated/disagreements.csv (edit the CSV, then run: "
        "termgraph claims generate)"]


def test_a_retired_number_cannot_be_used_again(tmp_path):
    root = root_with(tmp_path, retired=[["000-002", "2026-12-01", "quoted a heading"], ["000-1", "yesterday", ""]])
    assert validate.curator_problems(root, SEEDS) == [
        "data/claims/retired.csv row 3, column id: '000-1' is not a claim id (NNN-MMM)",
        "data/claims/000.csv row 3, column id: 000-002 is a retired number (data/claims/retired.csv row 2): numbers "
        "are never reused; give the claim the next number after the highest ever used"]


def test_new_claims_are_numbered_after_the_highest_number_ever_used():
    existing = [{"id": "005-001"}, {"id": "005-002"}]
    assert next_ids(existing, "005", 2) == ["005-003", "005-004"]
    assert next_ids(existing, "005", 2, retired_up_to=7) == ["005-008", "005-009"]
    assert next_ids([], "005", 1, retired_up_to=0) == ["005-001"]


def test_the_project_retires_every_number_it_deleted():
    retired = {r["id"] for r in csv.DictReader(open(ROOT / "data/claims/retired.csv", encoding="utf-8"))}
    assert {"000-014", "000-015", "000-016", "000-116", "000-117", "002-015", "003-080"} <= retired
