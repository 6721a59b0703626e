"""The SHACL gate: termgraph's own data must conform to shapes/ before anything is served."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from termgraph import namespaces as ns
from termgraph.errors import DataSyntaxError, ValidationFailed
from termgraph.build.files import DataFile, project_files, shape_targets, shapes_files


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


def syntax_error(path: Path, exc: Exception) -> DataSyntaxError:
    """A file rdflib cannot read, described by pyoxigraph's parser (one line with line and
    column), or else by rdflib's message on one line."""
    import pyoxigraph as ox

    try:
        list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as found:
        return DataSyntaxError(path, str(found.msg if hasattr(found, "msg") else found), found.lineno)
    except (OSError, ValueError) as found:
        return DataSyntaxError(path, str(found))
    return DataSyntaxError(path, " ".join(str(exc).split()) or type(exc).__name__)


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
