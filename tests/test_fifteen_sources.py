"""Sources 005–014 are the ten articles of ../shared/articles/, in order (01 → 005 … 10 → 014),
each registered with its text, a short title, and — where the stored text is only the opening
of a longer page — a record and a page that say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from termgraph import namespaces as ns

from .test_pages import HTML, parse

OPENING = "Only the opening 2,000 bytes of the page were captured"


def articles(seeds: Path) -> list[Path]:
    folder = seeds.parent / "articles"
    found = sorted(folder.glob("[0-9][0-9]_*.txt"))
    assert len(found) == 10, f"the ten articles are missing from {folder}: this check cannot run"
    return found


def record(data, number: str, prop: str) -> list[str]:
    rows = data.store.query(f"SELECT DISTINCT ?v WHERE {{ <{ns.SOURCE}{number}> <{prop}> ?v }}",
                            use_default_graph_as_union=True)
    return [r["v"].value for r in rows]


def test_sources_005_to_014_hold_the_ten_articles_in_order(data, root, seeds):
    for n, path in enumerate(articles(seeds), start=5):
        number = f"{n:03d}"
        [identifier] = record(data, number, ns.DCTERMS + "identifier")
        text = path.read_text(encoding="utf-8").split("\n", 3)[3]
        assert (root / "data/sources" / identifier).read_text(encoding="utf-8") == text, (number, path.name)


def test_each_partial_capture_says_so_in_its_record(data, seeds):
    partial = set()
    for n, path in enumerate(articles(seeds), start=5):
        capture = path.read_text(encoding="utf-8").split("\n", 3)[2]
        assert capture.startswith("Capture: ")
        if capture.startswith("Capture: PARTIAL"):
            partial.add(f"{n:03d}")
    said = {f"{n:03d}" for n in range(15)
            if any(note.startswith(OPENING) for note in record(data, f"{n:03d}", ns.SKOS + "scopeNote"))}
    assert said == partial == {"005", "007", "008", "009", "010", "011", "013"}


def test_every_source_has_a_short_title_that_fits_a_table_head(data):
    for n in range(15):
        [short] = record(data, f"{n:03d}", ns.TG + "shortTitle")
        assert 0 < len(short) <= 30, (n, short)


@pytest.mark.parametrize("number, shown", [("005", True), ("011", True), ("006", False), ("000", False)])
def test_the_source_page_says_what_the_text_holds(client, number, shown):
    text = parse(client.get(f"/source/{number}", headers=HTML).text).visible
    assert (f"What the text holds: {OPENING}" in text) is shown
