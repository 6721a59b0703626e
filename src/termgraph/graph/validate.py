"""The SHACL gate (termgraph's own data must conform to shapes/ before anything is served), and
the curator checks of the claims tables that `termgraph validate` runs before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from termgraph import namespaces as ns
from termgraph.errors import ValidationFailed
from termgraph.graph import claims_table, claims_turtle, curated_disagreements, quotes, retired
from termgraph.graph import texts as texts_module
from termgraph.graph.claims_vocab import load_vocabulary, shorten
from termgraph.graph.files import DataFile, project_files, shape_targets, shapes_files
from termgraph.graph.syntax import syntax_error


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str
    value: str

    def line(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        value = f" (value: {self.value})" if self.value else ""
        return f"- {where}: {self.message}{value} [shape {self.shape}]"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]
    checked_files: int

    def text(self) -> str:
        if self.conforms:
            return f"valid: {self.checked_files} files conform to the shapes"
        lines = [f"invalid: {len(self.violations)} violation(s)"]
        return "\n".join(lines + [v.line() for v in self.violations])


def parse_graph(files: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several types for syntax errors
            raise syntax_error(path, exc) from None
    return graph




def bind_prefixes(graph: rdflib.Graph) -> None:
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, replace=True)
    graph.bind("tgsh", "https://w3id.org/termgraph/shapes#")


def short(graph: rdflib.Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, rdflib.BNode):
        return "(a blank node)"
    text = str(node)
    return repr(text if len(text) < 60 else text[:57] + "...")


def violations(results: rdflib.Graph) -> list[Violation]:
    bind_prefixes(results)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        v = lambda p: results.value(r, p)  # noqa: E731
        found.append(Violation(
            focus=short(results, v(SH.focusNode)),
            path=short(results, v(SH.resultPath)),
            message=str(v(SH.resultMessage) or "does not conform"),
            shape=short(results, v(SH.sourceShape)),
            value=short(results, v(SH.value)),
        ))
    return sorted(found, key=lambda x: (x.focus, x.path, x.shape, x.message, x.value))


def files_for(targets: tuple[str, ...], files: list[DataFile]) -> list[Path]:
    return [f.path for f in files if any(f.graph == t or f.graph.startswith(t) and t.endswith("/") for t in targets)]


def run_shapes(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Violation]:
    """Validate one data graph against one shapes graph; return the violations found."""
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return [] if conforms else violations(results)


def check(root: Path, files: list[DataFile] | None = None) -> Report:
    """Validate termgraph's own files against every shapes file; return a report (never raises
    for non-conformance; raises DataSyntaxError for a file that does not parse)."""
    files = project_files(root) if files is None else files
    found: list[Violation] = []
    for shapes_path in shapes_files(root):
        found += run_shapes(parse_graph(files_for(shape_targets(shapes_path), files)), parse_graph([shapes_path]))
    return Report(not found, tuple(found), len(files))


def gate(root: Path, files: list[DataFile] | None = None) -> Report:
    """Like check(), but raise ValidationFailed (with the report) when the data does not conform."""
    report = check(root, files)
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.violations))
    return report


# --- Curator checks: the claims tables ----------------------------------------------------------

def quote_problems(claims: list[claims_table.Claim], vocab, places: list[Path]) -> list[claims_table.Problem]:
    """Each quote against its source's text. A text in none of `places` is QuotesNotChecked
    (exit 2): a check that could not run says so."""
    problems, texts, absent = [], {}, set()
    for claim in claims:
        if claim.source not in vocab.sources:
            problems.append(claims_table.Problem(claim.file, claim.row, "id", f"{shorten(claim.source)} is not a "
                            "registered source (register its text with termgraph source add)"))
            continue
        name, sha = vocab.sources[claim.source]
        if name not in texts:
            path = quotes.find_text(name, places) if name else None
            changed = quotes.sha_problem(path, sha) if path else None
            if changed:
                problems.append(claims_table.Problem(claim.file, None, None, changed + "; quotes not checked"))
            texts[name] = None if path is None or changed else path.read_text(encoding="utf-8")
            if path is None:
                absent.add(name or shorten(claim.source))
        if texts[name] is not None:
            found = quotes.quote_problem(claim.quote, claim.prefix, claim.suffix, texts[name], name)
            if found:
                problems.append(claims_table.Problem(claim.file, claim.row, *found))
    if absent:
        raise texts_module.QuotesNotChecked(texts_module.absent_line(sorted(absent), places[-1], texts_module.POINT))
    return problems


def table_problems(root: Path, vocab) -> tuple[list[claims_table.Claim], list[claims_table.Problem]]:
    claims, problems = [], []
    for table in claims_turtle.tables(root):
        found_claims, found = claims_table.read_table(table, vocab, f"data/claims/{table.name}")
        claims += found_claims
        problems += found
    for ttl in sorted((root / "data" / "claims").glob("*.ttl")):
        if not ttl.with_suffix(".csv").is_file():
            problems.append(claims_table.Problem(f"data/claims/{ttl.name}", None, None,
                            f"has no table data/claims/{ttl.stem}.csv (claims are edited in the CSV)"))
    return claims, problems


def curator_problems(root: Path, seeds: Path) -> list[str]:
    """What curators get wrong in data/claims/*.csv, one line each: bad cells, undeclared terms,
    quotes not in the source text, generated Turtle out of date. Raises TableUnreadable (exit 2)."""
    project_files(root)  # DataNotFound (exit 2) when root is not a data folder
    vocab = load_vocabulary(root)
    claims, problems = table_problems(root, vocab)
    problems += claims_table.declared_problems(claims, vocab)
    problems += retired.problems(root, claims)
    problems += quote_problems(claims, vocab, [root / "data" / "sources", seeds])
    stale, from_tables = claims_turtle.drift(root, vocab)
    # the claims tables' problems are listed above; the curated disagreements' table is checked here
    problems += [p for p in from_tables if p.file == curated_disagreements.TABLE]
    problems += [claims_table.Problem(rel(p, root), None, None, f"differs from {rel(p.with_suffix('.csv'), root)} "
                                      "(edit the CSV, then run: termgraph claims generate)") for p in stale]
    return [p.line() for p in problems]


def rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def claim_rows(root: Path) -> dict[str, str]:
    """claim id -> 'data/claims/NNN.csv row N', for pointing SHACL violations at the table."""
    rows = {}
    for table in claims_turtle.tables(root):
        try:
            records = claims_table.read_records(table, table.name)
        except claims_table.TableUnreadable:
            continue
        rows.update({cells[0].strip(): f"data/claims/{table.name} row {n}" for n, cells in records if cells})
    return rows


def located(report: Report, root: Path) -> Report:
    """The report with each claim's violation prefixed by the table row it comes from."""
    rows = claim_rows(root)

    def where(v: Violation) -> Violation:
        match = re.search(r"claim[:/](\d{3}-\d{3,})", v.focus)
        row = rows.get(match.group(1)) if match else None
        return replace(v, focus=f"{row} ({v.focus})") if row else v
    return replace(report, violations=tuple(where(v) for v in report.violations))
