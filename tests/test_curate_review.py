"""The review page (serve --curate): highlighted quotes, accept/reject/edit, claims from a selection,
loopback only; and the CLI refusing --curate on a non-loopback host."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from termgraph.cli import main
from termgraph.graph import claims_table as table
from termgraph.curate.draft import draft_paths
from termgraph.errors import TermgraphError
from termgraph.settings import Settings
from termgraph.web.app import termgraph_error
from termgraph.web.routes import curate
from tests.curate_helpers import drafted_copy


LOCAL = "http://127.0.0.1:8000"  # the review page answers to loopback Host names only


def review_app(project) -> FastAPI:
    """The curate router as create_app mounts it, over a state holding only the settings it reads."""
    app = FastAPI()
    app.state.termgraph = SimpleNamespace(settings=Settings(root=project, curate=True))
    app.add_exception_handler(TermgraphError, termgraph_error)
    app.include_router(curate.router)
    app.mount("/static", StaticFiles(packages=[("termgraph.web", "static")]), name="static")
    return app


@pytest.fixture()
def project(tmp_path, seeds):
    return drafted_copy(tmp_path, seeds, "Chatbots, explained")


def rows(project):
    return table.read_rows(draft_paths(project, "015")[0], table.DRAFT_COLUMNS)


def test_page_shows_the_article_with_each_claim_highlighted(project):
    client = TestClient(review_app(project), base_url=LOCAL)
    assert "015 · Chatbots, explained" in client.get("/curate").text
    page = client.get("/curate/015")
    assert page.status_code == 200
    first = rows(project)[0]
    assert f'<mark data-rows="{first["id"]}' in page.text
    assert "A chatbot is a program that holds a conversation" in page.text
    assert client.get("/static/curate/curate.js").status_code == 200


def test_accept_reject_and_edit_write_back_to_the_draft(project):
    client = TestClient(review_app(project), base_url=LOCAL)
    first, second = rows(project)[:2]
    assert client.post(f"/curate/015/rows/{first['id']}", json={"accept": "y"}).json()["accept"] == "y"
    r = client.post(f"/curate/015/rows/{second['id']}", json={"accept": "y", "stance": "qualifies", "qualification": "hedged"})
    assert r.status_code == 200
    after = {row["id"]: row for row in rows(project)}
    assert after[first["id"]]["accept"] == "y"
    assert (after[second["id"]]["stance"], after[second["id"]]["qualification"]) == ("qualifies", "hedged")
    bad = client.post(f"/curate/015/rows/{first['id']}", json={"stance": "assert"})
    assert bad.status_code == 400 and "'assert' is not one of" in bad.json()["error"]["message"]
    assert client.post("/curate/015/rows/015-d999", json={"accept": "y"}).status_code == 404


def test_a_selected_passage_becomes_a_claim_with_a_verbatim_quote(project):
    client = TestClient(review_app(project), base_url=LOCAL)
    passage = "Scale — chatbots often have billions of parameters"
    text = next((project / "data/sources").glob("015_*.txt")).read_text(encoding="utf-8")
    r = client.post("/curate/015/rows", json={"quote": passage, "start": text.index(passage) + 3,
                                              "subject": "concept:chatbot", "predicate": "tg:hasCharacteristic",
                                              "object": "billions of parameters", "stance": "qualifies",
                                              "qualification": "hedged"})
    assert r.status_code == 200, r.text
    row = rows(project)[-1]
    assert (row["quote"], row["rule"], row["subject"]) == (passage, "curator", "concept:chatbot")
    missing = client.post("/curate/015/rows", json={"quote": "words the article never says"})
    assert missing.status_code == 400 and "not in the article text" in missing.json()["error"]["message"]


def test_an_unreadable_draft_is_a_400_with_the_one_line_error(project):
    path = draft_paths(project, "005")[0]
    path.write_text("id;subject\n", encoding="utf-8")
    r = TestClient(review_app(project), base_url=LOCAL).get("/curate/005/rows")
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (f"{path} row 1: the header must be exactly "
                                            f"{','.join(table.DRAFT_COLUMNS)} (found id;subject)")


def test_other_hosts_are_refused(project):
    client = TestClient(review_app(project), base_url=LOCAL, client=("203.0.113.9", 40000))
    assert client.get("/curate/015").status_code == 403


def test_other_web_sites_and_rebound_names_are_refused(project):
    client = TestClient(review_app(project), base_url=LOCAL)
    first = rows(project)[0]["id"]
    posted = client.post(f"/curate/015/rows/{first}", json={"accept": "y"}, headers={"Origin": "https://evil.example"})
    assert posted.status_code == 403 and "not from https://evil.example" in posted.json()["error"]["message"]
    assert client.get("/curate/015", headers={"Host": "evil.example"}).status_code == 403
    own = client.post(f"/curate/015/rows/{first}", json={"accept": "y"}, headers={"Origin": "http://127.0.0.1:8000"})
    assert own.status_code == 200
    assert rows(project)[0]["accept"] == "y"


def test_serve_refuses_curate_on_a_non_loopback_host(project, capsys):
    assert main(["--root", str(project), "serve", "--curate", "--host", "0.0.0.0"]) == 2
    assert "serve it on a loopback host" in capsys.readouterr().err


def test_proposed_entities_are_accepted_on_the_page(project):
    client = TestClient(review_app(project), base_url=LOCAL)
    assert "system:nimbus-chat" in client.get("/curate/015").text
    r = client.post("/curate/015/entities/system:nimbus-chat", json={"accept": "y", "label": "Nimbus Chat"})
    assert r.status_code == 200 and r.json()["accept"] == "y"
    assert client.post("/curate/015/entities/system:nimbus-chat", json={"kind": "concept"}).status_code == 400
    got = {e["id"]: e["accept"] for e in table.read_rows(draft_paths(project, "015")[1], table.ENTITY_COLUMNS)}
    assert got["system:nimbus-chat"] == "y"


def test_the_app_serves_the_review_page_only_when_curate_is_on(service_state, project):
    from dataclasses import replace

    from termgraph.web.app import create_app

    assert TestClient(create_app(service_state), base_url=LOCAL).get("/curate").status_code == 404
    on = replace(service_state, settings=service_state.settings.with_(root=project, curate=True))
    assert TestClient(create_app(on), base_url=LOCAL).get("/curate/015").status_code == 200
