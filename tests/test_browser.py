"""In a real browser: Debian's chromium driven by Playwright, against the app served in a thread
with the disagreements test fixture (tests/browsing.py). One test per browsing flow: from the
landing page to the answer in two clicks, the viewer (default view, layout, expand, edge panel,
filters, one source's view, search), the matrix's quotes on focus, the term page's claim filters,
the HTML 404, pages at 400 px, axe-core (vendored from npm in tests/vendor) with no serious or
critical violation, and no request leaving the machine. Screenshots at 1400 and 400 px go to
artefacts/ (git-ignored)."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .browsing import ROOT, ThreadServer, browse_state

pytestmark = pytest.mark.browser

pytestmark = pytest.mark.browser

ARTEFACTS = ROOT / "artefacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "tests" / "vendor" / "axe-core-4.11.0" / "axe.min.js"
PAGES = ["", "concepts", "concept/large-language-model", "concept/generative-ai", "system/bert", "source/000",
         "claim/004-015", "disagreements", "disagreement/fixture/bert-generative",
         "compare?a=concept/large-language-model&b=concept/foundation-model", "compare?a=source/002&b=source/004",
         "search?q=LLM", "viewer", "query", "sparql", "rdf-graphs?graph=https%3A%2F%2Fw3id.org%2Ftermgraph%2Fgraph%2Fview%2F004",
         "no/such/page"]


@pytest.fixture(scope="module")
def server():
    state = browse_state()
    with ThreadServer(state) as url:
        yield url
    state.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "scripts/test.sh installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", e => console.error(
  "CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber));"""


