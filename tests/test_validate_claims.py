"""`termgraph validate` catches what curators get wrong in the claims tables."""

import hashlib
from pathlib import Path

from termgraph.graph import validate
from termgraph.cli import main

from .claims_fixtures import TEXT, make_root, row

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def problems(tmp_path, *rows, text=TEXT, generate=True):
    root = make_root(tmp_path, list(rows), text)
    if generate:
        assert main(["--root", str(root), "claims", "generate"]) in (0, 1)
    return validate.curator_problems(root, SEEDS)


def test_the_project_data_has_no_curator_problem(seeds):
    assert validate.curator_problems(ROOT, seeds) == []


def test_the_fixture_is_clean(tmp_path):
    assert problems(tmp_path, row()) == []


def test_a_fabricated_quote_fails(tmp_path):
    assert problems(tmp_path, row(quote="LLMs are the only foundation models.")) == [
        "data/claims/000.csv row 2, column quote: not a verbatim substring of 000_c3058e96d281f648.txt "
        "(copy the passage exactly as the text has it): 'LLMs are the only foundation models.'"]


def test_a_quote_with_straightened_quote_marks_says_so(tmp_path):
    found = problems(tmp_path, row(quote='Models often "hallucinate".'))
    assert len(found) == 1 and "the text has other quote marks, dashes or spaces here" in found[0]


def test_a_recurring_quote_needs_a_prefix_or_suffix(tmp_path):
    found = problems(tmp_path, row(predicate="rdf:type", subject="system:bert", object="concept:large-language-model",
                                   quote="BERT"))
    assert found == ["data/claims/000.csv row 2, column prefix: the quote occurs 2 times in "
                     "000_c3058e96d281f648.txt; add the text just before it (prefix) or after it (suffix) so that "
                     "it occurs once"]
    assert problems(tmp_path / "b", row(predicate="rdf:type", subject="system:bert",
                                        object="concept:large-language-model", quote="BERT", prefix="- ")) == []
    assert "column suffix: suffix does not match" in problems(tmp_path / "c", row(suffix="!"))[0]


def test_a_mistyped_concept_is_not_declared_and_the_fix_is_named(tmp_path):
    assert problems(tmp_path, row(subject="concept:large-langauge-model")) == [
        "data/claims/000.csv row 2, column subject: concept:large-langauge-model is not declared; did you mean "
        "concept:large-language-model? (add new concepts to data/curated/concepts.ttl)"]


def test_an_unknown_system_or_organisation_says_where_to_add_it(tmp_path):
    found = problems(tmp_path, row(subject="system:zorblax-9000", predicate="schema:creator", object="org:nobody-inc"))
    assert found == [
        "data/claims/000.csv row 2, column subject: system:zorblax-9000 is not declared "
        "(add new systems to data/curated/systems.ttl)",
        "data/claims/000.csv row 2, column object: org:nobody-inc is not declared "
        "(add new organisations to data/curated/systems.ttl)"]


def test_a_claim_of_an_unregistered_source_is_an_error(tmp_path):
    root = make_root(tmp_path, [])
    (root / "data/claims/000.csv").rename(root / "data/claims/099.csv")
    (root / "data/claims/099.csv").write_text((root / "data/claims/099.csv").read_text() +
                                              "099-001,concept:foundation-model,skos:altLabel,FM,,asserts,,FM,,,\n")
    assert validate.curator_problems(root, SEEDS)[0] == (
        "data/claims/099.csv row 2, column id: source:099 is not a registered source "
        "(register its text with termgraph source add)")


def test_the_text_in_data_sources_comes_before_the_seeds_folder(tmp_path):
    root = make_root(tmp_path, [row()])
    # the fixture's text (data/sources/) has the quote; the seed text of the same name does not
    assert "Large language models (LLMs) are a type of foundation model." not in \
        (SEEDS / "000_c3058e96d281f648.txt").read_text(encoding="utf-8")
    main(["--root", str(root), "claims", "generate"])
    assert validate.curator_problems(root, SEEDS) == []
    (root / "data/sources/000_c3058e96d281f648.txt").unlink()
    assert "not a verbatim substring" in validate.curator_problems(root, SEEDS)[0]


