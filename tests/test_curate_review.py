"""The review page (serve --curate): highlighted quotes, accept/reject/edit, claims from a selection,
loopback only; and the CLI refusing --curate on a non-loopback host."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from termgraph.cli import main
from termgraph.curate import table
from termgraph.curate.draft import draft_paths, run_draft
from termgraph.curate.sources import add_source
from termgraph.errors import TermgraphError
from termgraph.settings import Settings
from termgraph.web.app import termgraph_error
from termgraph.web.routes import curate
from tests.curate_helpers import ARTICLES, project_copy


def review_app(root) -> FastAPI:
    """The curate router as create_app mounts it, over a state holding only the settings it reads."""
    app = FastAPI()
    app.state.termgraph = SimpleNamespace(settings=Settings(root=root, curate=True))
    app.add_exception_handler(TermgraphError, termgraph_error)
    app.include_router(curate.router)
    app.mount("/static", StaticFiles(packages=[("termgraph.web", "static")]), name="static")
    return app


@pytest.fixture()
def root(tmp_path, seeds):
    root = project_copy(tmp_path, seeds)
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots, explained")
    run_draft(root, "005")
    return root


def rows(root):
    return table.read_rows(draft_paths(root, "005")[0], table.DRAFT_COLUMNS)


def test_page_shows_the_article_with_each_claim_highlighted(root):
    client = TestClient(review_app(root))
    assert "005 · Chatbots, explained" in client.get("/curate").text
    page = client.get("/curate/005")
    assert page.status_code == 200
    first = rows(root)[0]
    assert f'<mark data-rows="{first["id"]}' in page.text
    assert "A chatbot is a program that holds a conversation" in page.text
    assert client.get("/static/curate/curate.js").status_code == 200


def test_accept_reject_and_edit_write_back_to_the_draft(root):
    client = TestClient(review_app(root))
    first, second = rows(root)[:2]
    assert client.post(f"/curate/005/rows/{first['id']}", json={"accept": "y"}).json()["accept"] == "y"
    r = client.post(f"/curate/005/rows/{second['id']}", json={"accept": "y", "stance": "qualifies", "qualification": "hedged"})
    assert r.status_code == 200
    after = {row["id"]: row for row in rows(root)}
    assert after[first["id"]]["accept"] == "y"
    assert (after[second["id"]]["stance"], after[second["id"]]["qualification"]) == ("qualifies", "hedged")
    bad = client.post(f"/curate/005/rows/{first['id']}", json={"stance": "assert"})
    assert bad.status_code == 400 and "'assert' is not one of" in bad.json()["error"]["message"]
    assert client.post("/curate/005/rows/005-d999", json={"accept": "y"}).status_code == 404


def test_a_selected_passage_becomes_a_claim_with_a_verbatim_quote(root):
    client = TestClient(review_app(root))
    passage = "Scale — chatbots often have billions of parameters"
    text = next((root / "data/sources").glob("005_*.txt")).read_text(encoding="utf-8")
    r = client.post("/curate/005/rows", json={"quote": passage, "start": text.index(passage) + 3,
                                              "subject": "concept:chatbot", "predicate": "tg:hasCharacteristic",
                                              "object": "billions of parameters", "stance": "qualifies",
                                              "qualification": "hedged"})
    assert r.status_code == 200, r.text
    row = rows(root)[-1]
    assert (row["quote"], row["rule"], row["subject"]) == (passage, "curator", "concept:chatbot")
    missing = client.post("/curate/005/rows", json={"quote": "words the article never says"})
    assert missing.status_code == 400 and "not in the article text" in missing.json()["error"]["message"]


def test_other_hosts_are_refused(root):
    client = TestClient(review_app(root), client=("203.0.113.9", 40000))
    assert client.get("/curate/005").status_code == 403


def test_serve_refuses_curate_on_a_non_loopback_host(root, capsys):
    assert main(["--root", str(root), "serve", "--curate", "--host", "0.0.0.0"]) == 2
    assert "serve it on a loopback host" in capsys.readouterr().err
