"""termgraph source add: numbering, metadata, SHA-256, kept text, HTML extraction, clear refusals."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from termgraph.cli import main
from termgraph.curate.extract import SourceInputError
from termgraph.curate.sources import add_source, registered, source_text
from tests.curate_helpers import ARTICLES, project_copy, snapshot


@pytest.fixture()
def root(tmp_path, seeds):
    return project_copy(tmp_path, seeds)


def test_add_registers_the_next_source_with_its_metadata_and_hash(root):
    info = add_source(root, ARTICLES / "chatbots.txt", "Chatbots, explained", publisher="Cirrus Labs",
                      url="https://example.org/chatbots", when="2025-03-14")
    text = (ARTICLES / "chatbots.txt").read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert info.number == "015"
    assert info.identifier == f"015_{digest[:16]}.txt"
    assert (root / "data/sources" / info.identifier).read_text(encoding="utf-8") == text
    store = ox.Store()
    store.load(path=str(root / "data/curated/sources.ttl"), format=ox.RdfFormat.TURTLE)
    store.load(path=str(root / "data/curated/systems.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/>
        PREFIX tg: <https://w3id.org/termgraph/ontology#>
        SELECT ?title ?sha ?date ?url ?pubname WHERE { <https://w3id.org/termgraph/source/015> a tg:Source ;
        dcterms:title ?title ; tg:textSha256 ?sha ; dcterms:date ?date ; schema:url ?url ;
        dcterms:publisher ?pub . ?pub a schema:Organization ; schema:name ?pubname }"""))
    assert len(rows) == 1
    row = rows[0]
    assert (row["title"].value, row["title"].language) == ("Chatbots, explained", "en")
    assert row["sha"].value == digest
    assert row["date"].value == "2025-03-14" and row["date"].datatype.value.endswith("#date")
    assert row["url"].value == "https://example.org/chatbots"
    assert row["pubname"].value == "Cirrus Labs"
    assert registered(root)["015"].sha256 == digest
    # the new publisher is declared where every organisation is, once; the source only names it
    assert (root / "data/curated/systems.ttl").read_text(encoding="utf-8").count('schema:name "Cirrus Labs"') == 1
    assert "a schema:Organization" not in (root / "data/curated/sources.ttl").read_text(encoding="utf-8")


def test_a_known_publisher_is_reused_not_duplicated(root):
    organisations = (root / "data/curated/systems.ttl").read_text(encoding="utf-8")
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots", publisher="openai")
    ttl = (root / "data/curated/sources.ttl").read_text(encoding="utf-8")
    assert "dcterms:publisher org:openai" in ttl
    assert (root / "data/curated/systems.ttl").read_text(encoding="utf-8") == organisations


def test_html_is_reduced_to_text_and_the_extraction_recorded(root):
    info = add_source(root, ARTICLES / "chatbots.html", "Chatbots (web page)")
    text = (root / "data/sources" / info.identifier).read_text(encoding="utf-8")
    assert "A chatbot is a program that holds a conversation" in text
    assert "tracking" not in text and "<p>" not in text
    ttl = (root / "data/curated/sources.ttl").read_text(encoding="utf-8")
    assert "Text extracted from the HTML file chatbots.html with trafilatura" in ttl


