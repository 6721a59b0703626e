"""The browse pages in-process (FastAPI's test client, queries run inline, no browser): term pages
that answer first, disagreement pages and matrix, compare, search, the viewer's JSON, HTML 404s,
and a link checker over every page of the site (a sample of each kind of page in the default run,
all of them marked `slow`). They use conftest's `client`: the service over the real data, loaded
once per test process. The disagreements are the derived ones (the real data's), looked up in the
store rather than named here."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pyoxigraph as ox
import pytest

from termgraph import namespaces as ns
from termgraph.web import termpage, views
from termgraph import wording


HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

class Page(HTMLParser):
    """Links, ids and visible text of a page. Left out of the text: scripts, the "as RDF" corners
    (.rdf) and curators' free-text notes (.note), which are data, not the site's wording."""

    def __init__(self):
        super().__init__()
        self.links, self.ids, self.text, self.skip = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src", "action"):
            if a.get(key) and not (tag == "form" and key == "action"):
                self.links.append(a[key])
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("script", "style") or {"rdf", "note"} & set((a.get("class") or "").split()):
            self.skip.append(tag)
        elif self.skip and tag == self.skip[0]:
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    j = html.find(end, i + len(start))
    return html[i: j if j > 0 else len(html)]


# --- Term pages answer first --------------------------------------------------------------------

def test_llm_page_answers_is_it_a_kind_of_generative_ai_source_by_source(client):
    html = client.get("/concept/large-language-model", headers=HTML).text
    assert html.index('id="answers"') < html.index('id="definitions"') < html.index('id="all-claims"')
    q = "Is a large language model a kind of generative AI?"
    block = section(html, f'<h4 class="question">{q}</h4>', '<h4 class="question">')
    text = parse(block).visible
    # every source that speaks to it, with its answer, firmness and quote, and a link to the claim
    assert "LLM vs GenAI article Yes firmly In reality, LLMs are a subset of the broader field of generative AI" in text
    assert "GenAI-LLM-FM explainer Yes firmly They are less focused on creative, novel generation" in text
    assert "CSET Partly in part Typical examples of generative AI systems include" in text
    assert "CSET Only when … only under a condition There is also no clear hierarchy between the terms" in text
    shown = set(re.findall(r'href="/claim/([^"]+)"', block))
    assert {"004-015", "001-021", "000-019", "000-027"} <= shown
    # where they disagree: every real disagreement over these claims, by kind, linked to its page (a
    # hedging difference is no disagreement: never under "Sources disagree here")
    store = client.app.state.termgraph.store
    rows = store.query(ns.sparql_prefixes() + """SELECT DISTINCT ?d ?kind WHERE {
        ?d a tg:Disagreement ; tg:hasClaim ?c ; tg:disagreementKind ?k . ?k skos:prefLabel ?kind
        FILTER (?k != tg:HedgingDifference) }""")
    expected = {(r["d"].value[len(ns.BASE):], r["kind"].value) for r in rows
                if any(True for _ in store.quads_for_pattern(r["d"], ox.NamedNode(ns.TG + "hasClaim"), None, None)
                       if _.object.value[len(ns.CLAIM):] in shown)}
    linked = set(re.findall(r'href="/(disagreement/[^"]+)"><span class="kind">([^<]+)</span>', block))
    assert linked == expected and {k for _, k in linked} == {"membership excluded", "opposite stances"}


def test_term_page_speaks_plain_english_and_hides_iris_in_the_rdf_corner(client):
    for path in ("/concept/large-language-model", "/system/bert", "/concept/foundation-model", "/org/openai"):
        html = client.get(path, headers=HTML).text
        text = parse(html).visible
        assert "https://w3id.org" not in text and "_:" not in text, path
        for rdf_word in ("subclass of", "instance of", "subClassOf", "rdf:type", "skos:", "tg:"):
            assert rdf_word not in text, (path, rdf_word)
        assert not re.search(r"(?<![-\w])00\d(?![-\w])", text), f"{path}: a bare source number is visible"
        assert "https://w3id.org/termgraph/" in section(html, 'class="rdf"', "</div>")


def test_examples_are_a_systems_by_sources_table(client):
    html = client.get("/concept/large-language-model", headers=HTML).text
    table = section(html, 'id="examples"', "</table>")
    head = re.findall(r'<th scope="col">(?:<a [^>]*>)?([^<]*)', table)
    assert head[0] == "system" and "CSET" in head and "000" not in head
    row = section(table, 'href="/system/gpt-4">GPT-4</a></th>', "</tr>")
    assert 'href="/claim/' in row and "Yes" in row


def test_implied_answer_follows_a_sources_chain_of_kind_of_claims(root):
    """Source B says X is a kind of Z; source A says X is a kind of Y and Y a kind of Z: A implies it."""
    store = ox.Store()
    store.load(path=str(root / "ontology" / "termgraph.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(ns.GRAPH_ONTOLOGY))
    store.load(input=CHAIN, format=ox.RdfFormat.TURTLE)  # claims are in the default graph, as served
    cache: dict = {}
    view = views.resource(store, ns.CONCEPT + "x", cache)
    blocks = termpage.blocks(store, view, [], cache)
    question = next(q for b in blocks for q in b.questions if q.key[2] == ns.CONCEPT + "z")
    assert question.text == "Is an apple thing a kind of cherry thing?"
    answers = {(a.name, a.answer): [c.quote for c in a.claims + a.chain] for a in question.answers}
    assert answers == {("Source B", "Yes"): ["X things are Z things."],
                       ("Source A", "Implied"): ["X things are Y things.", "Y things are Z things."]}
    # a broken chain (A's second step denied) implies nothing
    broken = CHAIN.replace("claim:a-2 a tg:Claim ; tg:stance tg:Asserts", "claim:a-2 a tg:Claim ; tg:stance tg:Denies")
    store2 = ox.Store()
    store2.load(input=broken, format=ox.RdfFormat.TURTLE)
    cache2: dict = {}
    view2 = views.resource(store2, ns.CONCEPT + "x", cache2)
    q2 = next(q for b in termpage.blocks(store2, view2, [], cache2) for q in b.questions if q.key[2] == ns.CONCEPT + "z")
    assert [a.answer for a in q2.answers] == ["Yes"]


CHAIN = ns.sparql_prefixes().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + """
concept:x a tg:Concept ; rdfs:label "apple thing" . concept:y a tg:Concept ; rdfs:label "berry thing" .
concept:z a tg:Concept ; rdfs:label "cherry thing" .
source:a a tg:Source ; rdfs:label "Source A" . source:b a tg:Source ; rdfs:label "Source B" .
claim:a-1 a tg:Claim ; tg:stance tg:Asserts ; rdf:subject concept:x ; rdf:predicate rdfs:subClassOf ; rdf:object concept:y ;
  prov:wasDerivedFrom source:a ; tg:evidence [ oa:hasSelector [ oa:exact "X things are Y things." ] ] .