def open_page(browser, server, width):
    """A page that records every request it makes and every Content-Security-Policy violation
    (the browser's own console error, and the page's securitypolicyviolation event)."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    context.add_init_script(REPORT_VIOLATIONS)
    pg = context.new_page()
    requests, violations = [], []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: violations.append(f"{pg.url}: {m.text}") if m.type == "error" and (
        "Content Security Policy" in m.text or m.text.startswith("CSP violation")) else None)
    return context, pg, requests, violations


@pytest.fixture
def page(browser, server):
    """A 1400 px page; the test fails on any request that is not local, and on any CSP violation."""
    context, pg, requests, violations = open_page(browser, server, 1400)
    yield pg
    outside = [u for u in requests if not (u.startswith(server) or u.startswith(("data:", "blob:", "about:")))]
    context.close()
    assert outside == [], outside
    assert violations == [], violations


def shot(pg, name, full=False):
    ARTEFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full)


def settle(pg, path: str) -> None:
    """Wait for a page's script-built parts: the viewer's graph, the query editor."""
    if path == "viewer":
        drawn(pg)
    elif path == "query":
        pg.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)


def shot_name(path: str) -> str:
    name = "".join(ch if ch.isalnum() else "-" for ch in path.replace("concept/", "").replace("source/", "source"))
    return name.strip("-") or "index"


def sparql(server, query):
    url = server + "sparql?query=" + urllib.parse.quote(query)
    return json.load(urllib.request.urlopen(url))["results"]["bindings"]


def drawn(pg):
    pg.wait_for_selector("#cy[data-ready=yes]", timeout=60_000)
    cy = pg.locator("#cy")
    return int(cy.get_attribute("data-nodes")), int(cy.get_attribute("data-edges"))


# --- The question a policy analyst asks -----------------------------------------------------------

def test_from_the_landing_page_two_clicks_answer_is_an_llm_a_kind_of_generative_ai(page, server):
    page.goto(server)
    page.get_by_role("link", name="large language model", exact=True).first.click()  # click 1
    page.locator("nav[aria-label='Related terms']").get_by_role("link", name="generative AI", exact=True).click()  # 2
    question = page.locator("h4.question", has_text="Is a large language model a kind of generative AI?")
    assert question.is_visible()
    expected = sparql(server, """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?quote WHERE { ?c rdf:subject <https://w3id.org/termgraph/concept/large-language-model> ;
          rdf:predicate <http://www.w3.org/2000/01/rdf-schema#subClassOf> ;
          rdf:object <https://w3id.org/termgraph/concept/generative-ai> ;
          <https://w3id.org/termgraph/ontology#evidence>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?quote }""")
    assert len(expected) >= 3
    block = page.locator("section.block", has=question)
    for row in expected:
        quote = block.locator("blockquote", has_text=row["quote"]["value"].split("\n")[0])
        assert quote.first.is_visible()
    for name in ("CSET", "GenAI-LLM-FM explainer", "LLM vs GenAI article"):
        assert block.locator(".who", has_text=name).first.is_visible()
    shot(page, "answer-llm-kind-of-genai")


def test_term_page_claims_table_filters_by_source_relation_and_stance(page, server):
    page.goto(server + "concept/large-language-model")
    assert not page.locator("select[data-col=source]").is_visible()  # folded away until asked for
    page.locator("#every-claim > summary").click()
    rows = page.locator("#claims tr[data-source]")
    total = rows.count()
    page.select_option("select[data-col=source]", "https://w3id.org/termgraph/source/004")
    page.select_option("select[data-col=stance]", "denies")
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < total
    assert all(r.get_attribute("data-source").endswith("/004") and r.get_attribute("data-stance") == "denies"
               for r in shown)


def test_a_term_page_opens_with_its_summary_and_contents_and_stacks_its_tables_on_a_phone(browser, server):
    context, pg, _, violations = open_page(browser, server, 400)
    pg.goto(server + "concept/large-language-model")
    summary = pg.locator("section.summary")
    assert summary.is_visible() and "They disagree on whether" in summary.inner_text()
    assert summary.bounding_box()["y"] < 700  # the answer comes first, above the fold
    pg.locator("nav.toc a", has_text="Every claim").click()
    assert pg.locator("#every-claim").get_attribute("open") is not None  # the contents link opens it
    cells = pg.evaluate("[...document.querySelectorAll('table#claims tr[data-source]')].slice(0, 5)"
                        ".map(tr => [getComputedStyle(tr).display, tr.querySelector('blockquote').getBoundingClientRect().width])")
    assert all(display == "block" and width > 250 for display, width in cells), cells  # whole lines, not fragments
    pg.locator("#every-claim > summary").click()
    height = pg.evaluate("document.documentElement.scrollHeight")
    shot(pg, "large-language-model-summary-400")
    context.close()
    assert height < 60_000, height  # (274,000 px before: every claim unfolded, quotes in two-letter columns)
    assert violations == [], violations


def test_matrix_cell_shows_its_quote_on_focus_and_links_to_the_claim(page, server):
    page.goto(server + "disagreements")
    cell = page.locator("#matrix tr.disputed .cell").first
    tip = cell.locator(".tip")
    assert not tip.is_visible()
    cell.locator("a").focus()
    assert tip.is_visible() and "“" in tip.inner_text()
    href = cell.locator("a").get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(href) and page.locator("blockquote").is_visible()
    shot(page, "claim-page")


# --- The viewer ----------------------------------------------------------------------------------

def positions(pg):
    return pg.evaluate("""() => Object.fromEntries(cy.nodes(':visible').map(n => [n.id(),
        [Math.round(n.position('x')), Math.round(n.position('y'))]]))""")


def test_viewer_starts_from_the_core_terms_laid_out_without_overlaps_the_same_each_time(page, server):
    page.goto(server + "viewer")
    nodes, edges = drawn(page)
    whole = json.load(urllib.request.urlopen(server + "graph.cyjs"))["elements"]["nodes"]
    assert 0 < nodes < len(whole) and edges > 0
    ids = set(positions(page))
    assert {"concept/generative-ai", "concept/large-language-model", "concept/foundation-model"} <= ids
    boxes = page.evaluate("() => cy.nodes(':visible').map(n => n.boundingBox({includeLabels: true}))")
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]
    assert overlaps == []
    first = positions(page)
    shot(page, "viewer")
    page.reload()
    drawn(page)
    assert positions(page) == first


