"""Every claim's quote is an exact substring of its source text, and picks one place in it."""

from termgraph.graph import quotes


def test_every_quote_is_verbatim_and_unambiguous(data, seeds):
    assert quotes.check_quotes(data.store, seeds) == []


def test_every_claim_has_a_quote(data):
    claims = {r["c"].value for r in data.store.query(
        "SELECT ?c WHERE { ?c a <https://w3id.org/termgraph/ontology#Claim> }", use_default_graph_as_union=True)}
    quoted = {q.claim for q in quotes.quotes(data.store)}
    assert claims and claims == quoted


def test_there_are_well_over_two_hundred_claims_from_all_fifteen_sources(data):
    rows = list(data.store.query(
        "SELECT ?s (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/termgraph/ontology#Claim> ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?s } GROUP BY ?s", use_default_graph_as_union=True))
    per_source = {r["s"].value.rsplit("/", 1)[-1]: int(r["n"].value) for r in rows}
    assert sorted(per_source) == [f"{n:03d}" for n in range(15)]
    assert sum(per_source.values()) == 813
    assert min(per_source.values()) == 20  # 006 and 011, the shortest texts but one


def test_the_checker_catches_a_changed_character(seeds):
    text = (seeds / "000_c3058e96d281f648.txt").read_text(encoding="utf-8")
    good = quotes.Quote("c", "000", "OpenAI’s GPT-4", "", "")
    straight = quotes.Quote("c", "000", "OpenAI's GPT-4", "", "")  # straight apostrophe: not in the text
    assert quotes.problem(good, text) is None
    assert "not a verbatim substring" in quotes.problem(straight, text)


def test_the_checker_wants_prefix_or_suffix_for_a_recurring_quote(seeds):
    text = (seeds / "003_cfb9321b15139273.txt").read_text(encoding="utf-8")
    recurring = "Foundation Models are designed to learn generalizable features from large datasets"
    assert text.count(recurring) > 1
    assert "occurs" in quotes.problem(quotes.Quote("c", "003", recurring, "", ""), text)
    assert quotes.problem(quotes.Quote("c", "003", recurring, "- ", ""), text) is None


def test_the_checker_names_the_column_to_fix_and_how():
    text = "An “LLM” is a model. An “LLM” is a model — really."
    assert quotes.quote_problem("An \"LLM\" is", "", "", text, "t.txt")[1].startswith(
        "not a verbatim substring of t.txt (the text has other quote marks, dashes or spaces here")
    assert quotes.quote_problem("a robot", "", "", text, "t.txt")[1].startswith(
        "not a verbatim substring of t.txt (copy the passage exactly as the text has it)")
    assert quotes.quote_problem("is a model", "", "", text, "t.txt")[0] == "prefix"
    assert quotes.quote_problem("is a model", "", " —", text, "t.txt") is None
    assert quotes.quote_problem("is a model", "", "!", text, "t.txt")[0] == "suffix"
    assert quotes.quote_problem("is a model", "XX", "", text, "t.txt")[0] == "prefix"


def test_texts_are_looked_for_in_data_sources_before_the_seeds(tmp_path):
    first, second = tmp_path / "sources", tmp_path / "seeds"
    first.mkdir(), second.mkdir()
    (second / "a.txt").write_text("seed")
    assert quotes.find_text("a.txt", [first, second]) == second / "a.txt"
    (first / "a.txt").write_text("registered")
    assert quotes.find_text("a.txt", [first, second]) == first / "a.txt"
    assert quotes.find_text("b.txt", [first, second]) is None
