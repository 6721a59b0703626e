"""A term page opens with a short summary made from the graph (what the sources agree on, where a
disagreement of the graph says they differ), then a table of contents; the every-claim table is
folded away."""

import re
from dataclasses import dataclass

from termgraph import namespaces as ns
from termgraph.web import termsummary
from termgraph.web.termpage import Block, Question, SourceAnswer

HTML = {"Accept": "text/html"}
C = ns.CONCEPT


@dataclass
class Claim:
    source: str


class Names:
    def label(self, iri):
        return {C + "llm": "large language model", C + "gai": "generative AI", C + "ai": "artificial intelligence",
                C + "fm": "foundation model"}[iri]


@dataclass
class View:
    claims: list
    names: Names = Names()


def answer(source, says="Yes", claims=1):
    return SourceAnswer(source, source, says, "firmly", [Claim(source)] * claims)


def test_the_summary_names_agreed_and_disputed_statements_and_leaves_out_the_rest():
    agreed = Question("?", (C + "llm", ns.RDFS + "subClassOf", C + "ai"), [answer("s1"), answer("s2")], [])
    disputed = Question("?", (C + "llm", ns.RDFS + "subClassOf", C + "gai"), [answer("s1"), answer("s2", "No")],
                        ["a disagreement of the graph"])
    one_source = Question("?", (C + "llm", ns.TG + "distinctFrom", C + "fm"), [answer("s3")], [])
    mixed = Question("?", (C + "fm", ns.RDFS + "subClassOf", C + "ai"), [answer("s1"), answer("s2", "Partly")], [])
    implied = Question("?", (C + "gai", ns.RDFS + "subClassOf", C + "ai"), [answer("s1"), answer("s2", "Implied", 0)], [])
    blocks = [Block(C + "ai", "artificial intelligence", [agreed, mixed, implied]),
              Block(C + "gai", "generative AI", [disputed]), Block(C + "fm", "foundation model", [one_source])]
    summary = termsummary.summarise(View([Claim("s1"), Claim("s2"), Claim("s3")]), blocks)
    assert summary == termsummary.Summary(3, 3, [
        termsummary.Statement("a large language model is a kind of artificial intelligence", "block-1", 2)], [
        termsummary.Statement("a large language model is a kind of generative AI", "block-2", 2)])
    assert [(before, each, [s.words for s in sts], after) for before, each, sts, after in summary.sentences("LLM")] == [
        ("3 sources make 3 claims about “LLM”.", "", [], ""),
        ("The sources that speak to it agree", "that", ["a large language model is a kind of artificial intelligence"], "."),
        ("They disagree on", "whether", ["a large language model is a kind of generative AI"], "."),
    ]


def test_a_summary_with_nothing_agreed_or_disputed_says_so():
    summary = termsummary.summarise(View([Claim("s1")]), [])
    assert [s[0] for s in summary.sentences("Gato")] == [
        "1 source makes 1 claim about “Gato”.",
        "No statement about it is made by two sources that agree, and none is disputed."]


def summary_text(page: str) -> str:
    section = re.search(r'<section class="summary".*?</section>', page, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_the_llm_page_opens_with_its_summary_and_contents(client):
    page = client.get("/concept/large-language-model", headers=HTML).text
    text = summary_text(page)
    assert text.startswith("Summary ") and "sources make" in text and "claims about “large language model”" in text
    assert "that a large language model is a kind of artificial intelligence (3 sources)" in text
    assert "They disagree on whether a large language model is a kind of generative AI" in text
    # each disputed statement links to its block, and that block shows the graph's disagreement
    for anchor in re.findall(r'whether <a href="#(block-\d+)"', page):
        block = page.split(f'id="{anchor}"', 1)[1].split('<section class="block"', 1)[0]
        assert "Sources disagree here" in block
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    anchors = re.findall(r'href="#([\w-]+)"', toc)
    assert anchors[0] == "answers" and anchors[-1] == "all-claims"
    assert all(f'id="{a}"' in page for a in anchors)


def test_the_every_claim_table_is_folded_away(client):
    page = client.get("/concept/large-language-model", headers=HTML).text
    folded = re.search(r'<details class="all-claims" id="every-claim">(.*?)</details>', page, re.S)
    assert folded and '<table id="claims" class="cards">' in folded.group(1)
    assert "<summary>Show every claim about large language model (" in folded.group(1)


def test_a_source_page_has_no_summary(client):
    page = client.get("/source/000", headers=HTML).text
    assert 'class="summary"' not in page and 'id="every-claim"' not in page