def test_clicking_a_node_expands_its_neighbourhood_and_offers_its_page(page, server):
    page.goto(server + "viewer")
    before, _ = drawn(page)
    page.check("input.kind[value=system]")
    page.locator("#nodelist button", has_text="large language model").click()
    page.wait_for_function(f"() => +document.getElementById('cy').dataset.nodes > {before}")
    assert page.locator("#panel h3").inner_text() == "large language model"
    assert page.locator("#panel a", has_text="Open its page").get_attribute("href") == "/concept/large-language-model"
    # clicking on the canvas does the same for a node drawn there (panned into view first, as a
    # reader would: with fifteen sources the neighbourhood is larger than the canvas), once the
    # layout has stopped moving
    page.wait_for_function("() => !cy.animated() && !cy.nodes().some(n => n.animated())")
    pos = page.evaluate("""() => { const n = cy.getElementById('concept/foundation-model');
        document.getElementById('cy').scrollIntoView(); cy.center(n);
        const p = n.renderedPosition(); const box = document.getElementById('cy').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y}; }""")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # drawn there
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function("() => document.querySelector('#panel h3').textContent === 'foundation model'")


# A point on the screen where the mouse meets this edge and nothing drawn over it: the midpoint
# when free, else the first free point along the edge or near its middle. Where edges cross or
# labels overlap depends on the fonts a machine has, so the test asks cytoscape's own hit test
# (the renderer's findNearestElement, in model coordinates) rather than trusting the midpoint.
HIT_POINT = """id => { const e = cy.getElementById(id), r = cy.renderer(), pan = cy.pan(), z = cy.zoom();
  const box = document.getElementById('cy').getBoundingClientRect();
  const a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint(), m = e.renderedMidpoint(), tries = [m];
  for (let i = 1; i < 20; i++) tries.push({x: a.x + (b.x - a.x) * i / 20, y: a.y + (b.y - a.y) * i / 20});
  for (let dx = -24; dx <= 24; dx += 4) for (let dy = -24; dy <= 24; dy += 4) tries.push({x: m.x + dx, y: m.y + dy});
  for (const p of tries) {
    if (p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height()) continue;
    const hit = r.findNearestElement((p.x - pan.x) / z, (p.y - pan.y) / z, true, false);
    if (hit && hit.id() === id) return {x: box.left + p.x, y: box.top + p.y};
  }
  return null; }"""


def test_an_edge_shows_who_says_so_with_quotes_in_the_panel(page, server):
    page.goto(server + "viewer")
    drawn(page)
    edge = "concept/large-language-model|sub class of|concept/generative-ai"
    pos = page.evaluate(f"() => ({HIT_POINT})({json.dumps(edge)})")
    assert pos, "no point of the edge is on top of the drawing"
    page.mouse.move(pos["x"], pos["y"])  # hover
    page.wait_for_selector("#panel .claim")
    assert page.locator("#panel h3").inner_text() == "large language model is a kind of generative AI"
    claims = page.locator("#panel .claim")
    assert claims.count() >= 3
    assert "In reality, LLMs are a subset of the broader field of generative AI" in page.inner_text("#panel")
    assert page.locator("#panel .dispute a", has_text="opposite stances").count() >= 1
    shot(page, "viewer-edge-panel")


def test_viewer_labels_are_readable_and_an_edge_counts_its_sources(page, server):
    page.goto(server + "viewer")
    drawn(page)
    sizes = page.evaluate("""() => ({zoom: cy.zoom(), node: parseFloat(cy.nodes()[0].style('font-size')),
        edge: parseFloat(cy.edges()[0].style('font-size'))})""")
    assert sizes["node"] * sizes["zoom"] >= 10 and sizes["edge"] * sizes["zoom"] >= 9, sizes
    core = page.evaluate("""() => cy.nodes('[?core]').map(n => { const p = n.renderedPosition();
        return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height(); })""")
    assert core and all(core)  # the core terms in view at 1400 px
    edge = "concept/large-language-model|sub class of|concept/generative-ai"
    tally = page.evaluate(f"() => cy.getElementById({json.dumps(edge)}).data('tally')")
    yes = len({c["source"] for c in page.evaluate(f"() => cy.getElementById({json.dumps(edge)}).data('claims')")
               if c["stance"] == "asserts"})
    assert tally.startswith(f"{yes} yes") and "with reservations" in tally
    page.evaluate(f"() => cy.getElementById({json.dumps(edge)}).emit('tap')")
    assert page.locator("#panel .tally").inner_text() == f"Sources: {tally}."


