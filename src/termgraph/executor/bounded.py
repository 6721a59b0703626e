"""Queries whose cost their text bounds, answered in the server's own process.

Every other query goes to a worker process, so that it can be stopped at its time limit and its
memory bounded whatever it asks. For a query that cannot run long on any data, that hop (the
job pickled, the pipe both ways, two process switches) is most of what it costs: about 0.5 ms of
a worker's CPU and as much of the server's, for an ASK the engine answers in 0.1 ms. So a query
of one of these shapes (after PREFIX and BASE), and nothing else, runs here:

- ``ASK [WHERE] { [GRAPH g {] s p o [.] [}] }``: one triple pattern; the engine looks it up in an
  index and stops at the first match. Also ``ASK {}`` and ``SELECT * {}``: no pattern at all.
- ``SELECT [DISTINCT] (* | ?v ...) [WHERE] { ...one triple pattern, the same way... } [LIMIT n] [OFFSET n]``
  and ``DESCRIBE <iri> ...`` (no WHERE): only when the pattern, or the described resources'
  triples, match at most MATCHES_HERE quads, counted in the store before running by reading at
  most that many (a SELECT with LIMIT + OFFSET within that and no DISTINCT needs no count).
  termgraph's data holds no blank node (each becomes a stable IRI at load: graph/skolem.py), so
  a DESCRIBE's triples are the described resources' own.

No variable may appear twice (the engine would scan and compare), and the request names no
dataset (FROM, default-graph-uri, named-graph-uri). A term is read exactly (an IRI, a prefixed
name, ``a``) or, when it is not (a literal, a relative IRI), counted as matching anything, so the
count is never below the truth. Any token outside these shapes sends the query to a worker.
"""

from __future__ import annotations

import functools

import pyoxigraph as ox

from termgraph import formats
from termgraph.sparql.query import Query, Shape

MATCHES_HERE = 256  # quads a SELECT's pattern or a DESCRIBE may match to be answered here


def exact(t) -> str | None:
    """A pattern's term in a counting query: the IRI read exactly, else a fresh variable."""
    return str(t) if isinstance(t, ox.NamedNode) else None


def count_query(shape: Shape, limit: int) -> str:
    """A query counting, in the engine and up to `limit` + 1, the quads the shape may read."""
    if shape.form == "DESCRIBE":
        pattern = " UNION ".join(f"{{ {iri} ?p ?o }}" for iri in shape.described)
    else:
        s, p, o = (exact(t) or v for t, v in zip(shape.pattern, ("?s", "?p", "?o")))
        pattern = f"{s} {p} {o}"
        if shape.graph is not None:
            pattern = f"GRAPH {exact(shape.graph) or '?g'} {{ {pattern} }}"
    return f"SELECT (COUNT(*) AS ?n) {{ SELECT * {{ {pattern} }} LIMIT {limit + 1} }}"


def matches_at_most(store: ox.Store, shape: Shape, limit: int) -> bool:
    """Whether the shape's pattern (or the described resources' triples) matches at most `limit`
    quads: counted by the engine, which reads at most `limit` + 1 of them (a Python object per
    quad would cost more than the query). A SELECT whose LIMIT and OFFSET together are within
    `limit`, without DISTINCT (which may read on to find new rows), reads no more than that."""
    if shape.form != "DESCRIBE" and not shape.pattern:
        return True
    if shape.form == "SELECT" and not shape.distinct and shape.reads is not None and shape.reads <= limit:
        return True
    return int(next(iter(store.query(count_query(shape, limit))))["n"].value) <= limit


def runs_here(store: ox.Store, query: Query, has_dataset: bool) -> bool:
    """Whether the query is bounded by its shape (and, but for an ASK, by its matches in the store).
    The shape was read with the rest of the query (sparql/query.py: Query.bounded)."""
    if has_dataset:
        return False
    shape = query.bounded
    return shape is not None and (shape.form == "ASK" or matches_at_most(store, shape, MATCHES_HERE))


class Decider:
    """`runs_here` for one store, remembered for the last few queries: the served data never
    changes, so neither does the answer (and a client often sends the same query again)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.remembered = functools.lru_cache(maxsize=256)(self.decide)

    def decide(self, query: Query) -> bool:
        return runs_here(self.store, query, has_dataset=False)

    def __call__(self, query: Query, has_dataset: bool) -> bool:
        # A query that mentions SERVICE is checked by a worker (its parse is not for the event
        # loop) and has no bounded shape; nor has a long one: a bounded query is short.
        if has_dataset or query.bounded is None or query.service_pending:
            return False
        return self.remembered(query)


def ask_by_lookup(store: ox.Store, query: Query):
    """An ASK of at most one triple pattern, in the default graph or one named graph, every term
    read exactly: its answer (the engine's QueryBoolean) from one lookup in the store's indexes,
    without the engine's set-up for each query, which is most of what such an ASK costs. None
    for any other query (the engine answers it). The caller has checked the query and that the
    request names no dataset (engine.prepare)."""
    shape = query.bounded
    if shape is None or shape.form != "ASK" or not shape.exact:
        return None
    if not shape.pattern:
        return formats.ask_answer(True)
    s, p, o = (t if isinstance(t, ox.NamedNode) else None for t in shape.pattern)
    graph = ox.DefaultGraph() if shape.graph is None else shape.graph
    return formats.ask_answer(next(iter(store.quads_for_pattern(s, p, o, graph)), None) is not None)