claim:a-2 a tg:Claim ; tg:stance tg:Asserts ; rdf:subject concept:y ; rdf:predicate rdfs:subClassOf ; rdf:object concept:z ;
  prov:wasDerivedFrom source:a ; tg:evidence [ oa:hasSelector [ oa:exact "Y things are Z things." ] ] .
claim:b-1 a tg:Claim ; tg:stance tg:Asserts ; rdf:subject concept:x ; rdf:predicate rdfs:subClassOf ; rdf:object concept:z ;
  prov:wasDerivedFrom source:b ; tg:evidence [ oa:hasSelector [ oa:exact "X things are Z things." ] ] .
"""


def test_source_names_fall_back_from_short_title_to_title_to_file_name():
    store = ox.Store()
    store.load(input=ns.sparql_prefixes().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + """
        source:1 a tg:Source ; tg:shortTitle "Short" ; dcterms:title "Long title" ; dcterms:identifier "1.txt" .
        source:2 a tg:Source ; dcterms:title "Long title" ; dcterms:identifier "2.txt" .
        source:3 a tg:Source ; dcterms:identifier "3.txt" .""", format=ox.RdfFormat.TURTLE)
    assert views.source_names(store) == {ns.SOURCE + "1": "Short", ns.SOURCE + "2": "Long title", ns.SOURCE + "3": "3.txt"}


def test_relation_names_come_from_one_plain_english_table():
    assert wording.question(ns.RDFS + "subClassOf", "large language model", "generative AI") == \
        "Is a large language model a kind of generative AI?"
    assert wording.question(ns.RDF + "type", "BERT", "foundation model") == "Is BERT an example of a foundation model?"
    assert wording.says(ns.RDF + "type", "denies") == "is not an example of"
    assert wording.says(ns.SCHEMA + "isBasedOn", "asserts") == "is built on"
    assert wording.relation("https://example.org/v#madeUpRelation").says == "made up relation"
    assert wording.answer("qualifies", "conditional") == ("When …", "under a condition")
    assert wording.answer("qualifies", "only-when") == ("Only when …", "only under a condition")
    assert wording.answer(ns.TG + "Qualifies", ns.TG + "OnlyWhen") == ("Only when …", "only under a condition")


# --- Disagreement pages, matrix, compare --------------------------------------------------------

def derived(client, kind: str, *about: str) -> list[str]:
    """Paths of the derived disagreements of `kind` about all of `about` (from the store)."""
    store = client.app.state.termgraph.store
    terms = " ".join(f"tg:about <{ns.BASE}{a}> ;" for a in about)
    rows = store.query(ns.sparql_prefixes() + f"SELECT ?d WHERE {{ ?d a tg:Disagreement ; {terms} "
                       f"tg:disagreementKind tg:{kind} }} ORDER BY ?d")
    return ["/" + r["d"].value[len(ns.BASE):] for r in rows]


def test_disagreement_page_has_a_readable_title_the_quotes_on_each_side_and_its_kind(client):
    [path] = derived(client, "OppositeStances", "system/bert", "concept/generative-ai")
    html = client.get(path, headers=HTML).text
    text = parse(html).visible
    assert ("<h1>Is BERT a generative AI? LLM vs GenAI article says yes, Cognativ blog and FM vs Gen AI Q&amp;A say no"
            "</h1>") in html
    assert "Disagreement · opposite stances" in text
    sides = re.findall(r'<h3 id="side-\d+">([^<]*)</h3>', html)
    assert sides == ["BERT is an example of generative AI", "BERT is not an example of generative AI"]
    assert "FM vs Gen AI Q&A : No firmly BERT — foundation model for NLP (encoder-only, NOT generative)" in text
    assert 'href="/claim/004-039"' in html and 'href="/claim/002-027"' in html
    assert 'href="/rule/opposite-stances"' in html


def test_matrix_heads_columns_with_short_titles_and_cells_lead_to_quotes(client):
    html = client.get("/disagreements", headers=HTML).text
    head = re.findall(r'<th scope="col"><a href="/source/\d+">([^<]*)</a>', html)
    assert head == ["adamreid.me notes", "Arizona library FAQ", "BJO table", "Cognativ blog", "CSET", "FM vs Gen AI Q&amp;A",
                    "FM vs LLM article", "GenAI-LLM-FM explainer", "IBM Think", "ITPro", "LLM vs GenAI article",
                    "NVIDIA glossary", "Otteri blog", "textnotes", "USM Systems blog"]
    first = section(html, '<tr class="disputed"', "</tr>")
    assert 'href="/claim/' in first and 'class="tip"' in first
    text = parse(html).visible
    for rdf_word in ("instance of", "subclass of", "→ object"):
        assert rdf_word not in text
    every = client.app.state.termgraph.store.query(ns.sparql_prefixes() + "SELECT ?d WHERE { ?d a tg:Disagreement }")
    paths = {"/" + r["d"].value[len(ns.BASE):] for r in every}
    assert len(paths) > 10 and all(f'href="{p}"' in html for p in paths)  # every one is linked from the matrix


def test_matrix_filters_by_term_and_by_kind(client):
    """Every row and every disagreement listed matches both filters."""
    html = client.get("/disagreements?term=system/bert&kind=OppositeStances", headers=HTML).text
    rows = re.findall(r'<tr class="([^"]*)" data-kinds="([^"]*)">\s*<td><a href="([^"]+)"', html)
    assert "/system/bert" in {path for _, _, path in rows}
    assert all(cls == "disputed" and "OppositeStances" in kinds.split() for cls, kinds, _ in rows)
    bodies = re.findall(r'<tr class="[^"]*" data-kinds="[^"]*">(.*?)</tr>', html, flags=re.S)
    assert len(bodies) == len(rows) and all('href="/system/bert"' in b for b in bodies)
    listed = re.findall(r'<li><a href="(/disagreement/[^"]+)"', html)
    assert set(listed) == set(derived(client, "OppositeStances", "system/bert")) and listed
    assert not set(listed) & set(derived(client, "MembershipExcluded", "system/bert"))  # another kind
    everything = client.get("/disagreements", headers=HTML).text
    assert len(re.findall(r"<tr class=", everything)) > len(rows)


@pytest.mark.parametrize("query, part", [("term=concept/no-such-term", "term=concept/no-such-term"),
                                         ("kind=Nonsense", "kind=Nonsense")])
def test_matrix_rejects_an_unknown_filter_naming_it(client, query, part):
    r = client.get("/disagreements?" + query, headers={"accept": "application/json"})
    assert r.status_code == 400 and part in r.json()["error"]["message"]


def test_compare_two_terms_shows_every_statement_between_them_by_source(client):
    html = client.get("/compare?a=concept/large-language-model&b=concept/generative-ai", headers=HTML).text
    questions = re.findall(r"<h3>([^<]*)</h3>", html)
    assert "Is a large language model a kind of generative AI?" in questions
    assert "Is a large language model a different concept from generative AI?" in questions  # symmetric: turned
    claims = set(re.findall(r'href="/claim/([\d-]+)"', html))
    expected = {r["c"].value.rsplit("/", 1)[-1] for r in client.app.state.termgraph.store.query(
        ns.sparql_prefixes() + """SELECT ?c WHERE { ?c a tg:Claim ; rdf:subject ?s ; rdf:object ?o .
        FILTER ((?s = concept:large-language-model && ?o = concept:generative-ai)
             || (?o = concept:large-language-model && ?s = concept:generative-ai)) }""",
        use_default_graph_as_union=True)}
    assert claims == expected and len(expected) > 5


def test_compare_two_sources_puts_their_shared_statements_side_by_side(client):
    html = client.get("/compare?a=source/002&b=source/004", headers=HTML).text
    both = section(html, "<h2>Statements both make", "<details>")
    row = section(both, ">BERT is an example of <a", "</tr>")
    assert "FM vs Gen AI Q&amp;A" in both and ">No<" in row and ">Yes<" in row


def test_compare_rejects_a_term_with_a_source(client):
    r = client.get("/compare?a=concept/generative-ai&b=source/000", headers={"accept": "application/json"})
    assert r.status_code == 400 and "two terms or two sources" in r.json()["error"]["message"]


# --- Search, viewer data, 404 -------------------------------------------------------------------

@pytest.mark.parametrize("q, first, how", [("LLM", "concept/large-language-model", "also called"),
                                            ("gen ai", "concept/generative-ai", "also called"),
                                            ("FM vs LLM", "source/003", "short title"),
                                            ("openai", "org/openai", "name"),
                                            ("bert", "system/bert", "name")])
def test_search_finds_labels_alternative_labels_systems_organisations_and_sources(client, q, first, how):
    hits = client.get("/search.json", params={"q": q}).json()
    assert hits[0]["id"] == first and hits[0]["how"] == how
    html = client.get("/search", params={"q": q}, headers=HTML).text
    assert f'href="/{first}"' in html


def test_every_page_has_the_search_box(client):
    for path in ("/", "/concepts", "/disagreements", "/compare", "/viewer", "/concept/generative-ai", "/no/such"):
        assert 'role="search" action="/search"' in client.get(path, headers=HTML).text, path


def test_viewer_gets_the_core_terms_neighbourhood_not_the_whole_graph(client):
    data = client.get("/viewer/neighbourhood.json").json()
    store = client.app.state.termgraph.store
    top = sorted({q.object.value[len(ns.BASE):] for q in store.quads_for_pattern(
        ox.NamedNode(ns.BASE + "concepts"), ox.NamedNode(ns.SKOS + "hasTopConcept"), None, None)})
    assert sorted(data["centres"]) == top
    ids = {n["data"]["id"] for n in data["elements"]["nodes"]}
    whole = client.get("/graph.cyjs").json()["elements"]["nodes"]
    assert set(top) <= ids and len(ids) < len(whole)
    for e in data["elements"]["edges"]:  # every edge touches a centre and carries its quotes
        assert e["data"]["source"] in top or e["data"]["target"] in top
        assert all(c["quote"] and c["name"] and c["claim"].startswith("claim/") for c in e["data"]["claims"])


def test_viewer_draws_one_edge_per_pair_of_terms_and_relation(client):
    """A symmetric relation said both ways round ('A is distinct from B', 'B is distinct from A') is
    one edge carrying both claims; each edge says how to deny its relation (for 'only no')."""
    edges = [e["data"] for e in client.get("/viewer/neighbourhood.json?cap=60").json()["elements"]["edges"]]
    pairs = [(frozenset((e["source"], e["target"])) if e["symmetric"] else (e["source"], e["target"]), e["relation"])
             for e in edges]
    assert len(pairs) == len(set(pairs))
    distinct = next(e for e in edges if e["relation"] == "is a different concept from"
                    and {e["source"], e["target"]} == {"concept/large-language-model", "concept/foundation-model"})
    says = {(c["claim"], c["says"]) for c in distinct["claims"]}
    assert len(says) == len(distinct["claims"]) >= 2 and distinct["denied"] == "is not a different concept from"
    kind = next(e for e in edges if e["id"] == "concept/large-language-model|sub class of|concept/generative-ai")
    assert kind["symmetric"] is False and kind["denied"] == "is not a kind of"


def test_viewer_neighbourhood_is_capped_keeping_the_node_asked_for(client):
    data = client.get("/viewer/neighbourhood.json?node=concept/generative-ai&cap=5").json()
    ids = [n["data"]["id"] for n in data["elements"]["nodes"]]
    assert len(ids) == 5 == data["shown"] < data["total"] and "concept/generative-ai" in ids
    bad = client.get("/viewer/neighbourhood.json?node=concept/nothing")
    assert bad.status_code == 400 and "node=concept/nothing" in bad.json()["error"]["message"]


def test_one_sources_view_is_its_taxonomy(client):
    data = client.get("/viewer/source-view.json?source=source/004").json()
    assert data["name"] == "LLM vs GenAI article"
    edges = [e["data"] for e in data["elements"]["edges"]]
    assert edges and all(e["taxonomy"] and e["sources"] == "source/004" for e in edges)
    assert all(c["stance"] != "denies" for e in edges for c in e["claims"])


def test_browsers_get_an_html_404_and_api_clients_json(client):
    for path in ("/concept/no-such-term", "/no/such/page", "/disagreement/opposite-stances/none"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html"), path
        assert "<h1>Not found</h1>" in page.text
        api = client.get(path, headers={"accept": "application/ld+json, application/json"})
        assert api.status_code == 404 and api.headers["content-type"].startswith("application/json"), path


# --- Every link on every page resolves ----------------------------------------------------------

def crawl(client, start="/", per_kind=None):
    """Every page reachable from `start` (or, with `per_kind`, the first `per_kind` pages of each
    kind, a kind being the path's first step). The "as RDF" alternates (`?_mediatype=…`, one
    function writes them all) are followed on the first page of each kind, not on all 500 claims."""
    seen, queue, pages, broken, alternates, kinds = set(), [start], {}, [], {}, {}
    while queue:
        url = queue.pop(0 if per_kind else -1)
        path, _, query = url.partition("?")
        kind = path.split("/")[1]
        if url in seen or ("_mediatype=" in query and alternates.setdefault(kind, path) != path):
            continue
        if per_kind:
            sample = kinds.setdefault(kind, set())
            if path not in sample and len(sample) >= per_kind:
                continue
            sample.add(path)
        seen.add(url)
        r = client.get(url, headers=HTML)
        if r.status_code != 200:
            broken.append((url, r.status_code))
            continue
        if not r.headers.get("content-type", "").startswith("text/html") or url.startswith("/ontology"):
            continue
        page = parse(r.text)
        pages[url] = page
        for link in page.links:
            target = urljoin("http://testserver" + url, link)
            parts = urlparse(target)
            if parts.netloc == "testserver" and parts.scheme == "http":
                path = urldefrag(target)[0][len("http://testserver"):] or "/"
                queue.append(path)
    return pages, broken, seen


def missing_anchors(client, pages) -> list[tuple[str, str]]:
    """Same-site links whose #fragment names no element of the (crawled) page they point at."""
    missing = []
    for url, page in pages.items():
        for link in page.links:
            target = urljoin("http://testserver" + url, link)
            path, frag = urldefrag(target)
            path = path[len("http://testserver"):] or "/"
            if frag and path in pages and frag not in pages[path].ids:
                missing.append((url, link))
    ontology = parse(client.get("/ontology", headers=HTML).text).ids
    return missing + [(u, link) for u, p in pages.items() for link in p.links
                      if link.startswith("/ontology#") and link.split("#", 1)[1] not in ontology]