def test_finding_a_term_keeps_core_terms_in_view(page, server):
    page.goto(server + "viewer")
    drawn(page)
    page.fill("#search", "GPT-4")
    page.click("#find button[type=submit]")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Found GPT-4')")
    seen = page.evaluate("""() => cy.nodes('[?core], .found').map(n => { const p = n.renderedPosition();
        return [n.id(), p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height()]; })""")
    inside = dict(seen)
    assert inside["system/gpt-4"] and sum(inside.values()) >= 3, seen  # the term found and core terms beside it
    assert page.evaluate("() => cy.zoom()") >= 0.7
    shot(page, "viewer-find-gpt-4")


def test_only_no_draws_each_denial_labelled(page, server):
    page.goto(server + "viewer")
    drawn(page)
    page.uncheck("input.stance[value=asserts]")
    page.uncheck("input.stance[value=qualifies]")
    labels = page.evaluate("() => cy.edges(':visible').map(e => [e.style('label'), e.hasClass('denial')])")
    assert labels and all(denial and label.startswith(("is not", "does not")) and " no" in label
                          for label, denial in labels), labels
    shot(page, "viewer-only-no")


def test_a_source_filter_hides_other_sources_lines_and_what_they_leave_unconnected(page, server):
    page.goto(server + "viewer")
    drawn(page)
    for box in page.locator("input.source").all():
        if box.get_attribute("value") != "source/002":
            box.uncheck()
    nodes, edges = drawn(page)
    visible = page.evaluate("""() => ({edges: cy.edges(':visible').map(e => e.data('claims').map(c => c.source)),
        lonely: cy.nodes(':visible').filter(n => n.connectedEdges(':visible').length === 0).map(n => n.id()),
        core: cy.nodes(':visible').filter(n => n.data('core')).map(n => n.id())})""")
    assert edges == len(visible["edges"]) > 0
    assert all("source/002" in e for e in visible["edges"])
    assert set(visible["lonely"]) <= set(visible["core"])  # only a term asked for may stand alone
    shot(page, "viewer-only-002")


def test_one_sources_view_is_drawn_as_its_taxonomy(page, server):
    page.goto(server + "viewer")
    drawn(page)
    page.select_option("#view", "source/004")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('LLM vs GenAI article')")
    data = page.evaluate("() => cy.edges(':visible').map(e => [e.data('taxonomy'), e.data('sources')])")
    assert data and all(tax and src == "source/004" for tax, src in data)
    shot(page, "viewer-source-004")


def test_viewer_search_finds_a_term_by_its_alternative_name(page, server):
    page.goto(server + "viewer")
    drawn(page)
    page.fill("#search", "LLM")
    page.press("#search", "Enter")
    page.wait_for_function("() => cy.nodes('.found').length === 1")
    assert page.evaluate("() => cy.nodes('.found')[0].id()") == "concept/large-language-model"
    assert "also called “LLM”" in page.inner_text("#status")


# --- Site basics ---------------------------------------------------------------------------------

def test_a_missing_page_is_an_html_page_in_the_browser(page, server):
    response = page.goto(server + "concept/no-such-term")
    assert response.status == 404 and page.locator("h1").inner_text() == "Not found"
    assert page.locator("form[role=search]").is_visible()


