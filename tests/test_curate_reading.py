"""The drafter's reading of unseen articles: sentences, document structure (headings, lists,
label lines, tables), new typed terms, definitions, coordination and quoting. Every text here is
made up for the test."""

from __future__ import annotations

import pytest

from termgraph.curate.draft import find_all, rows_for
from termgraph.curate.project import load_project
from termgraph.curate.segment import segment
from tests.curate_helpers import ROOT


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def rows(project, text: str) -> list[dict]:
    return rows_for(find_all(project, text), text, "test.txt", "999")


def claims(project, text: str) -> set[tuple]:
    return {(r["subject"], r["predicate"], r["object"], r["stance"]) for r in rows(project, text)}


def test_sentences_end_at_stops_but_not_after_abbreviations_or_initials():
    text = ("Tools (e.g. Foo, Bar, etc.) are shown. J. Smith wrote it! Did he? “Yes.” (Then a note.) "
            "Version 3.5 is out.\n")
    got = [s.text(text) for s in segment(text)]
    assert got == ["Tools (e.g. Foo, Bar, etc.) are shown.", "J. Smith wrote it!", "Did he?", "“Yes.”",
                   "(Then a note.)", "Version 3.5 is out."]
