"""Each disagreement rule (queries/disagreements/*.rq) on a small store: a pair of claims that must
trigger it and a near miss that must not. The stores hold the real ontology, so the rules read
the one table of incompatible relations it states."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from termgraph import namespaces as ns
from termgraph.graph import disagreements

ROOT = Path(__file__).resolve().parent.parent
RULES = {r.name: r for r in disagreements.read_rules(ROOT / "queries" / "disagreements")}
ONTOLOGY = (ROOT / "ontology" / "termgraph.ttl").read_text(encoding="utf-8")
PREFIXES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ns.PREFIXES.items())


def claim(cid: str, s: str, p: str, o: str, stance: str, qualification: str | None = None) -> str:
    source = cid.split("-")[0]
    q = f" tg:qualification tg:{qualification} ;" if qualification else ""
    return (f"claim:{cid} a tg:Claim ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;"
            f" tg:stance tg:{stance} ;{q} prov:wasDerivedFrom source:{source} .\n")


def store_with(*claims: str, ontology: str = ONTOLOGY) -> ox.Store:
    store = ox.Store()
    store.load(ontology.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ns.GRAPH_ONTOLOGY))
    store.load((PREFIXES + "".join(claims)).encode(), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(ns.GRAPH_CLAIMS + "test"))
    return store


def found(rule: str, *claims: str, ontology: str = ONTOLOGY) -> list[tuple[str, ...]]:
    """The claims (by id) of each disagreement the rule finds."""
    return [tuple(c.rsplit("/", 1)[-1] for c in f.claims)
            for f in disagreements.run_rule(store_with(*claims, ontology=ontology), RULES[rule])]


BERT_GEN = ("system:bert", "rdf:type", "concept:generative-ai")
LLM_SUB_GEN = ("concept:large-language-model", "rdfs:subClassOf", "concept:generative-ai")
LLM_DISTINCT_GEN = ("concept:large-language-model", "tg:distinctFrom", "concept:generative-ai")


def test_every_rule_has_a_kind_from_the_closed_list():
    kinds = {"OppositeStances", "IncompatibleRelations", "DifferentValues", "MembershipExcluded",
             "HedgingDifference", "WithinOneSource"}
    assert set(RULES) == {"opposite-stances", "incompatible-relations", "different-values",
                          "membership-excluded", "hedging-difference", "within-one-source"}
    for rule in RULES.values():
        assert any(f"tg:{k} AS ?kind" in rule.text for k in kinds), rule.name


# The table of stance compatibility (ontology/termgraph.ttl, docs/disagreements.md), cell by cell:
# the verdict a careful reader gives two positions on one statement. Written out here, not read from
# the ontology, so a change to the table is a change to this test too.
O, H, C = "OppositeStances", "HedgingDifference", "Compatible"
POSITIONS = {"asserts": ("Asserts", None), "denies": ("Denies", None), "hedged": ("Qualifies", "Hedged"),
             "partial": ("Qualifies", "Partial"), "conditional": ("Qualifies", "Conditional"),
             "only-when": ("Qualifies", "OnlyWhen")}
TABLE = {
    ("asserts", "asserts"): C, ("asserts", "denies"): O, ("asserts", "hedged"): H, ("asserts", "partial"): H,
    ("asserts", "conditional"): H, ("asserts", "only-when"): O,
    ("denies", "denies"): C, ("denies", "hedged"): O, ("denies", "partial"): C, ("denies", "conditional"): C,
    ("denies", "only-when"): C,
    ("hedged", "hedged"): C, ("hedged", "partial"): C, ("hedged", "conditional"): C, ("hedged", "only-when"): C,
    ("partial", "partial"): C, ("partial", "conditional"): C, ("partial", "only-when"): C,
    ("conditional", "conditional"): C, ("conditional", "only-when"): C, ("only-when", "only-when"): C,
}
STATEMENTS = {"every X is a Y": LLM_SUB_GEN, "S is a Y": BERT_GEN,
              "X R Y": ("concept:large-language-model", "tg:architecture", "concept:transformer")}


def test_the_table_covers_every_pair_of_positions_once():
    pairs = {frozenset(k) for k in TABLE}
    assert len(pairs) == len(TABLE) == len(POSITIONS) * (len(POSITIONS) + 1) // 2


def test_the_ontology_states_the_same_table():
    store = store_with()
    cells = store.query(ns.sparql_prefixes() + """SELECT ?a ?b ?v WHERE {
        ?cell a tg:StancePairing ; tg:firstPosition ?a ; tg:secondPosition ?b ; tg:verdict ?v }""",
                        use_default_graph_as_union=True)
    words = {v: k for k, v in POSITIONS.items()}
    stated = {}
    for r in cells:
        a, b = (words[(("Qualifies", x.value.rsplit("#", 1)[-1]) if x.value.rsplit("#", 1)[-1] not in ("Asserts", "Denies")
                       else (x.value.rsplit("#", 1)[-1], None))] for x in (r["a"], r["b"]))
        stated[frozenset((a, b))] = r["v"].value.rsplit("#", 1)[-1]
    assert stated == {frozenset(k): v for k, v in TABLE.items()}


@pytest.mark.parametrize("pair", sorted(TABLE), ids="-".join)
@pytest.mark.parametrize("form", sorted(STATEMENTS))
def test_each_cell_of_the_table_gives_its_verdict_and_no_other(pair, form):
    """Two sources: opposite-stances finds the pair exactly when the cell says so, and
    hedging-difference exactly when it says that; either order. One source taking both positions:
    within-one-source finds it exactly when the cell says the two cannot both be true."""
    what = STATEMENTS[form]
    for first, second in (pair, pair[::-1]):
        two = (claim("001-001", *what, *POSITIONS[first]), claim("004-001", *what, *POSITIONS[second]))
        verdict = TABLE[pair]
        assert found("opposite-stances", *two) == ([("001-001", "004-001")] if verdict == O else [])
        assert found("hedging-difference", *two) == ([("001-001", "004-001")] if verdict == H else [])
        one = (claim("004-001", *what, *POSITIONS[first]), claim("004-002", *what, *POSITIONS[second]))
        assert found("within-one-source", *one) == ([("004-001", "004-002")] if verdict == O else [])


def test_a_denial_and_an_only_when_agree_that_it_does_not_hold_in_general():
    """'Not all foundation models are generative' and 'generative AI includes foundation models when
    they are used to generate, but not otherwise': no disagreement of any kind."""
    fm = ("concept:foundation-model", "rdfs:subClassOf", "concept:generative-ai")
    pair = (claim("002-001", *fm, "Denies"), claim("000-001", *fm, "Qualifies", "OnlyWhen"))
    assert all(found(rule, *pair) == [] for rule in RULES)


