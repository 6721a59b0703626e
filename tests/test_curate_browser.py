"""The review page in a real browser (Debian's chromium, Playwright) against `termgraph serve
--curate`: a click accepts a row, and selecting a passage of the article creates a claim whose
quote is exactly that passage; no request leaves the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from termgraph.graph import claims_table as table
from termgraph.curate.draft import draft_paths, run_draft
from termgraph.curate.sources import add_source
from tests.curate_helpers import ARTICLES, project_copy
from tests.test_browser import CHROMIUM
from tests.test_live import free_port, wait_until_up

pytestmark = [pytest.mark.browser, pytest.mark.live]
PASSAGE = "chatbots often have billions of parameters"


@pytest.fixture(scope="module")
def served(tmp_path_factory, seeds):
    root = project_copy(tmp_path_factory.mktemp("curate"), seeds)
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots, explained")
    run_draft(root, "015")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "--root", str(root), "serve", "--curate",
                             "--workers", "1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc)
    yield url, root
    proc.terminate()
    proc.wait(30)


@pytest.fixture(scope="module")
def page(served):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "scripts/test.sh installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        pg = browser.new_page()
        requests = []
        pg.on("request", lambda r: requests.append(r.url))
        yield pg
        browser.close()
    assert [u for u in requests if not u.startswith(served[0])] == []


def test_accept_a_row_with_a_click(served, page):
    url, root = served
    page.goto(url + "curate/015")
    first = table.read_rows(draft_paths(root, "015")[0], table.DRAFT_COLUMNS)[0]
    row = page.locator(f'tr[data-id="{first["id"]}"]')
    row.locator('button[data-accept="y"]').click()
    row.locator(".status").filter(has_text="saved").wait_for()
    after = table.read_rows(draft_paths(root, "015")[0], table.DRAFT_COLUMNS)[0]
    assert after["accept"] == "y"


def test_a_selected_passage_becomes_a_claim(served, page):
    url, root = served
    page.goto(url + "curate/015")
    page.evaluate("""passage => {
        const article = document.getElementById('article');
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && !node.data.includes(passage)) {}
        const range = document.createRange();
        const at = node.data.indexOf(passage);
        range.setStart(node, at); range.setEnd(node, at + passage.length);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""", PASSAGE)
    form = page.locator("#new-claim")
    form.wait_for(state="visible")
    form.locator('input[name="subject"]').fill("concept:chatbot")
    form.locator('input[name="predicate"]').fill("tg:hasCharacteristic")
    form.locator('input[name="object"]').fill("billions of parameters")
    form.locator('select[name="stance"]').select_option("qualifies")
    form.locator('select[name="qualification"]').select_option("hedged")
    form.locator('button[type="submit"]').click()
    form.locator(".status").filter(has_text="added").wait_for()
    last = table.read_rows(draft_paths(root, "015")[0], table.DRAFT_COLUMNS)[-1]
    assert (last["quote"], last["subject"], last["stance"], last["rule"]) == (
        PASSAGE, "concept:chatbot", "qualifies", "curator")
