"""The quote check says when it could not run: `validate` fails without the sources' texts (exit
2, one line naming the folder and how to point at it); `build-store` and the service warn and
/health says so; with the texts, a quote not in its text fails them all."""

from pathlib import Path

import pytest

from termgraph.graph import store as disk
from termgraph.graph import texts
from termgraph.cli import main
from termgraph.settings import Settings

from .conftest import app_client, inline_state, small_copy

TEXT_000 = "000_c3058e96d281f648.txt"
FIRST_QUOTE = 'oa:exact "generative artificial intelligence (AI)" .'
FABRICATED = 'oa:exact "LLMs are NOT a subset of foundation models" .'


@pytest.fixture
def bare_root(tmp_path, monkeypatch):
    """A small copy of the data with no source texts beside it (as in a wheel or the image)."""
    monkeypatch.delenv("TERMGRAPH_SEEDS", raising=False)
    return small_copy(tmp_path / "root")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_without_the_texts_fails_in_one_line(capsys, bare_root):
    code, out, err = run(capsys, "--root", str(bare_root), "validate")
    assert code == 2 and out == ""
    assert err == (f"termgraph: error: quotes not checked: 1 source text(s) absent ({TEXT_000}) from "
                   f"data/sources/ and {bare_root.parent / 'shared' / 'seeds'} (no such folder); point at the "
                   "folder that holds them with termgraph validate --seeds DIR or TERMGRAPH_SEEDS=DIR\n")


def test_validate_reads_the_texts_from_the_flag(capsys, bare_root, seeds):
    code, out, _ = run(capsys, "--root", str(bare_root), "validate", "--seeds", str(seeds))
    assert code == 0 and "verbatim quotes" in out


def test_validate_names_a_seeds_folder_without_the_text(capsys, bare_root, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    code, _, err = run(capsys, "--root", str(bare_root), "validate", "--seeds", str(tmp_path / "elsewhere"))
    assert code == 2 and f"from data/sources/ and {tmp_path / 'elsewhere'}; point at" in err


def test_validate_with_the_texts_from_termgraph_seeds_catches_a_fabricated_quote(capsys, bare_root, seeds, monkeypatch):
    table = bare_root / "data" / "claims" / "000.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "generative artificial intelligence (AI)", "LLMs are NOT a subset of foundation models", 1), encoding="utf-8")
    monkeypatch.setenv("TERMGRAPH_SEEDS", str(seeds))
    code, out, _ = run(capsys, "--root", str(bare_root), "validate")
    assert code == 1
    assert f"not a verbatim substring of {TEXT_000} (copy the passage exactly as the text has it): " \
           "'LLMs are NOT a subset of foundation models'" in out


def test_a_seeds_setting_is_read_from_the_environment():
    from termgraph.settings import settings_from_env

    assert settings_from_env({"TERMGRAPH_SEEDS": "/srv/seeds"}).seeds == Path("/srv/seeds")


# --- the service and build-store ---------------------------------------------------------------

def test_health_says_the_quotes_were_checked(client):
    quotes = client.get("/health").json()["quotes"]
    assert quotes["checked"] is True
    assert quotes["message"].startswith("every quote (") and quotes["message"].endswith(") checked against its source's text")


def test_health_says_when_the_quotes_were_not_checked(bare_root):
    state = inline_state(Settings(root=bare_root))
    try:
        with app_client(state) as c:
            body = c.get("/health").json()
    finally:
        state.close()
    assert body["status"] == "ok" and body["quotes"] == {
        "checked": False, "message": texts.absent_line([TEXT_000], bare_root.parent / "shared" / "seeds")}
    assert "TERMGRAPH_SEEDS" in body["quotes"]["message"] and "-v /path/to/seeds:/seeds:ro" in body["quotes"]["message"]


def test_build_store_warns_in_one_line_when_the_texts_are_absent(bare_root, tmp_path):
    said = []
    disk.build_store(Settings(root=bare_root), tmp_path / "db", progress=said.append)
    warnings = [line for line in said if line.startswith("warning:")]
    assert warnings == ["warning: " + texts.absent_line([TEXT_000], bare_root.parent / "shared" / "seeds")]


def test_a_fabricated_quote_stops_the_service(bare_root, seeds):
    """(build-store runs the same check, texts.check_store, on the store it has written.)"""
    claims = bare_root / "data" / "claims" / "000.ttl"
    assert FIRST_QUOTE in claims.read_text(encoding="utf-8")
    claims.write_text(claims.read_text(encoding="utf-8").replace(FIRST_QUOTE, FABRICATED, 1), encoding="utf-8")
    with pytest.raises(texts.QuotesNotVerbatim, match="1 quote\\(s\\) not verbatim in their source's text\n.*claim/000-001: "
                       "not a verbatim substring of 000_c3058e96d281f648.txt .*'LLMs are NOT a subset"):
        inline_state(Settings(root=bare_root, seeds=seeds))


def test_draft_reads_a_seed_text_from_termgraph_seeds(capsys, tmp_path, monkeypatch, seeds):
    """`termgraph draft` finds a seed source's text where TERMGRAPH_SEEDS points, as validate does;
    without it (and no ../shared/seeds beside the data), it names the folder it looked in."""
    root = small_copy(tmp_path / "root")
    monkeypatch.delenv("TERMGRAPH_SEEDS", raising=False)
    code, _, err = run(capsys, "--root", str(root), "draft", "000")
    assert code != 0 and "nor " + str(tmp_path / "shared" / "seeds") in err and "TERMGRAPH_SEEDS" in err
    monkeypatch.setenv("TERMGRAPH_SEEDS", str(seeds))
    code, out, _ = run(capsys, "--root", str(root), "draft", "000")
    assert code == 0 and "drafted" in out and (root / "data/claims/000.draft.csv").is_file()
