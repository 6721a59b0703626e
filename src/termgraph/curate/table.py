"""Reading and writing claims tables (CONTRACTS.md section A) with the csv module.

`NNN.csv` has exactly COLUMNS; a draft `NNN.draft.csv` has DRAFT_COLUMNS (the same plus rule,
confidence, accept, and found_at: the characters START-END where the draft found the quote, so
that a quote edited into another passage is noticed); `NNN.entities.draft.csv` has ENTITY_COLUMNS.
A draft written before found_at existed is still read (its found_at empty).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from termgraph.errors import TermgraphError

COLUMNS = ["id", "subject", "predicate", "object", "lang", "stance", "qualification",
           "quote", "prefix", "suffix", "note"]
DRAFT_COLUMNS = COLUMNS + ["rule", "confidence", "accept", "found_at"]
OPTIONAL = {"found_at"}  # a trailing column that older drafts lack
ENTITY_COLUMNS = ["id", "kind", "label", "evidence", "rule", "accept"]


class TableError(TermgraphError):
    """A claims table that cannot be read: names the file, row and column."""

    status = 400
    exit_code = 2


def read_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """The rows of a table whose header must be exactly `columns`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TableError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    missing = [c for c in columns if c not in (header or [])]
    if header and missing and set(missing) <= OPTIONAL and header == columns[:len(header)]:
        columns = header  # an older draft: the optional columns read as empty
    if header != columns:
        raise TableError(f"{path} row 1: the header must be exactly {','.join(columns)} (found {header})")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if len(cells) != len(columns):
            raise TableError(f"{path} row {number}: {len(cells)} cells, expected {len(columns)}")
        rows.append({c: "" for c in missing} | dict(zip(columns, cells)))
    return rows


def dump_rows(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def write_rows(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    """Write atomically: a reader never sees half a table."""
    text = dump_rows(rows, columns)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)