def test_query_ui_runs_a_query_and_shows_rows(page, server):
    page.goto(server + "query")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=60_000)
    assert page.locator(".yasr table tbody tr").count() >= 3
    # widen a column: YASGUI's resizer writes its drag cursor as a <style> block (allowed by hash)
    widths = "[...document.querySelectorAll('.yasr table thead th')].map(th => th.getBoundingClientRect().width)"
    before = page.evaluate(widths)
    grip = page.locator(".grip-handle .grip-resizable").first.bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] + 80, grip["y"] + 5, steps=8)
    page.mouse.up()
    assert any(after > was + 20 for after, was in zip(page.evaluate(widths), before)), (before, page.evaluate(widths))


def test_query_ui_runs_an_example_without_prefix_lines_and_shows_whole_cells(page, server):
    page.goto(server + "query")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
    query = page.evaluate("yasgui.getTab().getQuery()")
    assert "PREFIX" not in query and "tg:" in query
    assert page.locator(".yasqe .gutterErrorBar *").count() == 0  # the editor knows the predeclared prefixes
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=60_000)
    assert page.locator(".yasr table.ellipseTable").count() == 0
    cut = page.evaluate("[...document.querySelectorAll('.yasr table tbody td')].filter(td => td.scrollWidth > td.clientWidth + 1).length")
    assert cut == 0
    assert page.locator(".yasr table tbody td a", has_text="source:000").count() > 0  # IRIs with the prefixes
    shot(page, "query-results-1400")


def test_query_ui_shows_an_error_as_a_sentence(page, server):
    page.goto(server + "query")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
    page.evaluate("yasgui.getTab().setQuery('SELEC ?x WHERE { ?x ?p ?o }') && null")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".query-error", timeout=60_000)
    text = page.locator(".query-error").inner_text()
    assert "The query was not run (400 QuerySyntaxError)" in text and "not a query form: SELEC" in text
    assert "{" not in text
    shot(page, "query-error-1400")


def test_a_named_graphs_link_opens_a_page(page, server):
    page.goto(server + "sparql")
    assert page.get_by_label("Query").count() == 1
    page.locator("a", has_text="https://w3id.org/termgraph/graph/view/004").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Graph view/004"
    assert page.locator("table.triples tbody tr").count() > 10


def test_pages_fit_400_px_and_are_kept_as_screenshots(browser, server):
    context, pg, _, violations = open_page(browser, server, 400)
    wide = {}
    for path in PAGES:
        pg.goto(server + path)
        settle(pg, path)
        width = pg.evaluate("document.documentElement.scrollWidth")
        if width > 400:
            wide[path] = width
        shot(pg, f"{shot_name(path)}-400")
    header = pg.evaluate("() => { const h = document.querySelector('header.site'); return h.scrollWidth <= h.clientWidth; }")
    context.close()
    assert wide == {} and header
    assert violations == [], violations


def test_pages_at_1400_px_are_kept_as_screenshots(browser, server):
    context, pg, _, violations = open_page(browser, server, 1400)
    for path in PAGES:
        pg.goto(server + path)
        settle(pg, path)
        shot(pg, f"{shot_name(path)}-1400")
    context.close()
    assert violations == [], violations


def test_the_api_docs_and_the_ontology_page_work_under_the_content_security_policy(page, server):
    """Swagger UI is started by a static script (no inline one); pyLODE's page keeps its own style
    block, allowed by hash. The page fixture fails the test on any CSP violation."""
    assert "script-src 'self'" in urllib.request.urlopen(server + "docs").headers["content-security-policy"]
    page.goto(server + "docs")
    page.wait_for_selector(".opblock-summary", timeout=60_000)
    page.locator(".opblock-summary", has_text="/sparql").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    assert page.locator(".opblock-body textarea, .opblock-body input").count() > 0
    shot(page, "docs-1400")
    page.goto(server + "ontology")
    page.wait_for_selector("#classes")
    colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert colour != "rgb(0, 0, 0)"  # pyLODE's own CSS applied
    shot(page, "ontology-1400")


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_accessibility_violation(page, server, path):
    page.goto(server + path)
    settle(page, path)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the devtools protocol: not an inline script
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)
