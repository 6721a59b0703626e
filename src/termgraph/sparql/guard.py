"""The lexer and the checks of a query's text before it runs: refuse updates, SERVICE and queries
too complex for the engine, and find the form and the FROM / FROM NAMED graphs. sparql/query.py
reads each query once with these (`read`), into the Query every later step uses.

SERVICE is refused from a real SPARQL parser's view of the query (rdflib's), never from a lexer
of our own: a query whose text holds the word "service" (after \\u escapes are decoded) is parsed,
and refused if the parse tree holds a SERVICE pattern or if the parser cannot read it. This is
the polite first layer; the guarantee is the workers' sandbox (executor/sandbox.py), which leaves them
unable to open a network connection whatever the query says.

The form and the FROM graphs come from a small lexer that skips comments, strings and IRIs;
they shape the dataset and messages, and decide nothing about safety.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from termgraph.errors import ForbiddenQuery, QueryTooComplex

# The lexer reads each character a bounded number of times, whatever the text (it runs on the
# server's event loop, before any size check or time limit): a name is read as one run of name
# characters, split into words only when no ':' follows it (then no prefixed name can start
# anywhere inside it), and a quote that opens no string is remembered, so that the quotes inside
# the span it read (every one of them escaped, so each would read on to the same end) are not
# read again. It gives the tokens a plain regular expression of the same alternatives would
# (tests/test_guard_linear.py compares them), without that expression's rescans.
TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<run>[A-Za-z][\w.-]*+)(?P<pname>:[\w.%:-]*+)?
  | (?P<colon>:[\w.%:-]*+)
  | (?P<word>[A-Za-z_]\w*+)
  | (?P<var>[?$]\w++)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
RUN_PART = re.compile(r"(?P<word>[A-Za-z_]\w*+)|(?P<other>.)", re.DOTALL)
# What a string's opening quote reads up to (possessive: every alternative starts differently, so
# nothing is read twice); the string is closed when its closing quote follows.
LONG_STRING = {q: re.compile(q * 3 + rf"(?:[^{q}\\]|\\.|{q}(?!{q}{q}))*+", re.DOTALL) for q in "\"'"}
SHORT_STRING = {q: re.compile(q + rf"(?:[^{q}\\\n]|\\.)*+", re.DOTALL) for q in "\"'"}

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORM_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class QueryShape:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None when no form was found
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


LEXED_CACHED_UP_TO = 4096  # characters: a query this short is lexed once however often it is read


def tokens(text: str) -> tuple[tuple[str, str], ...]:
    """The query's tokens (kind, text), comments and white space left out. A request's query is
    read by several checks (and a client often sends the same one again): a short one is lexed
    once and kept among the last few."""
    return lexed(text) if len(text) <= LEXED_CACHED_UP_TO else scan(text)


@functools.lru_cache(maxsize=64)
def lexed(text: str) -> tuple[tuple[str, str], ...]:
    return scan(text)


def scan(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(piece for piece in pieces(text) if piece[0] not in ("ws", "comment"))


def pieces(text: str) -> list[tuple[str, str]]:
    """Every token, white space and comments included: joined, they are the text."""
    out: list[tuple[str, str]] = []
    unclosed = {("long", '"'): -1, ("long", "'"): -1, ("short", '"'): -1, ("short", "'"): -1}
    pos, n = 0, len(text)
    while pos < n:
        char = text[pos]
        if char in "\"'":
            end = string_end(text, pos, char, unclosed)
            if end:
                out.append(("string", text[pos:end]))
                pos = end
                continue
            out.append(("other", char))
            pos += 1
            continue
        m = TOKEN.match(text, pos)
        kind = m.lastgroup
        if kind == "pname":
            out.append(("pname", m.group()))
        elif kind == "run":  # no ':' after it: its words and punctuation
            out.extend((part.lastgroup, part.group()) for part in RUN_PART.finditer(text, pos, m.end()))
        elif kind == "colon":
            out.append(("pname", m.group()))
        else:
            out.append((kind, m.group()))
        pos = m.end()
    return out


def without_dataset(text: str) -> str:
    """The query without its FROM and FROM NAMED clauses (read with the lexer, so a "FROM" inside a
    string, an IRI or a comment stays). For a store that is sent the dataset as protocol
    parameters, which must then be the whole dataset (SPARQL 1.1 Protocol §2.1.4)."""
    out, parts, i = [], pieces(text), 0
    while i < len(parts):
        kind, value = parts[i]
        if kind == "word" and value.upper() == "FROM":
            j = next_token(parts, i + 1)
            if j < len(parts) and parts[j][0] == "word" and parts[j][1].upper() == "NAMED":
                j = next_token(parts, j + 1)
            if j < len(parts) and parts[j][0] in ("iri", "pname"):
                i = j + 1
                continue
        out.append(value)
        i += 1
    return "".join(out)


def next_token(parts: list[tuple[str, str]], i: int) -> int:
    while i < len(parts) and parts[i][0] in ("ws", "comment"):
        i += 1
    return i


def string_end(text: str, pos: int, quote: str, unclosed: dict) -> int:
    """Where the string opened at `pos` ends, or 0 if the quote opens none. A quote inside the
    span an unclosed string of its kind read is escaped there, so it opens none either."""
    if text.startswith(quote * 3, pos) and pos >= unclosed["long", quote]:
        end = LONG_STRING[quote].match(text, pos).end()
        if text.startswith(quote * 3, end):
            return end + 3
        unclosed["long", quote] = end
    if pos >= unclosed["short", quote]:
        end = SHORT_STRING[quote].match(text, pos).end()
        if text.startswith(quote, end):
            return end + 1
        unclosed["short", quote] = end
    return 0


def expand(kind: str, value: str, prefixes: dict[str, str], base: str) -> str:
    if kind == "iri":
        iri = unescape(value[1:-1])  # (the engine decodes \u escapes in IRIs)
        return iri if re.match(r"^[A-Za-z][\w+.-]*:", iri) else base + iri
    prefix, _, local = value.partition(":")
    return prefixes.get(prefix, prefix + ":") + local


def find_shape(text: str, predeclared: tuple[tuple[str, str], ...]) -> QueryShape:
    """The query form and FROM graphs; ForbiddenQuery for an update. Called once per query, by
    sparql/query.py (`read`), with the prefixes predeclared as (prefix, IRI) items."""
    toks = tokens(text)
    prefixes: dict[str, str] = dict(predeclared)
    base, form = "", None
    graphs: dict[bool, list[str]] = {False: [], True: []}  # FROM, FROM NAMED
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
        elif word in UPDATE_WORDS and form is None:
            raise ForbiddenQuery(f"{word} is an update: this endpoint is read-only and accepts queries only")
        elif word in FORM_WORDS and form is None:
            form = word
        elif word == "FROM" and i + 1 < len(toks):
            named = toks[i + 1][1].upper() == "NAMED"
            kind2, value2 = toks[i + 2] if named and i + 2 < len(toks) else toks[i + 1]
            if kind2 in ("iri", "pname"):
                graphs[named].append(expand(kind2, value2, prefixes, base))
        i += 1
    return QueryShape(form, tuple(graphs[False]), tuple(graphs[True]))


ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
SERVICE_REFUSED = "SERVICE is not allowed: this endpoint never contacts other services"


def unescape(text: str) -> str:
    """Decode SPARQL's \\uXXXX and \\UXXXXXXXX escapes (the engine accepts them in IRIs)."""
    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    return ESCAPE.sub(char, text)