def test_opposite_stances_a_symmetric_relation_either_way_round():
    a, b, p = "concept:large-language-model", "concept:generative-ai", "tg:synonymousWith"
    assert found("opposite-stances", claim("000-001", a, p, b, "Asserts"),
                 claim("004-001", b, p, a, "Denies")) == [("000-001", "004-001")]


def test_opposite_stances_near_misses():
    # one source both ways is within one source; a non-symmetric relation the other way round is
    # another statement
    assert found("opposite-stances", claim("004-001", *BERT_GEN, "Asserts"),
                 claim("004-002", *BERT_GEN, "Denies")) == []
    s, p, o = LLM_SUB_GEN
    assert found("opposite-stances", claim("004-001", s, p, o, "Asserts"), claim("002-001", o, p, s, "Denies")) == []


def test_the_stance_rules_read_the_table_from_the_ontology():
    """Without the table's cell for asserts against denies, nothing is opposite."""
    cell = ("[] a tg:StancePairing ; tg:firstPosition tg:Asserts ; tg:secondPosition tg:Denies ; "
            "tg:verdict tg:OppositeStances ;")
    assert cell in ONTOLOGY
    pair = (claim("004-001", *BERT_GEN, "Asserts"), claim("002-001", *BERT_GEN, "Denies"))
    assert found("opposite-stances", *pair) == [("002-001", "004-001")]
    assert found("opposite-stances", *pair, ontology=ONTOLOGY.replace(cell, "[] a tg:StancePairing ;")) == []


LLM_DISJOINT_GEN = ("concept:large-language-model", "tg:disjointWith", "concept:generative-ai")


def test_incompatible_relations_disjoint_against_subclass():
    assert found("incompatible-relations", claim("001-001", *LLM_DISJOINT_GEN, "Asserts"),
                 claim("004-001", *LLM_SUB_GEN, "Asserts")) == [("001-001", "004-001")]


