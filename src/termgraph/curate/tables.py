"""Comparison tables. Either the header names one term per column and the first cell of each row
names an attribute ("Definition", "Examples", "Architecture", "Training objective"), or the other
way round (terms down the first column, attributes across the header). Each cell then says that
attribute of its term: a definition (the cell's text), examples (each name in it is an rdf:type of
the term), an architecture or a training objective (each term named in it)."""

from __future__ import annotations

import re
from itertools import groupby

from termgraph.curate.gazetteer import Mention
from termgraph.curate.masking import mask
from termgraph.curate.patterns import Found, is_a
from termgraph.curate.segment import Segment

ATTRIBUTES = [
    (re.compile(r"(?:definition|meaning|what\s+it\s+is|what\s+is\s+it|description)", re.I), "definition"),
    (re.compile(r"(?:(?:some|notable|popular|typical|common|well-known)\s+)?(?:examples?|instances|e\.g\.?|"
                r"(?:notable|popular|well-known)\s+(?:models|systems|tools))", re.I), "examples"),
    (re.compile(r"(?:(?:model|underlying|typical)\s+)?architectures?", re.I), "architecture"),
    (re.compile(r"(?:makers?|developers?|(?:developed|made|built|released)\s+by|company|companies|organi[sz]ations?|"
                r"vendors?|creators?|providers?|labs?)", re.I), "maker"),
    (re.compile(r"(?:training\s+(?:objectives?|methods?|approach(?:es)?|paradigms?)|learning\s+(?:approach|paradigm))", re.I), "training"),
]
# A definition's genus: "A type of AI model …", "An AI system that …" (the kind the term is a sort of).
GENUS = re.compile(r"(?:(?:a|an|the|one)\s+)?(?:(?:type|kind|form|subset|class|category|sort)\s+of\s+)?"
                   r"(?:(?!of\b|for\b|that\b)[\w-]+\s+){0,2}?⟦(?P<y>\d+)⟧", re.I)
PREDICATES = {"architecture": "tg:architecture", "training": "tg:trainingObjective"}


def rows(segments: list[Segment]) -> list[list[list[Segment]]]:
    """Tables as lists of rows of cells: runs of lines made only of cells (ruler lines, which
    yield no segment, do not break a run)."""
    tables, current = [], []
    for _, group in groupby(segments, key=lambda s: s.block):
        line = list(group)
        if all(s.kind == "cell" for s in line) and len(line) > 1:
            current.append(line)
            continue
        if len(current) > 1:
            tables.append(current)
        current = []
    if len(current) > 1:
        tables.append(current)
    return tables


def term_of(cell: Segment, mentions: list[Mention]) -> Mention | None:
    inside = [m for m in mentions if cell.start <= m.start and m.end <= cell.end]
    if inside and len({m.iri for m in inside}) == 1 and inside[0].kind == "concept":
        return inside[0]
    return None


def attribute_of(text: str, cell: Segment) -> str | None:
    words = text[cell.start:cell.end].strip().rstrip(":").strip()
    return next((kind for regex, kind in ATTRIBUTES if regex.fullmatch(words)), None)


def cells_by_term(text: str, table: list[list[Segment]], mentions: list[Mention]):
    """(term, attribute, cell) for every cell the table's layout explains."""
    header = table[0]
    across = {c: t for c, cell in enumerate(header) if c and (t := term_of(cell, mentions))}
    for row in table[1:]:
        attribute = attribute_of(text, row[0])
        for c, cell in enumerate(row):
            if attribute and c in across:
                yield across[c], attribute, cell
    attributes = {c: a for c, cell in enumerate(header) if c and (a := attribute_of(text, cell))}
    for row in table[1:]:
        term = term_of(row[0], mentions)
        for c, cell in enumerate(row):
            if term and c in attributes:
                yield term, attributes[c], cell


def makers(text: str, table: list[list[Segment]], mentions: list[Mention]) -> list[tuple[Found, int, int]]:
    """A "Maker" / "Developer" column: the row's system (its first cell) was made by the organisation named."""
    header, out = table[0], []
    columns = [c for c, cell in enumerate(header) if c and attribute_of(text, cell) == "maker"]
    for row in table[1:]:
        names = mask(text, row[0].start, row[0].end, mentions, listed=True).mentions if row else []
        systems = [m for m in names if m.kind in ("system", "new")]
        for c in columns:
            if len(systems) != 1 or c >= len(row):
                continue
            for org in mask(text, row[c].start, row[c].end, mentions, listed=True).mentions:
                if org.kind in ("org", "new"):
                    out.append((Found(systems[0], "schema:creator", org, "asserts", "", "table-maker", 0.7),
                                row[0].start, row[c].end))
    return out


def table_rules(text: str, segments: list[Segment], mentions: list[Mention]) -> list[tuple[Found, int, int]]:
    out = []
    for table in rows(segments):
        for term, attribute, cell in cells_by_term(text, table, mentions):
            if attribute != "maker":
                out += [(f, cell.start, cell.end) for f in cell_claims(text, term, attribute, cell, mentions)]
        out += makers(text, table, mentions)
    return out


def cell_claims(text: str, term: Mention, attribute: str, cell: Segment, mentions: list[Mention]) -> list[Found]:
    if attribute == "definition":
        body = text[cell.start:cell.end].strip().rstrip(".")
        m = mask(text, cell.start, cell.end, mentions)
        genus = GENUS.match(m.text)
        kinds = is_a(term, m.mention(genus["y"]), "", "", "table-definition", 0.7) if genus else []
        return kinds + ([Found(term, "skos:definition", body, "asserts", "", "table-definition", 0.7)] if body else [])
    named = mask(text, cell.start, cell.end, mentions).mentions
    if attribute == "examples":
        return [f for x in named if x.kind in ("system", "new") for f in is_a(x, term, "", "", "table-examples", 0.7)]
    return [Found(term, PREDICATES[attribute], x, "asserts", "", f"table-{attribute}", 0.7)
            for x in named if x.kind == "concept" and x.iri != term.iri]
