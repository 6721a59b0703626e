"""The claims table: data/claims/NNN.csv, one row per claim (the one source of truth for claims),
and its drafts (NNN.draft.csv: DRAFT_COLUMNS; NNN.entities.draft.csv: ENTITY_COLUMNS). The one
home of the tables' columns, their reader and writer, and their error (TableUnreadable).

Reading a table checks each cell and reports every problem as "FILE row N, column C: what is
wrong and how to fix it". Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from termgraph import namespaces as ns
from termgraph.graph.claims_vocab import CurieError, Vocabulary, expand, shorten
from termgraph.errors import TermgraphError

COLUMNS = ("id", "subject", "predicate", "object", "lang", "stance", "qualification",
           "quote", "prefix", "suffix", "note")
# A draft: the drafting rule, its confidence, the curator's y, and found_at: the characters
# START-END where the draft found the quote, so that a quote edited into another passage is noticed.
DRAFT_COLUMNS = COLUMNS + ("rule", "confidence", "accept", "found_at")
OPTIONAL = {"found_at"}  # a trailing column that older drafts lack: read as empty
ENTITY_COLUMNS = ("id", "kind", "label", "evidence", "rule", "accept")  # entities a draft proposes
STANCES = {"asserts": ns.TG + "Asserts", "denies": ns.TG + "Denies", "qualifies": ns.TG + "Qualifies"}
QUALIFICATIONS = {"hedged": ns.TG + "Hedged", "conditional": ns.TG + "Conditional",
                  "only-when": ns.TG + "OnlyWhen", "partial": ns.TG + "Partial"}
CLAIM_ID = re.compile(r"^(\d{3})-(\d{3,})$")
LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


class TableUnreadable(TermgraphError):
    """A claims table (or a draft) that cannot be read as a table at all (encoding, header, a row's
    cells): the same error on every path, a 400 on the web's, exit 2 on the command line's."""

    status = 400
    exit_code = 2


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def line(self) -> str:
        where = self.file + (f" row {self.row}" if self.row else "") + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Claim:
    """One row, checked and expanded: IRIs in full, the object an IRI or (literal=True) text."""

    id: str
    subject: str
    predicate: str
    object: str
    literal: bool
    lang: str
    stance: str
    qualification: str
    quote: str
    prefix: str
    suffix: str
    note: str
    file: str
    row: int

    @property
    def iri(self) -> str:
        return ns.CLAIM + self.id

    @property
    def source(self) -> str:
        return ns.SOURCE + self.id.split("-")[0]


def read_records(path: Path, display: str, columns: tuple[str, ...] = COLUMNS,
                 header_seen: list | None = None) -> list[tuple[int, list[str]]]:
    """The data rows of a table whose header is `columns`, as (spreadsheet row number, cells),
    leaving out empty rows; raises TableUnreadable. A header lacking only trailing OPTIONAL
    columns is read too; `header_seen` (a list) is given the header found."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise TableUnreadable(f"{display}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise TableUnreadable(f"{display}: byte {exc.start} is not UTF-8 (save the table as UTF-8 CSV)") from None
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    if header_seen is not None and rows:
        header_seen.append(tuple(rows[0]))
    older = rows and tuple(rows[0]) == tuple(columns)[:len(rows[0])] and set(columns[len(rows[0]):]) <= OPTIONAL
    if not rows or (tuple(rows[0]) != tuple(columns) and not older):
        found = ",".join(rows[0]) if rows else "an empty file"
        raise TableUnreadable(f"{display} row 1: the header must be exactly {','.join(columns)} (found {found})")
    return [(n, cells) for n, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]


def resource(cell: str, column: str, problems: list[tuple[str, str]]) -> str | None:
    try:
        return expand(cell.strip())
    except CurieError as exc:
        problems.append((column, str(exc)))
        return None


def check_choices(cells: dict[str, str], problems: list) -> tuple[str | None, str | None]:
    stance, qual = cells["stance"].strip(), cells["qualification"].strip()
    if stance not in STANCES:
        problems.append(("stance", f"{stance!r} is not one of {', '.join(STANCES)}"))
    if qual and qual not in QUALIFICATIONS:
        problems.append(("qualification", f"{qual!r} is not one of {', '.join(QUALIFICATIONS)} (or empty)"))
    elif stance == "qualifies" and not qual:
        problems.append(("qualification", "a qualifies claim needs one of hedged, conditional, only-when, partial"))
    elif stance in STANCES and stance != "qualifies" and qual:
        problems.append(("qualification", f"must be empty unless stance is qualifies (stance is {stance})"))
    return STANCES.get(stance), QUALIFICATIONS.get(qual, "")