def test_the_links_on_a_few_pages_of_every_kind_resolve(client):
    """The quick cousin of the whole-site crawl below: the first three pages of every kind the
    site links to (terms, systems, organisations, sources, claims, disagreements, rules, graphs,
    comparisons, downloads, ...)."""
    pages, broken, seen = crawl(client, per_kind=3)
    # the first three disagreements the home page lists may all be curated ones, which name no
    # rule: sample from a derived disagreement's page too, so rule pages are reached
    [one] = derived(client, "OppositeStances", "system/bert", "concept/generative-ai")
    more_pages, more_broken, more_seen = crawl(client, start=one, per_kind=1)
    pages, broken, seen = {**pages, **more_pages}, broken + more_broken, seen | more_seen
    assert broken == []
    kinds = {url.partition("?")[0].split("/")[1] for url in seen}
    assert {"concept", "system", "org", "source", "claim", "disagreement", "disagreements", "concepts", "rule",
            "rdf-graphs", "ontology", "download", "compare", "sparql", "viewer", "static"} - kinds == set(), kinds
    assert missing_anchors(client, pages) == []


@pytest.mark.slow
def test_every_link_on_every_page_resolves(client):
    pages, broken, seen = crawl(client)
    assert broken == []
    every = client.app.state.termgraph.store.query(ns.sparql_prefixes() + "SELECT ?d WHERE { ?d a tg:Disagreement }")
    assert "/concepts" in seen and all("/" + r["d"].value[len(ns.BASE):] in seen for r in every)
    assert len(pages) > 500  # every term, system, source, claim and disagreement page
    assert missing_anchors(client, pages) == []