def test_a_text_changed_since_it_was_registered_is_reported(tmp_path):
    root = make_root(tmp_path, [row()])
    main(["--root", str(root), "claims", "generate"])
    sources = root / "data/curated/sources.ttl"
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    sources.write_text(sources.read_text().replace('dcterms:identifier "000_c3058e96d281f648.txt" ;',
                       f'dcterms:identifier "000_c3058e96d281f648.txt" ; tg:textSha256 "{sha}" ;'))
    assert validate.curator_problems(root, SEEDS) == []
    (root / "data/sources/000_c3058e96d281f648.txt").write_text(TEXT + "edited", encoding="utf-8")
    found = validate.curator_problems(root, SEEDS)
    assert len(found) == 1 and found[0].startswith("data/claims/000.csv: 000_c3058e96d281f648.txt has changed since "
                                                   "it was registered")


def test_a_stale_or_orphan_turtle_file_is_reported(tmp_path):
    root = make_root(tmp_path, [row()])
    assert validate.curator_problems(root, SEEDS) == [
        "data/claims/000.ttl: differs from data/claims/000.csv (edit the CSV, then run: termgraph claims generate)"]
    main(["--root", str(root), "claims", "generate"])
    (root / "data/claims/009.ttl").write_text("")
    assert validate.curator_problems(root, SEEDS) == [
        "data/claims/009.ttl: has no table data/claims/009.csv (claims are edited in the CSV)"]


def test_validate_exit_codes_0_valid_1_invalid_2_unreadable(tmp_path, capsys):
    root = make_root(tmp_path, [row()])
    main(["--root", str(root), "claims", "generate"])
    assert main(["--root", str(root), "validate"]) == 0
    table = root / "data/claims/000.csv"
    table.write_text(table.read_text().replace("concept:foundation-model", "concept:foundation-modle"))
    assert main(["--root", str(root), "validate"]) == 1
    assert "did you mean concept:foundation-model?" in capsys.readouterr().out
    table.write_text("id;subject\n")
    assert main(["--root", str(root), "validate"]) == 2
    assert "the header must be exactly" in capsys.readouterr().err


def test_a_shapes_violation_is_pointed_at_the_table_row(tmp_path, capsys):
    # A definition claim whose object is a resource passes the table (the CURIE is a resource) but
    # not the shapes, which want an English literal for skos:definition ... so use a shape-only rule:
    # two main definitions of one term by one source.
    rows = [row(predicate="skos:definition", object="a", quote="Large language models (LLMs)"),
            row(id="000-002", predicate="skos:definition", object="b", quote="are a type of foundation model.")]
    root = make_root(tmp_path, rows)
    main(["--root", str(root), "claims", "generate"])
    assert main(["--root", str(root), "validate"]) == 1
    out = capsys.readouterr().out
    assert "data/claims/000.csv row 2 (claim:000-001)" in out or "data/claims/000.csv row 3 (claim:000-002)" in out


# --- The QC query for the stance rule -------------------------------------------------------------

HEDGE_FIXTURE = """
@prefix tg: <https://w3id.org/termgraph/ontology#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix claim: <https://w3id.org/termgraph/claim/> .
claim:900-001 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Xs are often Ys." ] ] .
claim:900-002 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "X can be considered a Y." ] ] .
claim:900-003 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Typically, Xs use Ys." ] ] .
claim:900-004 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Xs are often Ys." ] ] ;
    skos:editorialNote "Hedge cue checked: the cue is inside the recorded text."@en .
claim:900-005 a tg:Claim ; tg:stance tg:Qualifies ; tg:evidence [ oa:hasSelector [ oa:exact "Xs are often Ys." ] ] .
claim:900-006 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Xs can be fine-tuned." ] ] .
claim:900-007 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Oftentimes a maybelline scan." ] ] .
claim:900-009 a tg:Claim ; tg:stance tg:Asserts ; tg:evidence [ oa:hasSelector [ oa:exact "Xs may be Ys." ] ] ;
    skos:editorialNote "Why it stands. Hedge cue checked: not at the start."@en .
"""


def test_the_hedge_cue_qc_query_finds_unchecked_asserts_claims_only():
    import pyoxigraph as ox

    from termgraph import namespaces as ns
    from termgraph.executor import engine
    from termgraph.sparql.query import read

    store = ox.Store()
    store.load(HEDGE_FIXTURE.encode(), format=ox.RdfFormat.TURTLE)
    query = (ROOT / "queries/qc/asserts-with-hedge-cue.rq").read_text(encoding="utf-8")
    result = engine.run(store, read(query, ns.PREFIX_ITEMS))
    found = [row["claim"].value.rsplit("/", 1)[1] for row in result.value]
    assert found == ["900-001", "900-002", "900-003", "900-009"]
