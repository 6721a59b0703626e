"""Quotes are shown with mis-decoded characters (mojibake) repaired, and kept verbatim in the data."""

import re

import pytest

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

from termgraph.web.readable import ELLIPSIS, Shown, holds_mojibake, shown

BOX = "┌───┐".encode("utf-8").decode("sloppy-windows-1252")  # UTF-8 read as Windows-1252: "â”Œâ”€…"
TWICE = BOX.replace("â", "ā")  # its "â" then mis-read again, as source 002's text holds it


@pytest.mark.parametrize("verbatim,expected", [
    ("OpenAI’s GPT-4, a naïve café — “quoted”", Shown("OpenAI’s GPT-4, a naïve café — “quoted”", None)),
    ("OpenAIâ€™s GPT-4", Shown("OpenAI’s GPT-4", "repaired")),
    (BOX + "\n│ Foundation Models │", Shown("┌───┐\n│ Foundation Models │", "repaired")),
    ("Models\n" + TWICE + "\n│  " + TWICE + "  │\nthe end", Shown("Models\n…\n│  …  │\nthe end", "elided")),
])
def test_a_quote_is_shown_repaired_and_says_how(verbatim, expected):
    assert shown(verbatim) == expected


def test_what_is_shown_holds_no_mojibake():
    for text in ("OpenAIâ€™s", BOX, TWICE, "cafÃ©"):
        assert holds_mojibake(text) and not holds_mojibake(shown(text).text)


PAGES = ["/concept/foundation-model", "/concept/generative-ai", "/source/002", "/claim/002-043",
         "/compare?a=concept/generative-ai&b=concept/foundation-model", "/compare?a=source/002&b=source/004"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_shows_mojibake(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200
    text = re.sub(r"<[^>]+>", " ", r.text)
    assert not holds_mojibake(text) and "ā”" not in text and "â€" not in text


def test_the_retired_diagram_claim_is_gone_with_its_reason(client):
    """002-015 quoted 002's mis-decoded Venn diagram; it was retired for the sentence quote 002-016, and
    its IRI answers 410 Gone with the reason (a retired number is never reused), in HTML and RDF."""
    for accept in ("text/html", "application/n-triples"):
        r = client.get("/claim/002-015", headers={"Accept": accept})
        assert r.status_code == 410 and "claim 002-015 was retired on 2026-12-07" in r.text
        assert "002-016" in r.text
    assert client.get("/claim/002-999", headers={"Accept": "text/html"}).status_code == 404
