"""In a real browser: Debian's chromium driven by Playwright. The viewer draws the graph, a source
filter hides exactly the right edges, clicking a node opens its page, a term page shows each
source's definition and quote, the query UI runs a query and shows rows, and no request leaves
the machine. Screenshots go to artefacts/ (git-ignored)."""

import json
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_live import start_server

pytestmark = pytest.mark.browser

ARTEFACTS = ROOT / "artefacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server():
    url, proc = start_server("--workers", "1")
    yield url
    proc.terminate()
    proc.wait(30)


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


@pytest.fixture
def page(browser, server):
    """A page that records every request it makes; the test fails on any that is not local."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    outside = [u for u in requests if not (u.startswith(server) or u.startswith(("data:", "blob:", "about:")))]
    context.close()
    assert outside == [], outside


def shot(pg, name):
    ARTEFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)


def graph(server):
    return json.load(urllib.request.urlopen(server + "graph.cyjs"))["elements"]


def drawn(pg):
    pg.wait_for_selector("#cy[data-ready=yes]", timeout=60_000)
    cy = pg.locator("#cy")
    return int(cy.get_attribute("data-nodes")), int(cy.get_attribute("data-edges"))


def test_viewer_draws_every_node_and_edge(page, server):
    page.goto(server + "viewer")
    elements = graph(server)
    assert drawn(page) == (len(elements["nodes"]), len(elements["edges"]))
    shot(page, "viewer")


def test_source_filter_hides_exactly_the_right_edges(page, server):
    page.goto(server + "viewer")
    drawn(page)
    page.uncheck("input.source[value='source/000']")
    expected = [e for e in graph(server)["edges"]
                if any(part.split(": ")[0] != "source/000" for part in e["data"]["bySource"].split("; "))]
    assert drawn(page)[1] == len(expected)
    shot(page, "viewer-without-000")


def test_clicking_a_node_opens_its_page(page, server):
    page.goto(server + "viewer")
    drawn(page)
    pos = page.evaluate("""() => { const n = cy.getElementById('concept/large-language-model');
        const p = n.renderedPosition(); const box = document.getElementById('cy').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y}; }""")
    with page.expect_navigation():
        page.mouse.click(pos["x"], pos["y"])
    assert page.url.endswith("/concept/large-language-model")


def test_term_page_shows_each_sources_definition_and_quote(page, server):
    page.goto(server + "concept/foundation-model")
    table = page.locator("h2:has-text('Definitions, source by source') + table")
    assert table.locator("tr").count() == 6  # a header and five sources
    assert "Foundation Models are designed to learn generalizable features" in table.inner_text()
    shot(page, "term-foundation-model")


def test_query_ui_runs_a_query_and_shows_rows(page, server):
    page.goto(server + "query")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=60_000)
    assert page.locator(".yasr table tbody tr").count() >= 3
    shot(page, "query")


def test_disagreement_view_puts_contested_rows_first(page, server):
    page.goto(server + "disagreements")
    first = page.locator("#matrix tr").nth(1)
    assert "contested" in first.inner_text()
    shot(page, "disagreements")


def test_source_page_groups_every_claim_by_what_it_is_about(page, server):
    page.goto(server + "source/000")
    headings = page.locator("h3").all_inner_texts()
    assert "generative AI" in headings and "Gato" in headings
    rows = page.locator("table tr:has(blockquote)").count()
    claims = json.load(urllib.request.urlopen(server + "sparql?query=" + urllib.parse.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?c <http://www.w3.org/ns/prov#wasDerivedFrom> "
        "<https://w3id.org/termgraph/source/000> }")))["results"]["bindings"][0]["n"]["value"]
    assert rows == int(claims)
    assert "CSET" in page.inner_text("body")  # its publisher
    shot(page, "source-000")


def test_a_graph_larger_than_the_cap_is_drawn_in_part_and_says_so(page, server):
    """At 100x our size the viewer caps what it draws; here the cap is lowered to show it."""
    page.goto(server + "viewer?cap=30")
    nodes, edges = drawn(page)
    total = len(graph(server)["nodes"])
    assert nodes == 30 < total
    assert f"Showing the 30 best-connected of {total} nodes" in page.inner_text("#status")
