"""The README is a manual and stays true: its example queries (and docs/examples.md's) return
what is shown, its generated blocks are current, every setting is documented, and it stays short."""

import re

import pytest

from termgraph.executor import engine

from termgraph.sparql.query import read
from termgraph import formats
from termgraph import namespaces as ns

from .conftest import ROOT

README = (ROOT / "README.md").read_text()
SHOWN = re.compile(r"```sparql\n(.*?)\n```\n\n```text\n(.*?)\n```", flags=re.S)
EXAMPLES = SHOWN.findall((ROOT / "docs" / "examples.md").read_text())  # every example query
README_EXAMPLES = SHOWN.findall(README)


def test_docs_examples_show_every_example_query_and_the_readme_two_of_them():
    files = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert [q for q, _ in EXAMPLES] == [f.read_text().strip() for f in files] and len(EXAMPLES) >= 5
    assert len(README_EXAMPLES) == 2 and all(shown in EXAMPLES for shown in README_EXAMPLES)


@pytest.mark.parametrize("query,shown", EXAMPLES, ids=[q.splitlines()[0][:60] for q, _ in EXAMPLES])
def test_example_query_returns_what_the_readme_shows(data, query, shown):
    result = engine.run(data.store, read(query, ns.PREFIX_ITEMS))
    assert formats.table(result.value) == shown


@pytest.mark.parametrize("question,needle", [
    ("Which sources say large language models are a subset of generative AI", "source:004 | tg:Asserts"),
    ("Which sources list BERT as a large language model", "source:002 | concept:generative-ai        | tg:Denies"),
    ("Where do the sources disagree about how generative AI", "| opposite stances | Is every large language model a generative AI?"),
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
    # the one real disagreement about how the core terms relate: LLMs are generative AI, flatly, against
    # CSET's "only when used for generative use cases" (docs/disagreements.md); hedging differences left out
    assert "hedging difference" not in shown and "opposite stances" in shown
    assert "Is every large language model a generative AI?" in shown and "CSET says only under a condition" in shown


def test_example_08_shows_every_real_kind_with_quotes_and_no_hedge():
    query, shown = next((q, s) for q, s in EXAMPLES if "Every real disagreement about generative AI" in q)
    kinds = {line.split("|")[1].strip() for line in shown.splitlines()[2:-1]}
    # every kind of real disagreement the fifteen sources hold (none contradicts itself, and no two state
    # incompatible relations flatly: docs/disagreements.md), and never a hedging difference
    assert kinds == {"opposite stances", "different values", "membership excluded"}
    stances = {line.split("|")[4].strip() for line in shown.splitlines()[2:-1]}
    assert {"Asserts", "Denies", "OnlyWhen"} <= stances  # CSET's "only when" side is shown with its position


# --- the manual's shape and its generated parts ------------------------------------------------

SECTIONS = ["Quick start", "The sources", "Browse", "Query", "Add a source", "Scale and backends", "Reliability",
            "Command line", "Python", "Where the code is", "Licence"]


def test_the_readme_is_a_manual_of_at_most_600_lines_in_its_order():
    assert len(README.splitlines()) <= 600
    assert re.findall(r"^## (.+)$", README, flags=re.M) == SECTIONS
    assert "needs **Linux**" in README and 'pip install -e ".[test]"' in README.split("## The sources")[0]


def test_every_docs_link_of_the_readme_resolves():
    links = re.findall(r"\]\((docs/[^)#]+)", README)
    assert links and [link for link in links if not (ROOT / link).is_file()] == []


def test_the_code_map_is_generated_from_every_module_and_current():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from render_readme import code_map, section

    assert section(README, "code").strip() == code_map().strip()
    modules = sorted((ROOT / "src" / "termgraph").rglob("*.py"))
    listed = code_map()
    for module in modules:
        name = module.name if module.name != "__init__.py" else module.parent.name + "/"
        assert name in listed, module
    undescribed = [line for line in listed.splitlines()[1:-1] if line.strip().endswith(".py")]
    assert undescribed == []  # every module says what it is in its first docstring line


def undocumented(code_root, documented: str) -> list[str]:
    """The TERMGRAPH_* variables the code under `code_root` reads that `documented` never names."""
    used = {m for p in code_root.rglob("*.py") for m in re.findall(r"TERMGRAPH_[A-Z_]+", p.read_text())}
    return sorted(v for v in used if not re.search(rf"`{v}`", documented))


def test_every_setting_the_code_reads_is_documented(tmp_path):
    assert undocumented(ROOT / "src", (ROOT / "docs" / "settings.md").read_text()) == []
    (tmp_path / "new.py").write_text('os.environ.get("TERMGRAPH_SOMETHING_NEW")\n')
    assert undocumented(tmp_path, (ROOT / "docs" / "settings.md").read_text()) == ["TERMGRAPH_SOMETHING_NEW"]