def check_object(cells: dict[str, str], predicate: str | None, vocab: Vocabulary, problems: list):
    """(object, literal?, lang) for a row: text for a literal predicate, an IRI otherwise."""
    lang = cells["lang"].strip()
    if predicate is None:
        return None, False, ""
    if vocab.is_literal(predicate):
        if not cells["object"].strip():
            problems.append(("object", f"{shorten(predicate)} takes a text object; the cell is empty"))
        if lang and not LANG_TAG.match(lang):
            problems.append(("lang", f"{lang!r} is not a language tag (e.g. en, de, en-GB; empty means en)"))
        return cells["object"], True, lang or "en"
    if lang:
        problems.append(("lang", f"must be empty: {shorten(predicate)} takes a resource, not text"))
    return resource(cells["object"], "object", problems), False, ""


def check_row(cells: dict[str, str], source: str, vocab: Vocabulary) -> tuple[dict, list]:
    problems: list[tuple[str, str]] = []
    match = CLAIM_ID.match(cells["id"].strip())
    if not match or match.group(1) != source:
        problems.append(("id", f"{cells['id']!r} is not a claim id {source}-MMM (this file is source {source})"))
    subject = resource(cells["subject"], "subject", problems)
    predicate = resource(cells["predicate"], "predicate", problems)
    if predicate and not vocab.is_predicate(predicate):
        guess = vocab.predicate_suggestion(predicate)
        hint = f"; did you mean {guess}?" if guess else ""
        problems.append(("predicate", f"{cells['predicate'].strip()} is not a relation claims record{hint} "
                                      "(see the predicate table in docs/claims-authoring.md)"))
        predicate = None
    obj, literal, lang = check_object(cells, predicate, vocab, problems)
    stance, qualification = check_choices(cells, problems)
    if not cells["quote"].strip():
        problems.append(("quote", "every claim needs the verbatim quote from its source"))
    values = dict(id=cells["id"].strip(), subject=subject, predicate=predicate, object=obj, literal=literal,
                  lang=lang, stance=stance, qualification=qualification, quote=cells["quote"],
                  prefix=cells["prefix"], suffix=cells["suffix"], note=cells["note"])
    return values, problems


def read_table(path: Path, vocab: Vocabulary, display: str | None = None) -> tuple[list[Claim], list[Problem]]:
    """Every valid claim of a table, and a Problem for each bad cell (rows with one are left out)."""
    display = display or str(path)
    source = path.stem
    claims, problems, seen = [], [], {}
    for number, cells in read_records(path, display):
        if len(cells) != len(COLUMNS):
            problems.append(Problem(display, number, None, f"has {len(cells)} cells, the header {len(COLUMNS)} "
                                    "(a quote holding a comma or newline must be in double quotes)"))
            continue
        values, found = check_row(dict(zip(COLUMNS, cells)), source, vocab)
        if values["id"] in seen:
            found.append(("id", f"{values['id']} is used again (first in row {seen[values['id']]}); "
                                "give this claim the next free number"))
        seen.setdefault(values["id"], number)
        problems += [Problem(display, number, column, message) for column, message in found]
        if not found:
            claims.append(Claim(**values, file=display, row=number))
    return claims, problems


def declared_problems(claims: list[Claim], vocab: Vocabulary) -> list[Problem]:
    """A claim may only name entities the curated data or the ontology declares."""
    problems = []
    for claim in claims:
        for column, iri in (("subject", claim.subject), ("object", None if claim.literal else claim.object)):
            if iri is None or iri in vocab.declared:
                continue
            guess = vocab.suggestion(iri)
            hint = f"; did you mean {guess}?" if guess else ""
            problems.append(Problem(claim.file, claim.row, column,
                                    f"{shorten(iri)} is not declared{hint} ({vocab.where_to_declare(iri)})"))
    return problems


def write_table(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows (dicts keyed by COLUMNS) as a claims table: UTF-8, RFC 4180, \\n line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)


# --- drafts: rows as dicts, any of the three headers ---------------------------------------------

def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a table whose header must be exactly `columns`, as dicts (a draft's cells are
    checked when it is accepted: claims_table.read_table then reads the result)."""
    rows, header = [], []
    records = read_records(path, str(path), columns, header)
    present = header[0] if header else tuple(columns)
    for number, cells in records:
        if len(cells) != len(present):
            raise TableUnreadable(f"{path} row {number}: {len(cells)} cells, expected {len(present)}")
        rows.append({c: "" for c in columns} | dict(zip(present, cells)))
    return rows


def dump_rows(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def write_rows(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    """Write atomically: a reader never sees half a table."""
    text = dump_rows(rows, columns)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)