@pytest.mark.parametrize("article, kwargs, message", [
    ("empty.txt", {}, "the article is empty"),
    ("missing.txt", {}, "cannot read the article"),
    ("chatbots.txt", {"when": "14/03/2025"}, "--date '14/03/2025': use YYYY, YYYY-MM or YYYY-MM-DD"),
    ("chatbots.txt", {"url": "example.org"}, "--url 'example.org': give an absolute http(s) URL"),
])
def test_bad_input_is_refused_and_nothing_changes(root, article, kwargs, message):
    before = snapshot(root)
    with pytest.raises(SourceInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add_source(root, ARTICLES / article, "A title", **kwargs)
    assert snapshot(root) == before


def test_non_utf8_text_is_refused(root, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 models are a kind of AI.".encode("latin-1"))
    with pytest.raises(SourceInputError, match="not UTF-8 text"):
        add_source(root, bad, "Latin-1")


def test_the_same_text_twice_is_refused(root, seeds):
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots")
    before = snapshot(root)
    with pytest.raises(SourceInputError, match="already source 015"):
        add_source(root, ARTICLES / "chatbots.txt", "Chatbots again")
    seed = sorted(seeds.glob("002_*.txt"))[0]
    with pytest.raises(SourceInputError, match="already source 002"):
        add_source(root, seed, "A seed again")
    assert snapshot(root) == before


def test_a_changed_text_is_detected_before_any_quote_check(root):
    info = add_source(root, ARTICLES / "chatbots.txt", "Chatbots")
    path = root / "data/sources" / info.identifier
    path.write_text(path.read_text(encoding="utf-8").replace("program", "programme"), encoding="utf-8")
    with pytest.raises(SourceInputError, match="the text has changed since source 015 was added"):
        source_text(root, "015")


def test_cli_source_add_prints_the_number_and_fails_cleanly(root, capsys):
    assert main(["--root", str(root), "source", "add", str(ARTICLES / "chatbots.txt"), "--title", "Chatbots"]) == 0
    assert "added source 015: Chatbots" in capsys.readouterr().out
    assert main(["--root", str(root), "source", "add", str(ARTICLES / "empty.txt"), "--title", "Empty"]) == 2
    assert capsys.readouterr().err.strip().endswith("the article is empty")


def test_a_sources_file_the_new_block_would_break_is_left_alone(root):
    ttl = root / "data/curated/sources.ttl"
    seeds_only = ttl.read_text(encoding="utf-8").split("\n\n<https://w3id.org/termgraph/")[0] + "\n"  # the five seed sources
    ttl.write_text(seeds_only.replace("@prefix schema:  <https://schema.org/> .\n", ""), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(SourceInputError, match="the new source would not parse"):
        add_source(root, ARTICLES / "chatbots.txt", "Chatbots", url="https://example.org/c")
    assert snapshot(root) == before


def test_the_same_text_with_other_spacing_is_refused_as_a_duplicate(root, tmp_path):
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots")
    before = snapshot(root)
    respaced = tmp_path / "respaced.txt"
    text = (ARTICLES / "chatbots.txt").read_text(encoding="utf-8")
    for variant in (text + "\n", "  " + text.replace("\n", "\r\n"), text.replace(" ", "  ", 3)):
        respaced.write_text(variant, encoding="utf-8", newline="")
        with pytest.raises(SourceInputError, match=r"this text \(but for its spacing\) is already source 015"):
            add_source(root, respaced, "Chatbots, respaced")
    assert snapshot(root) == before


def test_a_text_that_differs_in_a_word_is_a_new_source(root, tmp_path):
    add_source(root, ARTICLES / "chatbots.txt", "Chatbots")
    other = tmp_path / "other.txt"
    other.write_text((ARTICLES / "chatbots.txt").read_text(encoding="utf-8").replace("program", "programme", 1),
                     encoding="utf-8")
    assert add_source(root, other, "Chatbots, edited").number == "016"


def test_an_html_page_with_only_a_few_words_of_main_text_is_refused(root, tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<!doctype html><html><head><title>Site</title></head><body><nav>Menu</nav>"
                    "<main><p>Home about contact menu.</p></main></body></html>", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(SourceInputError, match=r"menu\.html: the main text found in this HTML page is only \d word"):
        add_source(root, page, "A menu")
    assert snapshot(root) == before


@pytest.mark.parametrize("data, message", [
    ("\ufeffFoundation models are large.".encode("utf-16-le"),
     "UTF-16LE text (recognised with a byte-order mark), not UTF-8; convert it, e.g. iconv -f UTF-16LE -t UTF-8"),
    ("\ufeffFoundation models are large.".encode("utf-16-be"),
     "UTF-16BE text (recognised with a byte-order mark), not UTF-8; convert it, e.g. iconv -f UTF-16BE -t UTF-8"),
    ("Foundation models are large models.".encode("utf-16-le"),
     "UTF-16LE text (recognised by its zero bytes), not UTF-8"),
    ("\ufeffModels.".encode("utf-32-le"), "UTF-32LE text (recognised with a byte-order mark)"),
    (bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0x01, 0x02]),
     "a binary file, not text"),
    ("Café models are a kind of AI.".encode("latin-1"),
     "not UTF-8 text (byte 3); if it is Latin-1 or Windows-1252, convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8"),
])
def test_a_file_that_is_not_utf8_gets_the_conversion_that_fits_it(root, tmp_path, data, message):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    before = snapshot(root)
    with pytest.raises(SourceInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add_source(root, path, "Not UTF-8")
    assert snapshot(root) == before