def test_the_retired_contested_kind_redirects_to_the_disagreements(client):
    from termgraph.web.routes.terms import KINDS

    r = client.get("/contested/anything", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (301, "/disagreements")
    assert "contested" not in KINDS and client.get("/contested/x/y", follow_redirects=False).status_code == 301


def test_graph_exports_take_contested_from_the_disagreements_graph(client):
    edges = {(e["data"]["source"], e["data"]["relation"], e["data"]["target"]): e["data"]
             for e in client.get("/graph.cyjs").json()["elements"]["edges"]}
    assert edges[("system/bert", "is an example of", "concept/generative-ai")]["contested"] is True
    assert edges[("concept/generative-ai", "is a kind of", "concept/artificial-intelligence")]["contested"] is False
    assert "subclass of" not in {e["relation"] for e in edges.values()}


def test_source_page_names_title_publisher_and_text_and_groups_every_claim(client):
    html = client.get("/source/000", headers=HTML).text
    assert "Title: <b>What Are Generative AI, Large Language Models, and Foundation Models?</b>" in html
    assert 'Publisher: <a href="/org/cset">CSET</a>' in html and "<h1>CSET</h1>" in html
    claims = client.app.state.termgraph.store.query(ns.sparql_prefixes() + "SELECT (COUNT(*) AS ?n) WHERE { ?c a tg:Claim ; "
                                                    "prov:wasDerivedFrom source:000 }")
    assert html.count('<a class="muted" href="/claim/000-') == int(next(iter(claims))["n"].value)


def test_the_home_page_lists_each_term_system_organisation_and_source_once(client):
    html = client.get("/", headers=HTML).text
    links = re.findall(r'<a href="/((?:concept|system|org|source)/[^"#?]+)">', section(html, 'id="sources"', 'id="query"'))
    assert links and len(links) == len(set(links)), sorted(link for link in links if links.count(link) > 1)[:5]


@pytest.mark.parametrize("iri,href", [
    ("https://w3id.org/termgraph/concept/x", "/concept/x"), ("https://example.org/a", "https://example.org/a"),
    ("HTTP://example.org/a", "HTTP://example.org/a"), ("javascript:alert(1)", "#"), ("JavaScript:alert(1)", "#"),
    ("data:text/html,<script>alert(1)</script>", "#"), ("file:///etc/passwd", "#"), ("urn:isbn:123", "#"),
])
def test_links_go_only_to_termgraph_paths_and_http_iris(iri, href):
    from termgraph.web.render import local_path

    assert local_path(iri) == href


def test_a_javascript_iri_in_a_users_data_file_is_never_a_link(small_root):
    from fastapi.testclient import TestClient

    from termgraph.settings import Settings
    from termgraph.web.app import create_app

    from .conftest import inline_state

    def hostile(store):
        for p in (ns.RDFS + "seeAlso", ns.SCHEMA + "url"):
            store.add(ox.Quad(ox.NamedNode(ns.SOURCE + "000"), ox.NamedNode(p), ox.NamedNode("javascript:alert(1)"),
                              ox.NamedNode(ns.GRAPH + "user/hostile")))
    state = inline_state(Settings(root=small_root), prepare=hostile)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        html = client.get("/source/000", headers=HTML).text
    state.close()
    assert "javascript:alert(1)" in html and not re.search(r'href="\s*javascript:', html, flags=re.I)


def test_a_users_data_file_is_shown_as_theirs_never_as_termgraphs_own_words():
    """A definition in a file given to `termgraph serve FILE` is not "termgraph's own words"."""
    from fastapi.testclient import TestClient

    from termgraph.settings import Settings
    from termgraph.web.app import create_app

    from .browsing import ROOT
    from .conftest import inline_state

    def users_file(store):
        graph = ox.NamedNode(ns.GRAPH + "user/my-notes")
        for s, o in (("foundation-model", "A model my team fine-tunes."), ("my-own-term", "Only in my file.")):
            store.add(ox.Quad(ox.NamedNode(ns.CONCEPT + s), ox.NamedNode(ns.SKOS + "definition"),
                              ox.Literal(o, language="en"), graph))
    state = inline_state(Settings(root=ROOT), prepare=users_file)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        html = client.get("/concept/foundation-model", headers=HTML).text
        own = client.get("/concept/my-own-term", headers=HTML)
    state.close()
    assert "A model my team fine-tunes." in html
    assert not re.search(r"Curated definition</b>[^<]*: A model my team", html)
    assert re.search(r"From the data file “my-notes”</h2>.*definition: A model my team fine-tunes\.", html, re.S)
    assert own.status_code == 200 and "From the data file “my-notes”" in own.text


def test_the_home_page_lists_sources_in_the_order_of_the_names_it_shows(client):
    html = client.get("/", headers=HTML).text
    section = html.split('<h2 id="sources">', 1)[1].split("</ul>", 1)[0]
    shown = re.findall(r'<li><a href="/source/\d+">([^<]+)</a>', section)
    assert len(shown) >= 5 and shown == sorted(shown, key=str.casefold)


def kinds_without_resource(store, kinds) -> list[str]:
    """The kinds of /{kind}/{name} page that no resource of the graph has."""
    import pyoxigraph as ox

    from termgraph import namespaces as ns

    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ns.BASE)}
    return [k for k in kinds if not any(s.startswith(f"{ns.BASE}{k}/") for s in subjects)]


