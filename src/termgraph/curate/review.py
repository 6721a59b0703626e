"""The review page's operations on a draft: highlight, edit, accept/reject, and add a claim from
a selected passage (whose quote is the text itself, so verbatim by construction)."""

from __future__ import annotations

from pathlib import Path

from termgraph.graph.quotes import Quote, problem
from termgraph.graph import claims_table as table
from termgraph.curate.accept import AcceptRefused, check_stance
from termgraph.curate.draft import anchor, draft_paths
from termgraph.curate.extract import SourceInputError
from termgraph.curate.sources import source_text
from termgraph.errors import NotFound

EDITABLE = ("subject", "predicate", "object", "lang", "stance", "qualification", "note", "accept")


def load(root: Path, number: str) -> tuple[str, list[dict[str, str]]]:
    if not number.isdigit() or len(number) != 3:
        raise NotFound(f"no source {number!r}: source numbers have three digits")
    try:
        _, text = source_text(root, number)
    except SourceInputError as exc:
        raise NotFound(str(exc)) from None
    path, _ = draft_paths(root, number)
    if not path.is_file():
        raise NotFound(f"no draft for source {number}: run termgraph draft {number}")
    return text, table.read_rows(path, table.DRAFT_COLUMNS)


def locate(text: str, row: dict[str, str]) -> tuple[int, int] | None:
    at = text.find(row["prefix"] + row["quote"] + row["suffix"])
    if at < 0 or not row["quote"]:
        return None
    start = at + len(row["prefix"])
    return start, start + len(row["quote"])


def pieces(text: str, rows: list[dict[str, str]]) -> list[tuple[str, list[str]]]:
    """The article cut at every quote boundary: (text, ids of the rows whose quote covers it)."""
    spans = [(span, row["id"]) for row in rows if (span := locate(text, row))]
    cuts = sorted({0, len(text)} | {p for (s, e), _ in spans for p in (s, e)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        out.append((text[a:b], [rid for (s, e), rid in spans if s <= a and b <= e]))
    return out


def save(root: Path, number: str, rows: list[dict[str, str]]) -> None:
    path, _ = draft_paths(root, number)
    table.write_rows(path, rows, table.DRAFT_COLUMNS)


class ReviewError(AcceptRefused):
    status = 400


def update(root: Path, number: str, row_id: str, changes: dict[str, str]) -> dict[str, str]:
    text, rows = load(root, number)
    row = next((r for r in rows if r["id"] == row_id), None)
    if row is None:
        raise NotFound(f"no row {row_id} in the draft of source {number}")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ReviewError(f"fields {sorted(unknown)} cannot be edited here (editable: {', '.join(EDITABLE)})")
    row.update({k: str(v) for k, v in changes.items()})
    problems = check_stance(row, f"row {row_id}")
    if problems:
        raise ReviewError("; ".join(problems))
    save(root, number, rows)
    return row


def place(text: str, quote: str, near: int) -> tuple[int, int]:
    """The occurrence of the selected passage nearest to where the browser saw it (browsers count
    UTF-16 units, so their offset is a hint, the passage itself is the truth)."""
    if not quote.strip():
        raise ReviewError("select a passage of the article first")
    hits, at = [], text.find(quote)
    while at >= 0:
        hits.append(at)
        at = text.find(quote, at + 1)
    if not hits:
        raise ReviewError("the selected passage is not in the article text (select within the article only)")
    start = min(hits, key=lambda h: abs(h - near))
    return start, start + len(quote)


def add_from_selection(root: Path, number: str, quote: str, near: int, fields: dict[str, str]) -> dict[str, str]:
    text, rows = load(root, number)
    start, end = place(text, quote, near)
    prefix, suffix = anchor(text, start, end)
    used = [int(r["id"].rsplit("d", 1)[-1]) for r in rows if r["id"].rsplit("d", 1)[-1].isdigit()]
    row = {c: "" for c in table.DRAFT_COLUMNS}
    row.update({k: str(v) for k, v in fields.items() if k in EDITABLE})
    row.update({"id": f"{number}-d{max(used, default=0) + 1:03d}", "quote": text[start:end], "prefix": prefix,
                "suffix": suffix, "rule": "curator", "confidence": "1.00", "found_at": f"{start}-{end}"})
    row["stance"] = row["stance"] or "asserts"
    problems = check_stance(row, "the new row")
    if problems:
        raise ReviewError("; ".join(problems))
    assert problem(Quote(row["id"], "", row["quote"], prefix, suffix), text) is None
    rows.append(row)
    save(root, number, rows)
    return row


def entities(root: Path, number: str) -> list[dict[str, str]]:
    _, path = draft_paths(root, number)
    return table.read_rows(path, table.ENTITY_COLUMNS) if path.is_file() else []


def decide_entity(root: Path, number: str, entity_id: str, changes: dict[str, str]) -> dict[str, str]:
    """Accept, reject or relabel a proposed new system or organisation."""
    load(root, number)
    rows = entities(root, number)
    row = next((r for r in rows if r["id"] == entity_id), None)
    if row is None:
        raise NotFound(f"no proposed entity {entity_id} for source {number}")
    unknown = set(changes) - {"label", "kind", "accept"}
    if unknown:
        raise ReviewError(f"fields {sorted(unknown)} cannot be edited here (editable: label, kind, accept)")
    kind = changes.get("kind", row["kind"])
    if kind not in ("concept", "system", "org"):
        raise ReviewError(f"kind {kind!r} is not one of concept, system, org")
    if not row["id"].startswith(kind + ":"):
        raise ReviewError(f"kind {kind!r} does not fit the id {row['id']} (a {kind} has an id {kind}:…)")
    row.update({k: str(v) for k, v in changes.items()})
    table.write_rows(draft_paths(root, number)[1], rows, table.ENTITY_COLUMNS)
    return row
