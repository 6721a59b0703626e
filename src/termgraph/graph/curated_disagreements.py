"""Curated disagreements: data/curated/disagreements.csv, the disagreements no rule finds.

A curator records here a disagreement that a careful reader of both quotes would sign but that no
rule in queries/disagreements/ can find (rival accounts of what a term is, of how it is trained, of
what it covers). One row per disagreement:

| column | what goes in it |
|---|---|
| `id` | a number, `001`, `002` …; never renumbered or reused. The IRI is `https://w3id.org/termgraph/disagreement/curated/` + id. |
| `kind` | `opposite-stances`, `incompatible-relations`, `different-values`, `membership-excluded` or `within-one-source` |
| `one_side`, `other_side` | the claim ids on each side, separated by spaces (`000-079 000-024`) |
| `title` | a short question and the answers (`What kind of thing is a foundation model? …`) |
| `summary` | one sentence: what each side says and why both cannot hold |
| `note` | the curator's note: why a careful reader would sign it, and why no rule finds it |

The claims must exist; the two sides come from two sources, or (for within-one-source) from one
source twice. `termgraph claims generate` writes data/curated/disagreements.ttl from the table
(marked tg:curated, never attributed to a source: no prov:wasDerivedFrom, no tg:foundByRule);
`termgraph validate` checks the table and that the Turtle is current.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from termgraph import namespaces as ns
from termgraph.graph.claims_table import CLAIM_ID, Claim, Problem

TABLE = "data/curated/disagreements.csv"
TURTLE = "data/curated/disagreements.ttl"
COLUMNS = ("id", "kind", "one_side", "other_side", "title", "summary", "note")
KINDS = {"opposite-stances": "OppositeStances", "incompatible-relations": "IncompatibleRelations",
         "different-values": "DifferentValues", "membership-excluded": "MembershipExcluded",
         "within-one-source": "WithinOneSource"}
NUMBER = re.compile(r"^\d{3,}$")


@dataclass(frozen=True)
class Curated:
    id: str
    kind: str  # the kind's IRI
    one_side: tuple[str, ...]
    other_side: tuple[str, ...]
    title: str
    summary: str
    note: str

    @property
    def iri(self) -> str:
        return f"{ns.DISAGREEMENT}curated/{self.id}"


def read(root: Path, claims: list[Claim]) -> tuple[list[Curated], list[Problem]]:
    """The table's rows, checked against the claims; no file is an empty table."""
    path = root / TABLE
    if not path.is_file():
        return [], []
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines(keepends=True)))
    except (UnicodeDecodeError, csv.Error) as exc:
        return [], [Problem(TABLE, None, None, f"cannot be read as UTF-8 CSV ({exc}); save it as CSV UTF-8")]
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        return [], [Problem(TABLE, 1, None, f"the header must be {','.join(COLUMNS)}")]
    sources = {c.id: c.source for c in claims}
    out, problems, seen = [], [], {}
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(COLUMNS, [c.strip() for c in cells] + [""] * len(COLUMNS)))
        found = row_problems(row, sources, seen.get(row["id"]))
        problems += [Problem(TABLE, n, column, message) for column, message in found]
        seen.setdefault(row["id"], n)
        if not found:
            out.append(Curated(row["id"], ns.TG + KINDS[row["kind"]], tuple(row["one_side"].split()),
                               tuple(row["other_side"].split()), row["title"], row["summary"], row["note"]))
    return out, problems


def row_problems(row: dict[str, str], sources: dict[str, str], first: int | None) -> list[tuple[str, str]]:
    out = []
    if not NUMBER.match(row["id"]):
        out.append(("id", f"{row['id']!r} is not a number such as 001"))
    elif first:
        out.append(("id", f"{row['id']} is used twice (first in row {first}); numbers are never reused"))
    if row["kind"] not in KINDS:
        out.append(("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)} (a hedging difference is no disagreement)"))
    sides = {}
    for column in ("one_side", "other_side"):
        ids = row[column].split()
        bad = [c for c in ids if not CLAIM_ID.match(c) or c not in sources]
        if not ids:
            out.append((column, "name the claims on this side (claim ids separated by spaces)"))
        elif bad:
            out.append((column, f"{' '.join(bad)}: no such claim in data/claims/"))
        sides[column] = ids
    if not out:
        out += side_problems(row["kind"], sides["one_side"], sides["other_side"], sources)
    for column in ("title", "summary", "note"):
        if not row[column]:
            out.append((column, f"write the {column}: a careful reader must see why the sides cannot both hold"))
    return out


def side_problems(kind: str, one: list[str], other: list[str], sources: dict[str, str]) -> list[tuple[str, str]]:
    """Two sources, or one source twice (within-one-source); a claim on one side only."""
    if set(one) & set(other):
        return [("other_side", f"{' '.join(sorted(set(one) & set(other)))} is on both sides")]
    one_src, other_src = {sources[c] for c in one}, {sources[c] for c in other}
    if kind == "within-one-source":
        if len(one_src | other_src) != 1:
            return [("kind", "within-one-source needs every claim on both sides from one source")]
    elif len(one_src | other_src) < 2:
        return [("kind", "both sides come from one source: that is within-one-source")]
    return []


def turtle(rows: list[Curated]) -> str:
    """The generated Turtle, in the table's order (same table, same bytes)."""
    from termgraph.graph.turtle_terms import iri, string

    lines = [f"# generated from {TABLE} — edit the CSV, then run: termgraph claims generate", ""]
    lines += [f"@prefix {p}: <{ns.PREFIXES[p]}> ." for p in ("tg", "claim", "rdfs", "dcterms", "skos")]
    for d in rows:
        claims = " , ".join(iri(ns.CLAIM + c) for c in d.one_side + d.other_side)
        lines += ["", f"<{d.iri}> a tg:Disagreement ;", "    tg:curated true ;",
                  f"    tg:disagreementKind {iri(d.kind)} ;", f"    tg:hasClaim {claims} ;",
                  f"    rdfs:label {string(d.title)}@en ;", f"    dcterms:description {string(d.summary)}@en ;",
                  f"    skos:editorialNote {string(d.note)}@en ."]
    return "\n".join(lines) + "\n"


def generated(root: Path, claims: list[Claim]) -> tuple[dict[Path, str], list[Problem]]:
    """{data/curated/disagreements.ttl: its text} when the table is present and has no problem."""
    if not (root / TABLE).is_file():
        return {}, []
    rows, problems = read(root, claims)
    return ({} if problems else {root / TURTLE: turtle(rows)}), problems