def as_the_engine_reads(text: str) -> str:
    """The query as Oxigraph reads it, spelled so that rdflib reads the same: Oxigraph decodes
    \\u escapes only inside IRIs and strings, where rdflib decodes them over the whole text
    (so `"\\u0022"` is one string to Oxigraph and the start of a long one to rdflib). Here each
    IRI's and string's escapes are decoded and the string written again with only the escapes
    rdflib leaves alone; comments go; every other token is kept as it is, its backslashes
    doubled out of any \\u reading (Oxigraph would refuse such a query: so must the check)."""
    out = []
    for kind, value in pieces(text.replace("\r\n", "\n").replace("\r", "\n")):  # (CR ends a comment too)
        if kind == "iri":
            out.append("<" + unescape(value[1:-1]) + ">")
        elif kind == "string":
            out.append(respelled(value))
        elif kind == "comment":
            out.append(" ")
        else:
            out.append(value.replace("\\", "\\\\") if "\\" in value else value)
    return "".join(out)


ECHAR = re.compile(r"\\([tbnrf\"'\\])|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
ECHAR_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def respelled(literal: str) -> str:
    """A string token as a plain "…" string with its value unchanged: ECHAR and \\u escapes
    decoded (as the engine does), then every quote, backslash and line break escaped again."""
    quote = 3 if literal[:3] in ('"""', "'''") else 1
    body = literal[quote:-quote]

    def char(m: re.Match) -> str:
        if m.group(1):
            return ECHAR_CHARS[m.group(1)]
        code = int(m.group(2) or m.group(3), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    value = ECHAR.sub(char, body)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def refuse_service(text: str) -> None:
    """Raise ForbiddenQuery when the parsed query holds a SERVICE pattern, or when a query that
    mentions the word cannot be parsed (it is then refused rather than run unchecked). The
    parser reads the query as the engine would (`as_the_engine_reads`)."""
    if "service" not in unescape(text).lower():
        return  # no spelling of the keyword is possible without these letters
    try:
        from rdflib.plugins.sparql.parser import parseQuery
        tree = parseQuery(as_the_engine_reads(text))
    except Exception:  # a parse error, or RecursionError on deep nesting
        raise ForbiddenQuery(f"{SERVICE_REFUSED}; this query mentions SERVICE and the check could not "
                             "read it (remove the word, or fix the query's syntax)") from None
    if has_service(tree):
        raise ForbiddenQuery(SERVICE_REFUSED)


def has_service(tree) -> bool:
    """Walk rdflib's parse tree (CompValue / ParseResults / lists) for a ServiceGraphPattern."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))
    return False


MAX_DEPTH = 128  # nested { ( [ : deeper nesting overflows the engine's stack
MAX_PARTS = 400  # triple patterns and clauses: a chain of ~1,000 patterns overflows it
PART_WORDS = {"BIND", "UNION", "OPTIONAL", "MINUS", "FILTER", "VALUES", "GRAPH", "SELECT", "SERVICE"}


def check_complexity(text: str) -> None:
    """Refuse (400) a query nested too deeply or with too many parts for the engine to run
    safely; everything is counted outside strings, IRIs and comments."""
    depth = deepest = parts = parens = 0
    for kind, value in tokens(text):
        if value in "{([" and kind == "other":
            depth += 1
            parens += value == "("
            deepest = max(deepest, depth)
        elif value in "})]" and kind == "other":
            depth -= 1
            parens -= value == ")"
        elif (kind == "other" and value in ".;") or (kind == "other" and value == "," and parens <= 0) \
                or (kind == "word" and value.upper() in PART_WORDS):
            parts += 1
    if deepest > MAX_DEPTH:
        raise QueryTooComplex(f"the query nests {deepest} levels deep; at most {MAX_DEPTH} are allowed")
    if parts > MAX_PARTS:
        raise QueryTooComplex(f"the query has about {parts} patterns and clauses; at most {MAX_PARTS} are "
                              "allowed (split it, or use VALUES for long lists)")


def check_graphs(shape: QueryShape, known: set[str]) -> None:
    """FROM / FROM NAMED may only name graphs of the dataset: nothing is fetched from outside."""
    for iri in shape.from_graphs + shape.from_named:
        if iri not in known:
            raise ForbiddenQuery(
                f"FROM <{iri}>: no such graph in this dataset (graphs are never fetched from elsewhere; "
                "GET /sparql lists the named graphs)"
            )
