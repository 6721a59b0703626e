"""Load RDF files into one dataset, one named graph per file group, and add the derived graphs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph import derive, file_bounds, skolem
from termgraph.graph.validate_beside import GateBeside
from termgraph.graph.xml_entities import check_entities
from termgraph.errors import DataSyntaxError
from termgraph.graph.files import QUAD_SUFFIXES, DataFile, moved_graph, project_files, user_files
from termgraph import formats
from termgraph.settings import Settings



@dataclass
class LoadedData:
    """The whole dataset, ready to query, and what went into it."""

    store: ox.Store
    files: list[DataFile]
    derived: list[str] = field(default_factory=list)  # names of the graphs termgraph derived

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        return {row["g"].value: int(row["n"].value) for row in self.store.query(query)}

    def default_graph_size(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # (no list)


def rdf_format(path: Path) -> ox.RdfFormat:
    return formats.by_suffix(path.suffix).ox


BOM = b"\xef\xbb\xbf"


def load_file(store: ox.Store, item: DataFile) -> None:
    """Parse one file into the store; a syntax error names the file and line, and adds nothing.
    A user's file is read within bounds (file_bounds.py), may start with a UTF-8 byte-order
    mark, and may name no graph of termgraph's own; its default graph is its own graph."""
    if not item.ours:
        load_user_file(store, item)
        return
    fmt = rdf_format(item.path)
    target = {} if item.path.suffix.lower() in QUAD_SUFFIXES else {"to_graph": ox.NamedNode(item.graph)}
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_entities(item.path)  # before the parser builds a "billion laughs" in memory
        # bulk_load is several times faster on large files; it is not atomic, but a load that
        # fails throws the whole store away, so nothing half-loaded is ever served.
        store.bulk_load(path=str(item.path), format=fmt, base_iri=item.path.resolve().as_uri(), **target)
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataSyntaxError(item.path, message, exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise DataSyntaxError(item.path, str(exc)) from None
    if item.path.suffix.lower() in QUAD_SUFFIXES:
        move_default_graph(store, ox.NamedNode(item.graph))


def load_user_file(store: ox.Store, item: DataFile) -> None:
    """A user's file, parsed into a store of its own first: its graph names are checked (none
    under termgraph's namespace: that would add to the curated data, the claims or the
    disagreements), then everything is added under the file's own graph — its default-graph
    triples into that graph, each other graph it names moved under it (`files.moved_graph`),
    so that everything from a file is attributed to the file."""
    fmt = rdf_format(item.path)
    data = item.path.read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_entities(item.path)  # before the parser builds a "billion laughs" in memory
            file_bounds.check_xml(item.path)
        else:
            file_bounds.check_text(item.path, data.decode("utf-8", errors="replace"))
        own = ox.Store()
        quads = item.path.suffix.lower() in QUAD_SUFFIXES
        # relative IRIs resolve under the file's own graph, never against its path on this machine
        own.bulk_load(input=data, format=fmt, base_iri=item.graph + "/",
                      **({} if quads else {"to_graph": ox.NamedNode(item.graph)}))
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataSyntaxError(item.path, message, exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise DataSyntaxError(item.path, str(exc)) from None
    names = graph_names(own, item)  # (checked before anything is added)
    store.extend(file_quads(own, names, item.graph))


def graph_names(own: ox.Store, item: DataFile) -> dict:
    """Where each graph of a user's file (parsed into `own`) goes, all under the file's own graph:
    the default graph is the file's graph; a graph named under it (a relative name) stays; any
    other is moved under it (`files.moved_graph`); one under termgraph's namespace is refused."""
    mine = item.graph + "/"
    names: dict = {ox.DefaultGraph(): ox.NamedNode(item.graph)}
    for name in own.named_graphs():
        if isinstance(name, ox.BlankNode):
            continue  # (file_quads)
        if name.value.startswith(ns.BASE) and name.value != item.graph and not name.value.startswith(mine):
            raise DataSyntaxError(item.path, f"it names the graph <{name.value}>, which is termgraph's own; "
                                             "a file's data goes into its own graph: remove the graph name")
        kept = name.value == item.graph or name.value.startswith(mine)
        names[name] = name if kept else ox.NamedNode(moved_graph(item.graph, name.value))
    return names


def file_quads(own: ox.Store, names: dict, graph: str):
    """The file's quads in the graphs `names` gives, their blank nodes replaced by stable IRIs
    under the graph they go to (skolem.py: the quads of each graph that hold one, canonicalised
    together, as skolemise does in a store); a graph named by a blank node moved under the file's
    graph by its canonical label (RDFC-1.0 over those graphs: the same on every load)."""
    for name, target in names.items():
        blank = []
        for q in own.quads_for_pattern(None, None, None, name):
            moved = ox.Quad(q.subject, q.predicate, q.object, target)
            if skolem.has_blank_node(q):
                blank.append(moved)
            else:
                yield moved
        if blank:
            yield from skolem.skolemised(blank, target)
    blank_graphs = [name for name in own.named_graphs() if isinstance(name, ox.BlankNode)]
    if blank_graphs:
        dataset = ox.Dataset(q for name in blank_graphs for q in own.quads_for_pattern(None, None, None, name))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in dataset:
            target = ox.NamedNode(moved_graph(graph, "_:" + q.graph_name.value))
            moved = ox.Quad(q.subject, q.predicate, q.object, target)
            if skolem.has_blank_node(q):
                by_graph.setdefault(target.value, []).append(moved)
            else:
                yield moved
        for target, quads in sorted(by_graph.items()):
            yield from skolem.skolemised(quads, ox.NamedNode(target))


def from_user_file(files: list[DataFile]):
    """Whether a graph's name is one a user's file fills (its own graph, or one under it)."""
    graphs = tuple(item.graph for item in files if not item.ours)
    return lambda name: any(name == g or name.startswith(g + "/") for g in graphs)


def move_default_graph(store: ox.Store, graph: ox.NamedNode) -> None:
    """Triples a quad file puts in the default graph go into the file's own named graph."""
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for q in quads:
        store.remove(q)
        store.add(ox.Quad(q.subject, q.predicate, q.object, graph))


def all_files(settings: Settings) -> list[DataFile]:
    return project_files(settings.root) + user_files(settings.extra_files)


def load(settings: Settings, progress: Callable[[str], None] | None = None,
         store: ox.Store | None = None) -> LoadedData:
    """Parse every file into a fresh store (in memory unless an empty on-disk `store` is given),
    turn blank nodes into stable IRIs, then derive the source views, the disagreements and the
    default graph. Nothing is kept from a load that fails."""
    store = ox.Store() if store is None else store
    files = all_files(settings)
    for i, item in enumerate(files, 1):
        if progress:
            progress(f"[{i}/{len(files)}] {item.path}")
        load_file(store, item)
    if progress:
        progress("deriving the source views, the disagreements and the default graph")
    skolem.skolemise(store, done=from_user_file(files))  # (a user's file comes skolemised: file_quads)
    derived = derive.add_derived_graphs(store, settings.root)
    return LoadedData(store, files, derived)


def validated(settings: Settings, progress: Callable[[str], None] | None = None,
              prepare: Callable[[ox.Store], None] | None = None, store: ox.Store | None = None,
              gate_passed: bool = False) -> LoadedData:
    """termgraph's data checked against the shapes (the SHACL gate), then loaded and derived (in
    memory, or into an empty on-disk `store`) and `prepare`d (tests add graphs this way).
    Raises before anything is returned. `gate_passed`: these very files of termgraph's passed
    the gate before (graph/cache.py keeps that verdict; the shapes concern no user's file)."""
    if gate_passed:
        if progress:
            progress("termgraph's data passed the shapes before (the same files): not validated again")
        data = load(settings, progress=progress, store=store)
        if prepare:
            prepare(data.store)
        return data
    if progress:
        progress("validating termgraph's data against the shapes")
    gate = GateBeside(settings.root)  # in a process of its own, while the files load
    try:
        data = load(settings, progress=progress, store=store)
    except Exception:
        gate.result()  # the gate's verdict first, as when it ran before the load
        raise
    except BaseException:  # interrupted
        gate.stop()
        raise
    gate.result()
    if prepare:
        prepare(data.store)
    return data
