"""Retired claim numbers: data/claims/retired.csv lists every claim number that was once published
and then deleted, so that none is used again (a claim's IRI names one statement for ever).

Columns: id (NNN-MMM), retired (the date, YYYY-MM-DD), reason (one line). `termgraph validate`
refuses a claims table that uses a retired number, and `termgraph draft --accept` numbers new
claims after the highest number ever used, retired ones included.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from termgraph.graph.claims_table import CLAIM_ID, Claim, Problem

FILE = "data/claims/retired.csv"
COLUMNS = ("id", "retired", "reason")


def read(root: Path) -> tuple[dict[str, int], list[Problem]]:
    """{retired id: its row}, and the problems of the list itself; no file is an empty list."""
    path = root / FILE
    if not path.is_file():
        return {}, []
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    except (UnicodeDecodeError, csv.Error) as exc:
        return {}, [Problem(FILE, None, None, f"cannot be read as UTF-8 CSV ({exc}); save it as CSV UTF-8")]
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        return {}, [Problem(FILE, 1, None, f"the header must be {','.join(COLUMNS)}")]
    found, problems = {}, []
    for n, cells in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in cells] + [""] * (len(COLUMNS) - len(cells))
        cid, when, reason = cells[:3]
        if not CLAIM_ID.match(cid):
            problems.append(Problem(FILE, n, "id", f"{cid!r} is not a claim id (NNN-MMM)"))
            continue
        if cid in found:
            problems.append(Problem(FILE, n, "id", f"{cid} is listed twice (first in row {found[cid]})"))
        if not valid_date(when):
            problems.append(Problem(FILE, n, "retired", f"{when!r} is not a date (YYYY-MM-DD)"))
        if not reason:
            problems.append(Problem(FILE, n, "reason", "say in a few words why the claim was retired"))
        found.setdefault(cid, n)
    return found, problems


def valid_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def problems(root: Path, claims: list[Claim]) -> list[Problem]:
    """The list's own problems, and every claim that uses a retired number."""
    retired, found = read(root)
    for claim in claims:
        if claim.id in retired:
            found.append(Problem(claim.file, claim.row, "id", f"{claim.id} is a retired number ({FILE} row "
                                 f"{retired[claim.id]}): numbers are never reused; give the claim the next "
                                 "number after the highest ever used"))
    return found


def reason(root: Path, claim_id: str) -> str | None:
    """'retired on 2026-12-07: …' for a retired claim number, else None."""
    path = root / FILE
    if not path.is_file():
        return None
    for cells in csv.reader(path.read_text(encoding="utf-8").splitlines()[1:]):
        if cells and cells[0].strip() == claim_id:
            return f"retired on {cells[1].strip()}: {cells[2].strip()}" if len(cells) >= 3 else "retired"
    return None


def highest(root: Path, number: str) -> int:
    """The highest claim number of source NNN that was ever retired (0 if none)."""
    retired, _ = read(root)
    return max((int(cid.split("-")[1]) for cid in retired if cid.startswith(number + "-")), default=0)
