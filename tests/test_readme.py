"""The README's example queries return what the README shows."""

import re

import pytest

from termgraph.executor import engine

from termgraph.sparql.query import read
from termgraph import formats
from termgraph import namespaces as ns

from .conftest import ROOT

README = (ROOT / "README.md").read_text()
EXAMPLES = re.findall(r"```sparql\n(.*?)\n```\n\n```text\n(.*?)\n```", README, flags=re.S)


def test_the_readme_has_at_least_five_example_queries():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("query,shown", EXAMPLES, ids=[q.splitlines()[0][:60] for q, _ in EXAMPLES])
def test_example_query_returns_what_the_readme_shows(data, query, shown):
    result = engine.run(data.store, read(query, ns.PREFIX_ITEMS))
    assert formats.table(result.value) == shown


@pytest.mark.parametrize("question,needle", [
    ("Which sources say large language models are a subset of generative AI", "source:004 | tg:Asserts"),
    ("Which sources list BERT as a large language model", "source:002 | concept:generative-ai        | tg:Denies"),
    ("Where do the sources disagree about how generative AI", "| incompatible relations | How do generative AI and large language model relate?"),
    ("Every real disagreement about generative AI, large language models or foundation models", "| Denies "),
    ("Which systems does source 000 call foundation models", "| Gato "),
])
def test_the_required_questions_are_answered(question, needle):
    block = next(shown for query, shown in EXAMPLES if question in query)
    assert needle in block


def test_the_readme_claim_counts_are_current(data):
    shown = dict(re.findall(r"\| `(source:\d{3})` \|.*\| (\d+) \|\n", README))
    result = engine.run(data.store, read("SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c a tg:Claim ; prov:wasDerivedFrom ?s } "
                                    "GROUP BY ?s", ns.PREFIX_ITEMS))
    actual = {formats.shorten(r["s"]): r["n"].value for r in result.value}
    assert shown == actual


def test_example_03_shows_no_hedging_difference_and_reads_the_derived_graph():
    query, shown = next((q, s) for q, s in EXAMPLES if "Where do the sources disagree" in q)
    assert "tg:Disagreement" in query and "contested" not in query.lower()
    assert "hedging difference" not in shown and "incompatible relations" in shown and "opposite stances" in shown


def test_example_08_shows_every_real_kind_with_quotes_and_no_hedge():
    query, shown = next((q, s) for q, s in EXAMPLES if "Every real disagreement about generative AI" in q)
    kinds = {line.split("|")[1].strip() for line in shown.splitlines()[2:-1]}
    assert kinds == {"opposite stances", "incompatible relations", "different values", "membership excluded",
                     "within one source"}
    assert "Hedged" in shown  # a hedged claim on a side of a real disagreement is shown with its stance
