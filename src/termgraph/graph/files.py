"""Which file goes into which named graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from termgraph import namespaces as ns
from termgraph.errors import DataNotFound
from termgraph import formats

# File suffix -> media type, from the one format registry.
RDF_SUFFIXES = {suffix: formats.by_suffix(suffix).media_type for suffix in formats.rdf_suffixes()}
QUAD_SUFFIXES = {s for s, media in RDF_SUFFIXES.items() if media in formats.DATASET_FORMATS
                 and media not in formats.GRAPH_FORMATS}
# shapes/<folder>/*.ttl checks the graphs its folder names: the ontology's shapes the ontology,
# the data's shapes everything termgraph ships (the ontology, the curated data, the claims).
SHAPE_FOLDERS = {
    "ontology": (ns.GRAPH_ONTOLOGY,),
    "data": (ns.GRAPH_ONTOLOGY, ns.GRAPH_CURATED, ns.GRAPH_CLAIMS),
}


@dataclass(frozen=True)
class DataFile:
    path: Path
    graph: str  # the named graph its triples go into
    ours: bool  # termgraph's own data, checked by the SHACL gate


def project_files(root: Path) -> list[DataFile]:
    """termgraph's own files: the ontology, the curated data, and one claims file per source."""
    for sub in ("ontology", "data/curated", "data/claims"):
        if not (root / sub).is_dir():
            raise DataNotFound(f"{root / sub} does not exist: is {root} a termgraph data folder?")
    files = [DataFile(p, ns.GRAPH_ONTOLOGY, True) for p in sorted((root / "ontology").glob("*.ttl"))]
    files += [DataFile(p, ns.GRAPH_CURATED, True) for p in sorted((root / "data/curated").glob("*.ttl"))]
    files += [DataFile(p, ns.GRAPH_CLAIMS + p.stem, True) for p in sorted((root / "data/claims").glob("*.ttl"))]
    return files


def user_file(path: Path) -> DataFile:
    """A user's own RDF file, loaded into the graph <https://w3id.org/termgraph/graph/user/STEM>."""
    path = Path(path)
    if not path.is_file():
        raise DataNotFound(f"{path}: no such file")
    if path.suffix.lower() not in RDF_SUFFIXES:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise DataNotFound(f"{path}: unknown RDF file type (use one of {known})")
    return DataFile(path, ns.GRAPH_USER + quote(path.stem, safe="-._~"), False)  # (any name: an IRI)


FILE_GRAPHS = "/graph/"  # <…/graph/user/STEM/graph/NAME>: the graph NAME of the user's file STEM


def moved_graph(file_graph: str, name: str) -> str:
    """Where a named graph of a user's quad file (TriG, N-Quads) is served: under the file's own
    graph, its name as the file gives it percent-encoded at the end (`_:label` for a blank node)."""
    return file_graph + FILE_GRAPHS + quote(name, safe="")


def user_graph(name: str) -> tuple[str, str | None] | None:
    """For a graph a user's file fills: (the file's stem, the graph's name in the file, or None
    for the file's own graph or one the file named under it); else None."""
    if not name.startswith(ns.GRAPH_USER):
        return None
    stem, _, rest = name[len(ns.GRAPH_USER):].partition("/")
    original = unquote(rest[len(FILE_GRAPHS) - 1:]) if ("/" + rest).startswith(FILE_GRAPHS) else None
    return stem, original


def user_files(paths) -> list[DataFile]:
    """Several user files; two that would fill the same graph (a/extra.ttl and b/extra.jsonld)
    are an error naming both, never a silent merge."""
    found: dict[str, Path] = {}
    files = []
    for path in paths:
        item = user_file(path)
        if item.graph in found:
            raise DataNotFound(f"{found[item.graph]} and {path} would both be the graph <{item.graph}> "
                               "(one graph per file name stem): rename one of them")
        found[item.graph] = Path(path)
        files.append(item)
    return files


def shapes_files(root: Path) -> list[Path]:
    """Every shapes file: shapes/ontology/*.ttl and shapes/data/*.ttl. A .ttl anywhere else
    under shapes/ is an error (its folder would not say what it checks), never skipped."""
    stray = sorted(p for p in (root / "shapes").rglob("*.ttl") if p.parent.parent != root / "shapes"
                   or p.parent.name not in SHAPE_FOLDERS)
    if stray:
        raise DataNotFound(f"{stray[0]}: put shapes in shapes/{' or shapes/'.join(SHAPE_FOLDERS)} "
                           "(the folder says which graphs they check)")
    return sorted(p for folder in SHAPE_FOLDERS for p in (root / "shapes" / folder).glob("*.ttl"))


def shape_targets(path: Path) -> tuple[str, ...]:
    """The graphs a shapes file checks, from the folder it is in."""
    return SHAPE_FOLDERS[path.parent.name]
