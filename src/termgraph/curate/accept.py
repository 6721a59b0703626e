"""`termgraph draft NNN --accept`: move the accepted rows of a draft into the claims table.

All checks run first; any problem is reported with file, row, column and a fix, and nothing is
changed. Accepted new entities (NNN.entities.draft.csv) are declared first, so rows may name them:
systems and organisations in data/curated/systems.ttl, concepts (categories) in
data/curated/concepts.ttl, where a concept also needs a definition: the definition row of it
accepted with it (the source's defining words, as the curated definition until a curator writes
one of the project's own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import retired
from termgraph.graph.quotes import Quote, problem
from termgraph.graph import claims_table as table
from termgraph.graph import claims_turtle, claims_vocab
from termgraph.curate.draft import draft_paths
from termgraph.curate.project import Project, UnknownCurie, expand, load_project
from termgraph.curate.sources import literal, source_text
from termgraph.errors import TermgraphError

YES = {"y", "yes", "x", "1", "true", "accept", "accepted", "ok", "✓"}
NO = {"", "n", "no", "0", "false", "reject", "rejected", "-"}
STANCES = {"asserts", "denies", "qualifies"}
QUALIFICATIONS = {"hedged", "conditional", "only-when", "partial"}
ENTITY_CLASSES = {"concept": ns.TG + "Concept", "system": ns.TG + "AISystem", "org": ns.SCHEMA + "Organization"}
ENTITIES_TTL = "data/curated/systems.ttl"
CONCEPTS_TTL = "data/curated/concepts.ttl"
SCHEME = "https://w3id.org/termgraph/concepts"


class AcceptRefused(TermgraphError):
    """Accepted rows that cannot go into the claims table; nothing was changed."""

    status = 400
    exit_code = 1


@dataclass
class Outcome:
    claims_csv: Path
    added: list[str]  # new claim ids
    entities: list[str]  # new entity IRIs
    note: str | None = None  # what is left to do (when no Turtle generator is installed)
    warnings: list[str] = field(default_factory=list)  # accepted, but worth a second look


def accepted(row: dict[str, str], where: str) -> bool:
    mark = row["accept"].strip().lower()
    if mark in YES:
        return True
    if mark in NO:
        return False
    raise AcceptRefused(f"{where}, column accept: {row['accept']!r} is neither yes (y, x, 1) nor no (n, empty)")


def home(iri: str) -> str:
    """The curated file an accepted new entity is declared in."""
    return CONCEPTS_TTL if iri.startswith(ns.CONCEPT) else ENTITIES_TTL


def concept_block(iri: str, label: str, definition: str) -> str:
    return (f"<{iri}> a <{ns.TG}Concept> , <{ns.OWL}Class> ;\n    <{ns.SKOS}prefLabel> {literal(label, 'en')} ;\n"
            f"    <{ns.RDFS}label> {literal(label, 'en')} ;\n    <{ns.SKOS}definition> {literal(definition, 'en')} ;\n"
            f"    <{ns.SKOS}inScheme> <{SCHEME}> .\n")


def definitions(chosen: list[tuple[int, dict[str, str]]]) -> dict[str, str]:
    """The first accepted definition of each subject (by IRI)."""
    out: dict[str, str] = {}
    for _, row in chosen:
        if row["predicate"] in ("skos:definition", "tg:additionalDefinition") and row["object"].strip():
            try:
                out.setdefault(expand(row["subject"]), row["object"].strip())
            except UnknownCurie:
                pass
    return out


def entity_block(rows: list[dict[str, str]], where: str, project: Project,
                 defined: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Turtle declaring the accepted new entities (by the file it goes into), and their IRIs."""
    lines, concepts, iris = [], [], []
    for number, row in rows:
        place = f"{where} row {number}"
        if row["kind"] not in ENTITY_CLASSES:
            raise AcceptRefused(f"{place}, column kind: {row['kind']!r} is not one of concept, system, org")
        if not row["id"].startswith(row["kind"] + ":"):
            raise AcceptRefused(f"{place}, column kind: {row['kind']!r} does not fit the id {row['id']} "
                                f"(a {row['kind']} has an id {row['kind']}:…)")
        iri = expand(row["id"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", iri.rsplit("/", 1)[-1]) or not row["label"].strip():
            raise AcceptRefused(f"{place}: give an id like system:my-model and a label")
        if iri in project.entities:
            continue
        label = row["label"].strip()
        if row["kind"] == "concept":
            if not (defined or {}).get(iri):
                raise AcceptRefused(f"{place}: the new concept {row['id']} needs a definition: accept a definition "
                                    f"row of it with it, or declare it in {CONCEPTS_TTL} yourself")
            concepts.append(concept_block(iri, label, defined[iri]))
        else:
            lines.append(f"<{iri}> a <{ENTITY_CLASSES[row['kind']]}> ;\n    <{ns.RDFS}label> {literal(label, 'en')} ;\n"
                         f"    <{ns.SCHEMA}name> {literal(label)} .\n")
        iris.append(iri)
    return {ENTITIES_TTL: "\n".join(lines), CONCEPTS_TTL: "\n".join(concepts)}, iris


def check_row(row: dict[str, str], place: str, project: Project, known: set[str], text: str, source_file: str) -> list[str]:
    problems = []
    try:
        subject, predicate = expand(row["subject"]), expand(row["predicate"])
    except UnknownCurie as exc:
        return [f"{place}: {exc}"]
    if subject not in known:
        problems.append(f"{place}, column subject: {row['subject']} is not a declared concept, system or "
                        "organisation; accept it in the entities sheet, or declare it in data/curated/")
    if predicate not in project.literal_predicates | project.resource_predicates and not project.takes_literal(predicate):
        problems.append(f"{place}, column predicate: {row['predicate']} is not a property of the ontology")
    if not project.takes_literal(predicate):
        try:
            obj = expand(row["object"])
        except UnknownCurie as exc:
            return problems + [f"{place}, column object: {exc}"]
        if obj not in known:
            problems.append(f"{place}, column object: {row['object']} is not declared; accept it in the entities "
                            "sheet, or declare it in data/curated/")
    elif not row["object"].strip():
        problems.append(f"{place}, column object: empty text")
    problems += check_stance(row, place)
    found = problem(Quote(row["id"] or place, source_file, row["quote"], row["prefix"], row["suffix"]), text)
    if not row["quote"]:
        problems.append(f"{place}, column quote: empty; select the passage that makes the claim")
    elif found:
        problems.append(f"{place}, column quote: {found.split(': ', 1)[1]}; copy the passage from the text again")
    return problems


def moved(row: dict[str, str], place: str, text: str) -> str | None:
    """A warning when a row's quote no longer overlaps the passage where the draft found it: an
    edited quote that happens to occur elsewhere in the text is verbatim, but may not be the
    passage the claim was drafted from."""
    found = re.fullmatch(r"(\d+)-(\d+)", row.get("found_at", "").strip())
    at = text.find(row["prefix"] + row["quote"] + row["suffix"])
    if not found or at < 0 or not row["quote"]:
        return None
    start = at + len(row["prefix"])
    end = start + len(row["quote"])
    was_start, was_end = int(found[1]), int(found[2])
    if start < was_end and was_start < end:
        return None
    return (f"{place}: the quote now stands at characters {start}-{end}, {min(abs(start - was_end), abs(was_start - end))} "
            f"characters away from the passage the draft found (characters {was_start}-{was_end}, "
            f"{text[was_start:was_end][:50]!r}); check that it is the passage you meant")


def check_stance(row: dict[str, str], place: str) -> list[str]:
    out = []
    if row["stance"] not in STANCES:
        out.append(f"{place}, column stance: {row['stance']!r} is not one of asserts, denies, qualifies")
    if row["stance"] == "qualifies" and row["qualification"] not in QUALIFICATIONS:
        out.append(f"{place}, column qualification: a qualifies row needs hedged, conditional, only-when or partial")
    if row["stance"] != "qualifies" and row["qualification"]:
        out.append(f"{place}, column qualification: only a qualifies row has a qualification")
    return out


def next_ids(existing: list[dict[str, str]], number: str, count: int, retired_up_to: int = 0) -> list[str]:
    """The next numbers after the highest ever used: in the table, or retired (never reused)."""
    used = [int(r["id"].rsplit("-", 1)[1]) for r in existing if re.fullmatch(rf"{number}-\d+", r["id"])]
    first = max(used + [retired_up_to]) + 1
    return [f"{number}-{i:03d}" for i in range(first, first + count)]


def display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def split_rows(rows: list[dict[str, str]], where: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    """(accepted rows with their row numbers, the rows that stay in the draft)."""
    chosen, rest = [], []
    for number, row in enumerate(rows, start=2):
        (chosen.append((number, row)) if accepted(row, f"{where} row {number}") else rest.append(row))
    return chosen, rest


def accept(root: Path, number: str, seeds: Path | None = None) -> Outcome:
    info, text = source_text(root, number, seeds)
    claims_draft, entities_draft = draft_paths(root, number)
    if not claims_draft.is_file():
        raise AcceptRefused(f"{display(root, claims_draft)} does not exist; run termgraph draft {number} first")
    project = load_project(root)
    where = display(root, claims_draft)
    chosen, rest = split_rows(table.read_rows(claims_draft, table.DRAFT_COLUMNS), where)
    ent_rows = table.read_rows(entities_draft, table.ENTITY_COLUMNS) if entities_draft.is_file() else []
    ent_chosen, ent_rest = split_rows(ent_rows, display(root, entities_draft))
    block, new_iris = entity_block(ent_chosen, display(root, entities_draft), project, definitions(chosen))
    known = set(project.entities) | set(new_iris)
    problems = []
    for row_number, row in chosen:
        problems += check_row(row, f"{where} row {row_number}", project, known, text, info.identifier)
    if problems:
        raise AcceptRefused(f"{len(problems)} problem(s), nothing changed:\n  " + "\n  ".join(problems))
    warnings = [w for n, row in chosen if (w := moved(row, f"{where} row {n}", text))]
    outcome = commit(root, number, chosen, rest, ent_rest, entities_draft, block, new_iris)
    outcome.warnings = warnings
    return outcome


def commit(root, number, chosen, rest, ent_rest, entities_draft, block, new_iris) -> Outcome:
    claims_csv = root / "data" / "claims" / f"{number}.csv"
    existing = table.read_rows(claims_csv, table.COLUMNS) if claims_csv.is_file() else []
    ids = next_ids(existing, number, len(chosen), retired.highest(root, number))
    moved = [{**{c: row[c] for c in table.COLUMNS}, "id": new_id} for new_id, (_, row) in zip(ids, chosen)]
    for name, turtle in block.items():
        if turtle:
            path = root / name
            list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))  # never append what does not parse
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + turtle, encoding="utf-8")
    table.write_rows(claims_csv, existing + moved, table.COLUMNS)
    claims_draft, _ = draft_paths(root, number)
    table.write_rows(claims_draft, rest, table.DRAFT_COLUMNS)
    if entities_draft.is_file():
        table.write_rows(entities_draft, ent_rest, table.ENTITY_COLUMNS)
    note = generate_turtle(root, number)
    return Outcome(claims_csv, ids, list(new_iris), note)


def generate_turtle(root: Path, number: str) -> str | None:
    """Generate the claims' Turtle from the tables (data/claims/NNN.csv → NNN.ttl, as
    `termgraph claims generate` does); None when done, else what the curator has left to do."""
    written, problems = claims_turtle.write_all(root, claims_vocab.load_vocabulary(root))
    if problems:
        lines = "; ".join(p.line() if hasattr(p, "line") else str(p) for p in problems[:5])
        return (f"the claims were moved, but the Turtle was not generated: {lines}; fix, then generate "
                f"data/claims/{number}.ttl from data/claims/{number}.csv: termgraph claims generate")
    return None