def test_every_page_kind_a_route_offers_has_a_resource(service_state):
    from termgraph.web.routes.terms import KINDS

    assert kinds_without_resource(service_state.store, KINDS) == []
    assert kinds_without_resource(service_state.store, KINDS + ("contested",)) == ["contested"]  # the retired kind


def test_the_pages_fixed_queries_have_one_home_and_the_claim_row_one_pattern():
    """web/page_queries.py runs every fixed query of the pages, each a named function; the
    disagreement pages' own (disagreements.py, termpage.py) are kept apart on purpose."""
    import re

    from .conftest import ROOT

    web = ROOT / "src" / "termgraph" / "web"
    runs = {p.relative_to(web).as_posix() for p in web.rglob("*.py") if re.search(r"\bstore\.query\(", p.read_text())}
    assert runs == {"page_queries.py", "disagreements.py", "termpage.py"}
    pattern = "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o"
    assert [p.name for p in web.rglob("*.py") if pattern in p.read_text()] == ["page_queries.py"]


def test_hedging_differences_are_listed_apart_and_never_as_disagreements(client):
    html = client.get("/disagreements", headers=HTML).text
    real = section(html, 'id="list"', 'id="firmness"')
    apart = section(html, 'id="firmness"', 'id="matrix-heading"')
    assert "hedging-difference/" not in real and "(hedging difference)" not in real
    assert "opposite-stances/" in real and "curated/001" in real
    assert apart.count('href="/disagreement/hedging-difference/') == 11
    page = parse(client.get("/disagreement/hedging-difference/e7da2f5d17571b76", headers=HTML).text).visible
    assert "Not a disagreement" in page and "Both statements can be true" in page
    index = parse(client.get("/", headers=HTML).text).visible
    assert "(8 disagreements)" in index


def test_a_disagreement_page_says_what_each_side_says_and_why_both_cannot_hold(client):
    text = parse(client.get("/disagreement/opposite-stances/e7da2f5d17571b76", headers=HTML).text).visible
    assert ("CSET says that every large language model is a generative AI only under a condition, and not "
            "otherwise. One says it holds in general; the other that it holds only under a condition and not "
            "otherwise: both cannot be true.") in text
    curated = parse(client.get("/disagreement/curated/002", headers=HTML).text).visible
    assert "recorded by a curator" in curated and "a model limited to text has no results in vision or speech" in curated
    assert "Limited to text; cannot generate non-text content." in curated
