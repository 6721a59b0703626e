"""The claims tables (data/claims/NNN.csv) and the Turtle generated from them."""

from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

from termgraph.graph import claims_table, claims_turtle
from termgraph.graph.claims_table import COLUMNS, TableUnreadable, read_records, read_table, write_table
from termgraph.graph.claims_vocab import load_vocabulary
from termgraph.cli import main

from .claims_fixtures import make_root, row

ROOT = Path(__file__).resolve().parent.parent
TABLES = sorted((ROOT / "data/claims").glob("[0-9][0-9][0-9].csv"))
CLAIM = "https://w3id.org/termgraph/claim/"
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(ROOT)


def problems_of(tmp_path, vocab, *rows) -> list[str]:
    root = make_root(tmp_path, list(rows))
    return [p.line() for p in read_table(root / "data/claims/000.csv", vocab, "data/claims/000.csv")[1]]


# --- The tables and the generated Turtle agree ------------------------------------------------

def test_every_source_has_a_table_and_a_generated_turtle_file():
    assert [t.stem for t in TABLES] == [f"{n:03d}" for n in range(15)]
    for table in TABLES:
        assert table.with_suffix(".ttl").read_text(encoding="utf-8").startswith(
            f"# generated from data/claims/{table.name} — edit the CSV")


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.stem)
def test_the_turtle_is_what_the_table_generates_byte_for_byte(table, vocab):
    text, problems = claims_turtle.generate(table, vocab, f"data/claims/{table.name}")
    assert [p.line() for p in problems] == []
    assert text.encode("utf-8") == table.with_suffix(".ttl").read_bytes(), "run: termgraph claims generate"


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.stem)
def test_every_row_becomes_one_claim_with_its_quote_and_no_blank_nodes(table, vocab):
    graph = rdflib.Graph().parse(table.with_suffix(".ttl"), format="turtle")
    claims, _ = read_table(table, vocab)
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]
    for c in claims:
        iri = URIRef(CLAIM + c.id)
        selector = URIRef(CLAIM + c.id + "#selector")
        assert graph.value(URIRef(CLAIM + c.id + "#evidence"), OA.hasSelector) == selector
        assert str(graph.value(selector, OA.exact)) == c.quote
        obj = graph.value(iri, rdflib.RDF.object)
        assert obj == (Literal(c.object, lang=c.lang) if c.literal else URIRef(c.object))
    assert len(set(graph.subjects(rdflib.RDF.type, URIRef("https://w3id.org/termgraph/ontology#Claim")))) == len(claims)


def test_a_drifted_turtle_file_is_found_and_regenerated(tmp_path, vocab):
    root = make_root(tmp_path)
    assert main(["--root", str(root), "claims", "generate"]) == 0
    ttl = root / "data/claims/000.ttl"
    good = ttl.read_bytes()
    ttl.write_bytes(good.replace(b"tg:Asserts", b"tg:Denies"))
    assert claims_turtle.drift(root, vocab) == ([ttl], [])
    assert main(["--root", str(root), "claims", "check"]) == 1
    assert main(["--root", str(root), "claims", "generate"]) == 0
    assert ttl.read_bytes() == good
    assert main(["--root", str(root), "claims", "check"]) == 0


def test_a_table_with_a_problem_makes_generate_write_nothing(tmp_path, vocab, capsys):
    root = make_root(tmp_path, [row(), row(id="000-002", stance="assert")])
    assert main(["--root", str(root), "claims", "generate"]) == 1
    assert not (root / "data/claims/000.ttl").exists()
    assert "data/claims/000.csv row 3, column stance: 'assert' is not one of asserts, denies, qualifies" \
        in capsys.readouterr().out


# --- Text survives the round trip exactly -------------------------------------------------------

def test_odd_characters_survive_csv_and_turtle(tmp_path, vocab):
    odd = 'line one\nline\ttwo “quoted” "straight" back\\slash ā”Œ  two spaces'
    rows = [row(predicate="tg:hasCharacteristic", object=odd, quote=odd, note='a "note"\non two lines'),
            row(id="000-002", predicate="skos:altLabel", object="LLM", lang="de", stance="qualifies",
                qualification="hedged", prefix="(", suffix=")", quote="LLMs")]
    root = make_root(tmp_path, rows)
    table = root / "data/claims/000.csv"
    assert [dict(zip(COLUMNS, cells)) for _, cells in read_records(table, "t")] == rows
    text, problems = claims_turtle.generate(table, vocab)
    graph = rdflib.Graph().parse(data=text, format="turtle")
    sel1, sel2 = URIRef(CLAIM + "000-001#selector"), URIRef(CLAIM + "000-002#selector")
    assert problems == [] and str(graph.value(sel1, OA.exact)) == odd
    assert graph.value(URIRef(CLAIM + "000-001"), rdflib.RDF.object) == Literal(odd, lang="en")
    assert graph.value(URIRef(CLAIM + "000-002"), rdflib.RDF.object) == Literal("LLM", lang="de")
    assert (str(graph.value(sel2, OA.prefix)), str(graph.value(sel2, OA.suffix))) == ("(", ")")
    assert claims_turtle.generate(table, vocab)[0] == text  # deterministic


