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
import re
from dataclasses import dataclass

import pyoxigraph as ox

from termgraph.namespaces import RDF
from termgraph import formats
from termgraph.sparql import guard

MATCHES_HERE = 256  # quads a SELECT's pattern or a DESCRIBE may match to be answered here
TERM_KINDS = ("iri", "pname", "var", "string")
ABSOLUTE = re.compile(r"^[A-Za-z][\w+.-]*:")


@dataclass(frozen=True)
class Shape:
    """A recognised query: its form, its pattern (s, p, o as terms or None for "any"), its graph
    (None: the default graph; "any": GRAPH ?g), and the resources a DESCRIBE names."""
    form: str
    pattern: tuple = ()
    graph: object = None
    described: tuple = ()
    distinct: bool = False
    reads: int | None = None  # a SELECT's LIMIT + OFFSET, when it has a LIMIT
    exact: bool = False  # every term and the graph read exactly (no literal, relative IRI, GRAPH ?g)


class Reader:
    """The query's tokens, read left to right (`expect` ends the reading: not recognised)."""

    def __init__(self, text: str):
        # The grammar ends a comment at CR as at LF; the lexer only at LF.
        self.toks, self.i = guard.tokens(text.replace("\r", "\n")), 0
        self.prefixes: dict[str, str | None] = {}

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def word(self, *words: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.upper() in words:
            self.i += 1
            return True
        return False

    def mark(self, value: str) -> bool:
        if self.peek() == ("other", value):
            self.i += 1
            return True
        return False


class NotBounded(Exception):
    """The query is not of a shape this module recognises."""


def expect(ok: bool) -> None:
    if not ok:
        raise NotBounded


def prologue(r: Reader) -> None:
    """PREFIX and BASE declarations; a prefix bound to a relative IRI is not read exactly."""
    while True:
        if r.word("PREFIX"):
            (k1, name), (k2, iri) = r.take(), r.take()
            expect(k1 == "pname" and name.endswith(":") and name.count(":") == 1 and k2 == "iri")
            r.prefixes[name[:-1]] = iri[1:-1] if ABSOLUTE.match(iri[1:-1]) else None
        elif r.word("BASE"):
            expect(r.take()[0] == "iri")
        else:
            return


def term(r: Reader, position: str):
    """One term of the pattern: a NamedNode read exactly, a variable name ("?x"), or None (any)."""
    kind, value = r.take()
    if kind == "word" and value == "a" and position == "p":
        return ox.NamedNode(RDF + "type")
    expect(kind in TERM_KINDS)
    if kind == "var":
        return "?" + value[1:]
    if kind == "string":
        literal_suffix(r)
        expect(position == "o")
        return None
    return named(r, kind, value)


def named(r: Reader, kind: str, value: str):
    """An IRI or prefixed name; None (any) when it cannot be read exactly here (a relative IRI:
    the engine resolves it against a base)."""
    if kind == "iri":
        iri = value[1:-1]
    else:
        expect(not value.endswith("."))  # "ex:a." is ex:a and a full stop
        prefix, _, local = value.partition(":")
        namespace = r.prefixes.get(prefix)
        iri = None if namespace is None else namespace + local
    if iri is None or not ABSOLUTE.match(iri):
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def literal_suffix(r: Reader) -> None:
    """A literal's language tag (@en, @en-GB) or datatype (^^iri); nothing else follows a string."""
    if r.mark("@"):
        expect(r.take()[0] == "word")
        while r.mark("-"):
            expect(r.take()[0] == "word")
    elif r.peek() == ("other", "^") and r.peek(1) == ("other", "^"):
        r.i += 2
        expect(r.take()[0] in ("iri", "pname"))


def group(r: Reader) -> tuple[tuple, object]:
    """``{ [GRAPH g {] s p o [.] [}] }`` or ``{}``: the pattern and its graph."""
    expect(r.mark("{"))
    graph, names = None, []
    if r.word("GRAPH"):
        kind, value = r.take()
        expect(kind in ("iri", "pname", "var"))
        if kind == "var":
            graph = "any"
            names.append("?" + value[1:])
        else:
            graph = named(r, kind, value) or "any"
        expect(r.mark("{"))
    if graph is None and r.mark("}"):
        return (), None  # an empty group: one solution, no data read
    pattern = (term(r, "s"), term(r, "p"), term(r, "o"))
    r.mark(".")
    expect(r.mark("}") and (graph is None or r.mark("}")))
    names += [t for t in pattern if isinstance(t, str)]
    expect(len(names) == len(set(names)))
    return pattern, graph


def modifiers(r: Reader) -> int | None:
    """LIMIT and OFFSET with plain numbers, in either order, nothing after them: LIMIT + OFFSET
    when there is a LIMIT, else None."""
    numbers: dict[str, int] = {}
    while r.peek()[0] == "word" and r.peek()[1].upper() in ("LIMIT", "OFFSET"):
        word = r.take()[1].upper()
        digits = ""
        while r.peek()[0] == "other" and r.peek()[1].isdigit():
            digits += r.take()[1]
        expect(bool(digits) and word not in numbers)
        numbers[word] = int(digits)
    expect(r.peek()[0] == "end")
    return numbers["LIMIT"] + numbers.get("OFFSET", 0) if "LIMIT" in numbers else None


def shape_of(text: str) -> Shape | None:
    """The query's shape, or None; a short query's is kept among the last few read."""
    return cached_shape(text) if len(text) <= guard.LEXED_CACHED_UP_TO else uncached_shape(text)


def uncached_shape(text: str) -> Shape | None:
    try:
        return read_shape(text)
    except NotBounded:
        return None


cached_shape = functools.lru_cache(maxsize=64)(uncached_shape)


def read_shape(text: str) -> Shape:
    """The query's shape, or NotBounded."""
    expect("\\u" not in text and "\\U" not in text)  # the engine decodes these before it reads the query
    r = Reader(text)
    prologue(r)
    if r.word("ASK"):
        r.word("WHERE")
        pattern, graph = group(r)
        expect(r.peek()[0] == "end")
        exact = None not in pattern and (graph is None or isinstance(graph, ox.NamedNode))
        return Shape("ASK", pattern, graph, exact=exact)
    if r.word("DESCRIBE"):
        described = []
        while r.peek()[0] in ("iri", "pname"):
            described.append(named(r, *r.take()))
        expect(bool(described) and all(described) and r.peek()[0] == "end")
        return Shape("DESCRIBE", described=tuple(described))
    expect(r.word("SELECT"))
    distinct = r.word("DISTINCT", "REDUCED")
    if not r.mark("*"):
        expect(r.peek()[0] == "var")
        while r.peek()[0] == "var":
            r.take()
    r.word("WHERE")
    pattern, graph = group(r)
    return Shape("SELECT", pattern, graph, distinct=distinct, reads=modifiers(r))


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


def runs_here(store: ox.Store, query: str, has_dataset: bool) -> bool:
    """Whether the query is bounded by its shape (and, but for an ASK, by its matches in the store)."""
    if has_dataset:
        return False
    shape = shape_of(query)
    return shape is not None and (shape.form == "ASK" or matches_at_most(store, shape, MATCHES_HERE))


class Decider:
    """`runs_here` for one store, remembered for the last few query texts: the served data never
    changes, so neither does the answer (and a client often sends the same query again)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.remembered = functools.lru_cache(maxsize=256)(self.decide)

    def decide(self, query: str) -> bool:
        return runs_here(self.store, query, has_dataset=False)

    def __call__(self, query: str, has_dataset: bool) -> bool:
        if has_dataset:
            return False
        return self.remembered(query) if len(query) <= guard.LEXED_CACHED_UP_TO else self.decide(query)


def ask_by_lookup(store: ox.Store, query: str):
    """An ASK of at most one triple pattern, in the default graph or one named graph, every term
    read exactly: its answer (the engine's QueryBoolean) from one lookup in the store's indexes,
    without the engine's set-up for each query, which is most of what such an ASK costs. None
    for any other query (the engine answers it). The caller has checked the query and that the
    request names no dataset (engine.prepare)."""
    shape = shape_of(query)
    if shape is None or shape.form != "ASK" or not shape.exact:
        return None
    if not shape.pattern:
        return formats.ask_answer(True)
    s, p, o = (t if isinstance(t, ox.NamedNode) else None for t in shape.pattern)
    graph = ox.DefaultGraph() if shape.graph is None else shape.graph
    return formats.ask_answer(next(iter(store.quads_for_pattern(s, p, o, graph)), None) is not None)
