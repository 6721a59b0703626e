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


PAGES = ["/concept/foundation-model", "/concept/generative-ai", "/source/002", "/claim/002-015",
         "/compare?a=concept/generative-ai&b=concept/foundation-model", "/compare?a=source/002&b=source/004"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_shows_mojibake(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200
    text = re.sub(r"<[^>]+>", " ", r.text)
    assert not holds_mojibake(text) and "ā”" not in text and "â€" not in text


def test_the_diagram_quote_is_shown_elided_with_a_note_and_kept_verbatim_in_rdf(client):
    page = client.get("/claim/002-015", headers={"Accept": "text/html"}).text
    assert f"│  {ELLIPSIS}  │" in page and "shown as …; the data keeps the quote verbatim" in page
    turtle = client.get("/claim/002-015", headers={"Accept": "application/n-triples"}).text
    assert "ā”Œā”€" in turtle
