"""Release files, written deterministically: the same input gives byte-identical files.

dist/termgraph-ontology.{ttl,nt,nq,trig,jsonld,rdf}   the ontology alone (as one graph)
dist/termgraph.{ttl,nt,nq,trig,jsonld,rdf}            the full dataset (Turtle, N-Triples and
                                                       RDF/XML hold the merge of all graphs;
                                                       TriG, N-Quads and JSON-LD keep the graphs)
dist/termgraph-void.ttl                               a VoID description
dist/termgraph-ontology.html                          the ontology's documentation (pyLODE)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph.build import ontology_html as docs
from termgraph import namespaces as ns
from termgraph.build.load import LoadedData
from termgraph.build.void import void_triples

from termgraph.sparql import formats as registry

# The release formats, from the one format registry (N3 is left out: Turtle says the same).
FORMATS = {f.suffix: f.ox for f in registry.FORMATS
           if isinstance(f.ox, ox.RdfFormat) and f.ox != ox.RdfFormat.N3}
STEMS = ("termgraph-ontology", "termgraph")


def release_names() -> list[str]:
    """Every file export() writes, by name."""
    return [f"{stem}.{ext}" for stem in STEMS for ext in FORMATS] + ["termgraph-void.ttl", "termgraph-ontology.html"]


def canonical_quads(quads) -> list[ox.Quad]:
    """Blank nodes renamed canonically (RDFC-1.0), quads sorted: a stable order and labels."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def merged_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}


def write(path: Path, items, fmt: ox.RdfFormat) -> Path:
    """One release file; JSON-LD compact, with an @context of termgraph's prefixes."""
    if fmt == ox.RdfFormat.JSON_LD:
        path.write_bytes(registry.serialize_rdf(items, "application/ld+json"))
    else:
        path.write_bytes(ox.serialize(items, format=fmt, prefixes=ns.PREFIXES))
    return path


def write_all(stem: str, quads: list[ox.Quad], out: Path, graphs_in_jsonld: bool) -> list[Path]:
    """Every format; JSON-LD keeps the named graphs only for the full dataset, so that the
    ontology's JSON-LD is a plain graph for tools that read one."""
    triples = merged_triples(quads)
    written = []
    for ext, fmt in FORMATS.items():
        keep = fmt in QUAD_FORMATS or (fmt == ox.RdfFormat.JSON_LD and graphs_in_jsonld)
        written.append(write(out / f"{stem}.{ext}", quads if keep else triples, fmt))
    return written


def export(data: LoadedData, out: Path, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every release file into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    everything = canonical_quads(data.store.quads_for_pattern(None, None, None, None))
    ontology = [q for q in everything if q.graph_name == ox.NamedNode(ns.GRAPH_ONTOLOGY)]
    written = []
    for stem, quads, graphs_in_jsonld in (("termgraph-ontology", ontology, False), ("termgraph", everything, True)):
        if progress:
            progress(f"writing {stem}.* ({len(quads)} quads)")
        written += write_all(stem, quads, out, graphs_in_jsonld)
    written.append(write(out / "termgraph-void.ttl", void_triples(data.graph_sizes(), data.store), ox.RdfFormat.TURTLE))
    if progress:
        progress("writing termgraph-ontology.html (pyLODE)")
    html = out / "termgraph-ontology.html"
    html.write_text(docs.ontology_html(data.store), encoding="utf-8")
    written.append(html)
    return written