def test_different_concepts_are_not_disjoint_ones():
    """'LLMs are a subset of generative AI' and 'the two are distinct': both hold, from two sources
    or from one."""
    pair = (claim("001-001", *LLM_DISTINCT_GEN, "Asserts"), claim("004-001", *LLM_SUB_GEN, "Asserts"))
    assert found("incompatible-relations", *pair) == []
    assert found("within-one-source", claim("004-001", *LLM_DISTINCT_GEN, "Asserts"),
                 claim("004-002", *LLM_SUB_GEN, "Asserts")) == []


def test_incompatible_relations_subclass_both_ways():
    s, p, o = LLM_SUB_GEN
    assert found("incompatible-relations", claim("001-001", s, p, o, "Asserts"),
                 claim("004-001", o, p, s, "Asserts")) == [("001-001", "004-001")]


def test_incompatible_relations_near_misses():
    # other terms; a relation held only with a hedge, in part or under a condition does not state it
    # flatly ("roughly synonymous" beside "distinct"); a pair the table does not list
    assert found("incompatible-relations", claim("001-001", *LLM_DISJOINT_GEN, "Asserts"),
                 claim("004-001", "concept:large-language-model", "rdfs:subClassOf", "concept:foundation-model", "Asserts")) == []
    for q in ("Hedged", "Partial", "Conditional", "OnlyWhen"):
        assert found("incompatible-relations", claim("001-001", *LLM_DISJOINT_GEN, "Asserts"),
                     claim("000-001", *LLM_SUB_GEN, "Qualifies", q)) == []
    synonym = ("concept:large-language-model", "tg:synonymousWith", "concept:generative-ai")
    assert found("incompatible-relations", claim("001-001", *LLM_DISTINCT_GEN, "Asserts"),
                 claim("000-001", *synonym, "Qualifies", "Hedged")) == []
    assert found("incompatible-relations", claim("001-001", *LLM_DISTINCT_GEN, "Asserts"),
                 claim("000-001", *synonym, "Asserts")) == [("000-001", "001-001")]
    used = ("concept:large-language-model", "tg:usedInterchangeablyWith", "concept:generative-ai")
    assert found("incompatible-relations", claim("001-001", *LLM_DISTINCT_GEN, "Asserts"), claim("004-001", *used, "Asserts")) == []


def test_incompatible_relations_are_read_from_the_ontology():
    """Without the table's line for tg:disjointWith the same pair is no longer incompatible."""
    line = "tg:disjointWith tg:incompatibleWith rdfs:subClassOf , tg:synonymousWith , tg:overlapsWith .\n"
    assert line in ONTOLOGY
    assert found("incompatible-relations", claim("001-001", *LLM_DISJOINT_GEN, "Asserts"),
                 claim("004-001", *LLM_SUB_GEN, "Asserts"), ontology=ONTOLOGY.replace(line, "")) == []


def test_different_values_for_a_single_valued_relation():
    s, p = "system:gpt-4", "schema:creator"
    assert found("different-values", claim("001-001", s, p, "org:openai", "Asserts"),
                 claim("003-001", s, p, "org:google", "Asserts")) == [("001-001", "003-001")]


def test_different_values_near_misses():
    s, p = "system:gpt-4", "schema:creator"
    # the second source also gives the first one's value: they agree on it
    assert found("different-values", claim("001-001", s, p, "org:openai", "Asserts"),
                 claim("003-001", s, p, "org:google", "Asserts"),
                 claim("003-002", s, p, "org:openai", "Asserts")) == []
    # a relation that admits several values: naming two training objectives is no disagreement
    llm, objective = "concept:large-language-model", "tg:trainingObjective"
    assert found("different-values", claim("001-001", llm, objective, "concept:transfer-learning", "Asserts"),
                 claim("003-001", llm, objective, "concept:masked-language-modeling", "Asserts")) == []


def test_membership_excluded():
    assert found("membership-excluded",
                 claim("004-001", "system:bert", "rdf:type", "concept:large-language-model", "Asserts"),
                 claim("004-002", *LLM_SUB_GEN, "Asserts"),
                 claim("002-001", *BERT_GEN, "Denies")) == [("002-001", "004-001", "004-002")]


