"""Statements x sources: the disagreement matrix and the compare page.

A row is a statement (subject, relation, object) in plain words; a column is a source, headed by
its short title; a cell holds that source's claims on the statement. Which rows are disputed, and
how, comes from the derived disagreements graph (disagreements.py), never recomputed here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.web import disagreements as dis
from termgraph.web import page_queries as queries
from termgraph.web import views
from termgraph import wording

@dataclass
class Row:
    key: tuple[str, str, str]
    subject: str
    subject_label: str
    relation: str
    object: str | None  # IRI, or None for a literal
    object_label: str
    cells: dict[str, list[views.ClaimView]] = field(default_factory=dict)
    disagreements: list[dis.Disagreement] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({d.kind for d in self.disagreements})


def rows_of(claims: list[views.ClaimView], found: list[dis.Disagreement], this: str | None = None) -> list[Row]:
    index = dis.by_claim(found)
    rows: dict[tuple, Row] = {}
    for c in claims:
        s, p, o = c.key
        if this and p in ns.SYMMETRIC and c.object_iri == this:
            s, o = o, s
        key = (s, p, o)
        row = rows.get(key)
        if row is None:
            is_iri = c.object_iri is not None
            row = rows[key] = Row(key, s, c.names.label(s), wording.relation(p).says, o if is_iri else None,
                                  c.names.label(o) if is_iri else c.object.value)
        row.cells.setdefault(c.source, []).append(c)
        for d in index.get(c.iri, []):
            if d not in row.disagreements:
                row.disagreements.append(d)
    return list(rows.values())


def columns(rows: list[Row], names: views.Names) -> list[tuple[str, str]]:
    sources = {s for r in rows for s in r.cells}
    return sorted(((s, names.label(s)) for s in sources), key=lambda s: s[1].casefold())


def matrix(store: ox.Store, cache: dict, term: str | None, kind: str | None) -> tuple[list, list[Row]]:
    names = views.names(store, cache)
    found = dis.cached(store, cache)
    claims = views.claim_rows(queries.statements(store, term), names)
    rows = rows_of(claims, found, term)
    if kind:
        rows = [r for r in rows if kind in r.kinds]
    rows.sort(key=lambda r: (not r.disagreements, -len(r.cells), names.label(r.subject).casefold(), r.relation,
                             r.object_label.casefold()))
    return columns(rows, names), rows


def between_terms(store: ox.Store, cache: dict, a: str, b: str) -> tuple[list, list[Row]]:
    names = views.names(store, cache)
    rows = rows_of(views.claim_rows(queries.statements_between(store, a, b), names),
                   dis.cached(store, cache), a)
    rows.sort(key=lambda r: (r.subject != a, r.relation, r.key))
    return columns(rows, names), rows


def between_sources(store: ox.Store, cache: dict, a: str, b: str) -> tuple[list[Row], list[Row]]:
    """(statements both sources speak to, statements only one of them does)."""
    names = views.names(store, cache)
    rows = rows_of(views.claim_rows(queries.claims_by_sources(store, [a, b]), names),
                   dis.cached(store, cache))
    rows.sort(key=lambda r: (names.label(r.subject).casefold(), r.relation, r.object_label.casefold()))
    both = [r for r in rows if a in r.cells and b in r.cells]
    return both, [r for r in rows if not (a in r.cells and b in r.cells)]