def test_generated_turtle_equals_rdf_built_independently(tmp_path, vocab):
    root = make_root(tmp_path, [row(note="n")])
    text, _ = claims_turtle.generate(root / "data/claims/000.csv", vocab)
    B, TG = "https://w3id.org/termgraph/", rdflib.Namespace("https://w3id.org/termgraph/ontology#")
    c, ev, sel = URIRef(CLAIM + "000-001"), URIRef(CLAIM + "000-001#evidence"), URIRef(CLAIM + "000-001#selector")
    expected = rdflib.Graph()
    for t in [(c, rdflib.RDF.type, TG.Claim), (c, rdflib.RDF.subject, URIRef(B + "concept/large-language-model")),
              (c, rdflib.RDF.predicate, rdflib.RDFS.subClassOf), (c, rdflib.RDF.object, URIRef(B + "concept/foundation-model")),
              (c, TG.stance, TG.Asserts), (c, rdflib.SKOS.editorialNote, Literal("n", lang="en")),
              (c, rdflib.PROV.wasDerivedFrom, URIRef(B + "source/000")), (c, TG.evidence, ev),
              (ev, rdflib.RDF.type, OA.SpecificResource), (ev, OA.hasSource, URIRef(B + "source/000")),
              (ev, OA.hasSelector, sel), (sel, rdflib.RDF.type, OA.TextQuoteSelector),
              (sel, OA.exact, Literal("Large language models (LLMs) are a type of foundation model."))]:
        expected.add(t)
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), expected)


def test_written_tables_use_rfc4180_with_newline_line_ends(tmp_path):
    path = tmp_path / "000.csv"
    write_table(path, [row(quote='say "hi",\nthen go')])
    assert path.read_bytes() == (",".join(COLUMNS) + "\n000-001,concept:large-language-model,rdfs:subClassOf,"
                                 'concept:foundation-model,,asserts,,"say ""hi"",\nthen go",,,\n').encode()


# --- Which predicates take text is read from the ontology --------------------------------------

def test_literal_predicates_come_from_the_ontology(tmp_path):
    root = make_root(tmp_path)
    vocab = load_vocabulary(ROOT)
    assert vocab.is_literal("https://w3id.org/termgraph/ontology#application")  # owl:DatatypeProperty
    assert vocab.is_literal("https://w3id.org/termgraph/ontology#additionalDefinition")  # ⊑ skos:note
    assert not vocab.is_literal("https://w3id.org/termgraph/ontology#poweredBy")
    onto = root / "ontology/termgraph.ttl"
    onto.write_text(onto.read_text() + "\ntg:poweredBy a owl:DatatypeProperty .\n", encoding="utf-8")
    assert load_vocabulary(root).is_literal("https://w3id.org/termgraph/ontology#poweredBy")


# --- Each cell rule, with the error it gives ---------------------------------------------------

BAD_ROWS = [
    (dict(stance="assert"), "row 2, column stance: 'assert' is not one of asserts, denies, qualifies"),
    (dict(stance="qualifies"), "row 2, column qualification: a qualifies claim needs one of hedged, conditional, only-when, partial"),
    (dict(qualification="hedged"), "row 2, column qualification: must be empty unless stance is qualifies"),
    (dict(stance="qualifies", qualification="maybe"), "row 2, column qualification: 'maybe' is not one of hedged"),
    (dict(id="000-1"), "row 2, column id: '000-1' is not a claim id 000-MMM"),
    (dict(id="001-001"), "row 2, column id: '001-001' is not a claim id 000-MMM (this file is source 000)"),
    (dict(subject="foundation model"), "row 2, column subject: 'foundation model' is not a CURIE"),
    (dict(object="concpt:foundation-model"), "row 2, column object: 'concpt:foundation-model' uses the unknown prefix"),
    (dict(predicate="tg:relatesTo"), "row 2, column predicate: tg:relatesTo is not a relation claims record"),
    (dict(predicate="tg:stance"), "row 2, column predicate: tg:stance is not a relation claims record"),
    (dict(predicate="rdfs:subClasOf"), "row 2, column predicate: rdfs:subClasOf is not a relation claims record; "
                                        "did you mean rdfs:subClassOf?"),
    (dict(lang="en"), "row 2, column lang: must be empty: rdfs:subClassOf takes a resource, not text"),
    (dict(predicate="skos:altLabel", object=""), "row 2, column object: skos:altLabel takes a text object"),
    (dict(predicate="skos:altLabel", object="LLM", lang="english!"), "row 2, column lang: 'english!' is not a language tag"),
    (dict(quote=" "), "row 2, column quote: every claim needs the verbatim quote"),
]