def test_membership_excluded_near_miss():
    # the category link is only hedged, or only a third source's
    member = claim("004-001", "system:bert", "rdf:type", "concept:large-language-model", "Asserts")
    assert found("membership-excluded", member, claim("004-002", *LLM_SUB_GEN, "Qualifies", "Hedged"),
                 claim("002-001", *BERT_GEN, "Denies")) == []
    assert found("membership-excluded", member, claim("003-001", *LLM_SUB_GEN, "Asserts"),
                 claim("002-001", *BERT_GEN, "Denies")) == []


def test_within_one_source_incompatible_relations():
    assert found("within-one-source", claim("004-001", *LLM_SUB_GEN, "Asserts"),
                 claim("004-002", *LLM_DISJOINT_GEN, "Asserts")) == [("004-001", "004-002")]


def test_within_one_source_near_misses():
    # a hedged relation beside a flat incompatible one; the same pair from two sources
    assert found("within-one-source", claim("004-001", *LLM_SUB_GEN, "Qualifies", "Hedged"),
                 claim("004-002", *LLM_DISJOINT_GEN, "Asserts")) == []
    assert found("within-one-source", claim("004-001", *LLM_SUB_GEN, "Asserts"),
                 claim("001-001", *LLM_DISJOINT_GEN, "Asserts")) == []


# Many claims on each side: a rule joins each claim with the witnesses of a position (one claim
# from each of up to two sources, see disagreements.key_quads), so every claim on either side must
# still be found, whichever side has the many and whichever claims became the witnesses.
MANY_SIDES = [
    ("opposite-stances", [(BERT_GEN, "Asserts", None)] * 2, [(BERT_GEN, "Denies", None)]),
    ("opposite-stances", [(BERT_GEN, "Denies", None)] * 2, [(BERT_GEN, "Qualifies", "Hedged")]),
    ("opposite-stances", [(LLM_SUB_GEN, "Qualifies", "OnlyWhen")] * 2, [(LLM_SUB_GEN, "Asserts", None)]),
    ("hedging-difference", [(LLM_SUB_GEN, "Qualifies", "Partial")] * 2, [(LLM_SUB_GEN, "Asserts", None)]),
    ("hedging-difference", [(LLM_SUB_GEN, "Asserts", None)] * 2, [(LLM_SUB_GEN, "Qualifies", "Hedged")]),
    ("hedging-difference", [(LLM_SUB_GEN, "Qualifies", "Hedged")] * 2, [(LLM_SUB_GEN, "Asserts", None)]),
    ("incompatible-relations", [(LLM_SUB_GEN, "Asserts", None)] * 2, [(LLM_DISJOINT_GEN, "Asserts", None)]),
]


@pytest.mark.parametrize("rule, many, few", MANY_SIDES)
def test_every_claim_on_either_side_is_found_however_many_sources_share_a_position(rule, many, few):
    """Sources 010-016 each make the many side's claims twice (ids -001, -002); source 020 makes
    the few side's; all of them are in the one disagreement."""
    claims = [claim(f"0{src}-00{k}", *what, stance, q)
              for src in range(10, 17) for k, (what, stance, q) in enumerate(many, 1)]
    claims += [claim(f"020-00{k}", *what, stance, q) for k, (what, stance, q) in enumerate(few, 1)]
    ids = tuple(sorted(c.split()[0].removeprefix("claim:") for c in claims))
    assert found(rule, *claims) == [ids]


def test_a_position_has_at_most_two_witnesses_from_different_sources():
    claims = [claim(f"0{src}-00{k}", *BERT_GEN, "Asserts") for src in (10, 11, 12) for k in (1, 2)]
    claims.append(claim("013-001", *BERT_GEN, "Denies"))
    store = store_with(*claims)
    witness, source = disagreements.WITNESS, ox.NamedNode(ns.PROV + "wasDerivedFrom")
    with disagreements.join_keys(store):
        positions: dict[str, list[str]] = {}
        for q in store.quads_for_pattern(None, witness, None, disagreements.SCRATCH):
            positions.setdefault(q.subject.value, []).append(
                next(store.quads_for_pattern(q.object, source, None)).object.value)
    asserted, denied = sorted((sorted(s.rsplit("/", 1)[-1] for s in sources) for sources in positions.values()),
                              key=len, reverse=True)
    assert len(set(asserted)) == 2 and set(asserted) <= {"010", "011", "012"} and denied == ["013"]
    assert not store.contains_named_graph(disagreements.SCRATCH)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_rule_finds_nothing_in_agreeing_claims(rule):
    assert found(rule, claim("000-001", *LLM_SUB_GEN, "Asserts"), claim("004-001", *LLM_SUB_GEN, "Asserts")) == []


