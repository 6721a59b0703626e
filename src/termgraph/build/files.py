"""Which file goes into which named graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from termgraph import namespaces as ns
from termgraph.errors import DataNotFound

RDF_SUFFIXES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
}
QUAD_SUFFIXES = {".trig", ".nq"}


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
    return DataFile(path, ns.GRAPH_USER + path.stem, False)


def shapes_files(root: Path) -> list[Path]:
    return sorted((root / "shapes").glob("*.ttl"))
