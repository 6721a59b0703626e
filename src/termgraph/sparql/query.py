"""Read a query once, into one immutable shape (Query) that the route computes and the job carries.

`read(text)` does every check a query's text needs before it may run, in one pass over it: not
empty, not nested too deeply or too long (guard.check_complexity), no update; and finds what the
rest of termgraph needs to know: the
form (which decides the result formats on offer), the FROM / FROM NAMED graphs (the dataset), and
whether the text bounds the query's cost (`bounded`: the shapes executor/bounded.py runs in the
server's own process). guard.py is the lexer and the checks; the grammar of the bounded shapes is
below. The executor never reads the text again: it runs the Query. One check is left to it: a
query that mentions SERVICE is parsed with a real SPARQL parser (guard.refuse_service) by the
worker, in its sandbox (`service_pending`), never on the server's event loop.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyoxigraph as ox

from termgraph.errors import QuerySyntaxError
from termgraph.namespaces import RDF
from termgraph.sparql import guard


@dataclass(frozen=True)
class Query:
    text: str
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK (SELECT when the text names none: the engine then says why)
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()  # predeclared (the Python API's and `termgraph query`'s; none at /sparql)
    bounded: "Shape | None" = None  # the shape, when the text bounds the query's cost
    service_pending: bool = False  # the text mentions SERVICE: the executor parses it before it runs


CACHED_UP_TO = 4096  # characters: a query this short is read once however often it is sent


def read(text: str, prefixes: tuple[tuple[str, str], ...] = (), screen_service: bool = True) -> Query:
    """The query, read and checked: QuerySyntaxError, QueryTooComplex or ForbiddenQuery if it may
    not run. `screen_service=False` leaves the SERVICE check out (only the sandbox's own tests do)."""
    if len(text) <= CACHED_UP_TO:
        return read_cached(text, prefixes, screen_service)
    return read_text(text, prefixes, screen_service)


def read_text(text: str, prefixes: tuple[tuple[str, str], ...], screen_service: bool) -> Query:
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    guard.check_complexity(text)
    pending = screen_service and "service" in guard.unescape(text).lower()
    shape = guard.find_shape(text, prefixes)
    return Query(text, shape.form or "SELECT", shape.from_graphs, shape.from_named, prefixes,
                 None if pending else bounded_shape(text), pending)


read_cached = functools.lru_cache(maxsize=64)(read_text)  # a Query is immutable: shared safely


# --- the bounded shapes (which ones run where: executor/bounded.py) --------------------------------

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


def bounded_shape(text: str) -> Shape | None:
    """The query's shape when it is one of the bounded shapes, else None."""
    try:
        return read_shape(text)
    except NotBounded:
        return None


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