def test_a_curated_disagreement_is_kept_as_written_with_its_sources_and_never_attributed():
    store = store_with(claim("001-001", *LLM_DISJOINT_GEN, "Asserts"), claim("004-001", *LLM_SUB_GEN, "Qualifies", "Conditional"))
    curated = PREFIXES + f"""<{ns.DISAGREEMENT}curated/x> a tg:Disagreement ; tg:curated true ;
        tg:disagreementKind tg:IncompatibleRelations ; tg:hasClaim claim:001-001 , claim:004-001 ;
        rdfs:label "x"@en ; dcterms:description "x."@en ; skos:editorialNote "no rule reads a condition"@en ."""
    store.load(curated.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ns.GRAPH_CURATED))
    quads, held = disagreements.derive(store, ROOT / "queries" / "disagreements", ROOT)
    mine = {(q.predicate.value, q.object.value) for q in quads if q.subject.value == ns.DISAGREEMENT + "curated/x"}
    assert (ns.TG + "involvesSource", ns.SOURCE + "001") in mine and (ns.TG + "involvesSource", ns.SOURCE + "004") in mine
    assert (ns.SKOS + "editorialNote", "no rule reads a condition") in mine
    assert not any(p in (ns.PROV + "wasDerivedFrom", ns.TG + "foundByRule") for p, _ in mine)
    assert {ns.CLAIM + "001-001", ns.CLAIM + "004-001"} <= held


@pytest.mark.parametrize("text,needle", [
    ("SELECT ?kind ?group ?claim ?other WHERE { ?claim", "not valid SPARQL"),
    ("SELECT ?claim ?other WHERE { ?claim a tg:Claim ; tg:stance ?other }", "?kind, ?group and two or more"),
    ("ASK { ?c a tg:Claim }", "?kind, ?group and two or more"),
])
def test_a_broken_rule_is_a_one_line_error_naming_its_file(tmp_path, text, needle):
    from termgraph.errors import DataSyntaxError

    path = tmp_path / "broken.rq"
    path.write_text("# A broken rule\n" + text)
    rule = disagreements.read_rules(tmp_path)[0]
    with pytest.raises(DataSyntaxError) as info:
        disagreements.run_rule(store_with(claim("000-001", *BERT_GEN, "Asserts")), rule)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and needle in message and "\n" not in message



@pytest.mark.parametrize("text", ["SELECT ?claim ?other WHERE { ?claim a tg:Claim ; tg:stance ?other }",
                                  "ASK { ?c a tg:Claim }"])
def test_a_broken_rules_error_keeps_no_engine_result_across_threads(tmp_path, text):
    """The rules run on threads (find_all); a broken one's error is raised again on the caller's,
    holding none of the engine's results in its traceback: pyoxigraph's results may be freed only
    on the thread that made them (an error kept in a cycle was freed by a garbage collection on
    another: "... is unsendable, but is being dropped on another thread")."""
    from termgraph.errors import DataSyntaxError

    path = tmp_path / "zz-broken.rq"
    path.write_text("# A broken rule\n" + text)
    good = tmp_path / "aa-good.rq"
    good.write_text((ROOT / "queries" / "disagreements" / "opposite-stances.rq").read_text())  # (two rules: threads)
    rules = disagreements.read_rules(tmp_path)
    with pytest.raises(DataSyntaxError) as info:
        disagreements.find_all(store_with(claim("000-001", *BERT_GEN, "Asserts")), rules)
    assert str(info.value).startswith(f"{path}: ")
    held, tb = [], info.value.__traceback__
    while tb is not None:
        held += [type(v).__name__ for v in tb.tb_frame.f_locals.values()
                 if type(v).__name__ in ("QuerySolutions", "QueryTriples", "QueryBoolean")]
        tb = tb.tb_next
    assert held == []
