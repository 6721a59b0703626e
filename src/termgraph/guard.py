"""Read the shape of a SPARQL request before it runs: refuse updates, SERVICE and LOAD, and find
the FROM / FROM NAMED graphs, without a full parse (the engine parses the query itself).

The lexer skips comments, string literals and IRIs, so a keyword inside a string or an IRI
is never mistaken for one in the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ForbiddenQuery

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<pname>[A-Za-z][\w.-]*?:[\w.%:-]*|:[\w.%:-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<var>[?$]\w+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORM_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass
class QueryShape:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None when no form was found
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)


def tokens(text: str):
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, m.group()


def expand(kind: str, value: str, prefixes: dict[str, str], base: str) -> str:
    if kind == "iri":
        iri = value[1:-1]
        return iri if re.match(r"^[A-Za-z][\w+.-]*:", iri) else base + iri
    prefix, _, local = value.partition(":")
    return prefixes.get(prefix, prefix + ":") + local


def inspect(text: str, predeclared: dict[str, str] | None = None) -> QueryShape:
    """Find the query form and FROM graphs; raise ForbiddenQuery for updates, SERVICE, LOAD."""
    toks = list(tokens(text))
    prefixes: dict[str, str] = dict(predeclared or {})
    base = ""
    shape = QueryShape(form=None)
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        word = value.upper() if kind == "word" else None
        if word == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1][1].rstrip(":")] = expand(*toks[i + 2], prefixes, base)
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks):
            base = expand(*toks[i + 1], prefixes, base)
        elif word == "SERVICE":
            raise ForbiddenQuery("SERVICE is not allowed: this endpoint never contacts other services")
        elif word in UPDATE_WORDS and shape.form is None:
            raise ForbiddenQuery(f"{word} is an update: this endpoint is read-only and accepts queries only")
        elif word in FORM_WORDS and shape.form is None:
            shape.form = word
        elif word == "FROM" and i + 1 < len(toks):
            named = toks[i + 1][1].upper() == "NAMED"
            kind2, value2 = toks[i + 2] if named and i + 2 < len(toks) else toks[i + 1]
            if kind2 in ("iri", "pname"):
                (shape.from_named if named else shape.from_graphs).append(expand(kind2, value2, prefixes, base))
        i += 1
    return shape


def check_graphs(shape: QueryShape, known: set[str]) -> None:
    """FROM / FROM NAMED may only name graphs of the dataset: nothing is fetched from outside."""
    for iri in shape.from_graphs + shape.from_named:
        if iri not in known:
            raise ForbiddenQuery(
                f"FROM <{iri}>: no such graph in this dataset (graphs are never fetched from elsewhere; "
                "GET /sparql lists the named graphs)"
            )