@pytest.mark.parametrize("cells,message", BAD_ROWS, ids=[m.split(": ")[0] + " " + m.split(": ")[1][:20] for _, m in BAD_ROWS])
def test_a_bad_cell_names_file_row_column_and_fix(tmp_path, vocab, cells, message):
    found = problems_of(tmp_path, vocab, row(**cells))
    assert len(found) == 1 and found[0].startswith("data/claims/000.csv " + message), found


def test_the_good_row_has_no_problem(tmp_path, vocab):
    assert problems_of(tmp_path, vocab, row()) == []


def test_a_reused_id_and_a_short_row_are_errors(tmp_path, vocab):
    root = make_root(tmp_path, [row(), row()])
    with (root / "data/claims/000.csv").open("a", encoding="utf-8") as f:
        f.write("000-003,concept:foundation-model,skos:altLabel\n")
    found = [p.line() for p in read_table(root / "data/claims/000.csv", vocab, "data/claims/000.csv")[1]]
    assert found == [
        "data/claims/000.csv row 3, column id: 000-001 is used again (first in row 2); give this claim the next free number",
        "data/claims/000.csv row 4: has 3 cells, the header 11 (a quote holding a comma or newline must be in double quotes)",
    ]


def test_a_wrong_header_or_encoding_makes_the_table_unreadable(tmp_path, vocab):
    path = tmp_path / "000.csv"
    path.write_text("id;subject\n", encoding="utf-8")
    with pytest.raises(TableUnreadable, match=r"000.csv row 1: the header must be exactly id,subject,predicate"):
        read_table(path, vocab)
    path.write_bytes(",".join(COLUMNS).encode() + b"\n000-001,\xe9\n")
    with pytest.raises(TableUnreadable, match=r"is not UTF-8 \(save the table as UTF-8 CSV\)"):
        read_table(path, vocab)
    assert TableUnreadable.exit_code == 2 and claims_table.Problem("f", 2, "id", "m").line() == "f row 2, column id: m"


@pytest.mark.parametrize("columns", [claims_table.COLUMNS, claims_table.DRAFT_COLUMNS, claims_table.ENTITY_COLUMNS])
def test_every_table_is_read_by_the_one_reader_with_the_one_error(tmp_path, columns):
    """Claims tables and both kinds of draft: the same reader, the same error class (400, exit 2)."""
    path = tmp_path / "005.draft.csv"
    path.write_text("id;subject\n", encoding="utf-8")
    with pytest.raises(TableUnreadable) as info:
        claims_table.read_rows(path, columns)
    assert str(info.value) == f"{path} row 1: the header must be exactly {','.join(columns)} (found id;subject)"
    path.write_bytes(",".join(columns).encode() + b"\n\xe9\n")
    with pytest.raises(TableUnreadable) as info:
        claims_table.read_rows(path, columns)
    assert str(info.value) == f"{path}: byte {len(','.join(columns)) + 1} is not UTF-8 (save the table as UTF-8 CSV)"
    path.write_text(",".join(columns) + "\nonly,two\n", encoding="utf-8")
    with pytest.raises(TableUnreadable) as info:
        claims_table.read_rows(path, columns)
    assert str(info.value) == f"{path} row 2: 2 cells, expected {len(columns)}"
    assert (TableUnreadable.status, TableUnreadable.exit_code) == (400, 2)
    rows = [dict(zip(columns, map(str, range(len(columns)))))]
    claims_table.write_rows(path, rows, columns)
    assert claims_table.read_rows(path, columns) == rows


def test_empty_rows_a_spreadsheet_leaves_are_skipped_and_still_counted(tmp_path, vocab):
    root = make_root(tmp_path, [row()])
    table = root / "data/claims/000.csv"
    table.write_text(table.read_text() + ",,,,,,,,,,\n\n" + ",".join(row(id="000-002", stance="x").values()) + "\n")
    claims, problems = read_table(table, vocab, "t.csv")
    assert [c.id for c in claims] == ["000-001"]
    assert [p.line() for p in problems] == ["t.csv row 5, column stance: 'x' is not one of asserts, denies, qualifies"]
