"""The floors of termgraph's house, read from every module's imports (ast): no import runs up a
floor, no two packages of one floor import each other, only the executor's interface is imported
from outside it, no route module imports another (nor does anything outside web/), and no modules
import each other in a cycle.

    python tools/layers.py            # prints every violation; exit status 1 if there is one

Floors, lowest first (a module may import its own package and any lower floor):
the ground floor (the modules directly in termgraph/: errors, namespaces, formats, settings …),
graph/ (loading, deriving, checking and publishing the data), sparql/ (the protocol and the
reading of a query), executor/ and curate/ (running queries; the curation toolchain), web/,
cli/, and the package itself (termgraph/__init__.py, the Python API, with __main__.py).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

FLOORS = {"": 0, "graph": 1, "sparql": 2, "executor": 3, "curate": 3, "web": 4, "cli": 5, "api": 6}
INTERFACES = {"executor": "executor.interface"}  # a package whose outside users import only this
APART = ("web.routes",)  # packages whose modules import none of each other (shared helpers live below)


@dataclass(frozen=True)
class Edge:
    importer: str  # dotted, without the top package's name: "web.routes.sparql", "" for the package
    imported: str
    line: int


def module_names(root: Path) -> dict[str, Path]:
    """Every module under `root` (the top package's folder), by dotted name within it."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_names(tree: ast.AST, own: str, is_package: bool, top: str):
    """(dotted target, line) for each import of `top`'s modules, relative ones resolved."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if type_checking_only(node):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == top or alias.name.startswith(top + "."):
                    yield alias.name[len(top) + 1:], [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own.split(".") if own else []
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module == top or (node.module or "").startswith(top + "."):
                target = node.module[len(top) + 1:]
            else:
                continue
            yield target, [a.name for a in node.names], node.lineno


def edges(root: Path) -> list[Edge]:
    """Every import between the modules of the package at `root` (its folder)."""
    top, names = root.name, module_names(root)
    found = []
    for own, path in names.items():
        tree = ast.parse(path.read_text(), str(path))
        for target, members, line in imported_names(tree, own, path.name == "__init__.py", top):
            subs = [f"{target}.{m}".lstrip(".") for m in members if f"{target}.{m}".lstrip(".") in names]
            for imported in subs or [target]:
                if imported in names and imported != own:
                    found.append(Edge(own, imported, line))
    return found


def dotted(root: Path, module: str) -> str:
    return f"{root.name}.{module}" if module else root.name


def package_of(module: str) -> str:
    """The floor's package a module belongs to: "" for the ground floor, "api" for the package."""
    if module in ("", "__main__"):
        return "api"
    head, _, rest = module.partition(".")
    return head if rest or head in FLOORS else ""


def violations(root: Path) -> list[str]:
    """One line per upward import, sideways import, import past an interface, and cycle."""
    problems, graph = [], {}
    for e in sorted(edges(root), key=lambda e: (e.importer, e.line, e.imported)):
        graph.setdefault(e.importer, set()).add(e.imported)
        mine, theirs = package_of(e.importer), package_of(e.imported)
        where = f"{dotted(root, e.importer)} line {e.line} imports {dotted(root, e.imported)}"
        for apart in APART:
            if e.imported.startswith(apart + ".") and (e.importer.startswith(apart + ".") or mine != "web"):
                problems.append(f"{where}: no route module is imported by another route or from outside web/ (shared request helpers: web/requests.py)")
        if mine == theirs:
            continue
        if FLOORS[theirs] > FLOORS[mine]:
            problems.append(f"{where}: up from {mine or 'the ground floor'} to {theirs}")
        elif FLOORS[theirs] == FLOORS[mine]:
            problems.append(f"{where}: sideways from {mine} to {theirs}, on one floor")
        elif theirs in INTERFACES and e.imported not in (theirs, INTERFACES[theirs]):
            problems.append(f"{where}: past {theirs}'s interface ({root.name}.{INTERFACES[theirs]})")
    problems += [f"cycle: {' -> '.join(dotted(root, m) for m in c)}" for c in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each strongly connected group of more than one module (Tarjan's algorithm)."""
    index, low, on, stack, groups = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v), on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [one_cycle(graph, set(g)) for g in groups]


def one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path from the group's first module back to itself, within the group."""
    start = min(group)
    path, seen = [start], {start}
    while True:
        nxt = sorted(w for w in graph.get(path[-1], ()) if w in group)
        back = [w for w in nxt if w == start]
        if back and len(path) > 1:
            return path + [start]
        fresh = [w for w in nxt if w not in seen]
        step = fresh[0] if fresh else start
        if step == start:
            return path + [start]
        path.append(step), seen.add(step)


if __name__ == "__main__":
    found = violations(Path(__file__).resolve().parent.parent / "src" / "termgraph")
    print("\n".join(found) or "no upward import, no cycle")
    sys.exit(1 if found else 0)
