"""Run SPARQL queries on the dataset with pyoxigraph, within its dataset rules.

The default graph is the store's own default graph, which termgraph builds at load (see
termgraph.graph.derive: no statement a source disputes is a plain triple there), unless the
request names its own dataset (FROM / FROM NAMED in the query, or default-graph-uri /
named-graph-uri in the protocol, which win): then the default graph is the merge of the graphs
named for it, empty when only named graphs are named. With no dataset named, every named graph
stays reachable with GRAPH.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.executor import bounded
from termgraph.sparql import guard
from termgraph.sparql.query import Query
from termgraph.sparql.protocol import Dataset
from termgraph.errors import ForbiddenQuery, QuerySyntaxError


@dataclass
class Result:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    value: object  # QuerySolutions, QueryBoolean or QueryTriples


def known_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def query_options(query: Query, dataset: Dataset, union_default: bool) -> dict:
    """The pyoxigraph options for the dataset (SPARQL 1.1 Query §13.2, Protocol §2.1.4).

    A protocol dataset (default-graph-uri / named-graph-uri) replaces the query's FROM / FROM
    NAMED as a whole; a dataset that names only named graphs has an empty default graph, and
    one that names only default graphs has no named graphs. With no dataset named anywhere, the
    store's default graph (or the union of the graphs, `union_default`) and every named graph."""
    if dataset.given():
        default, named = dataset.default_graph_uris, dataset.named_graph_uris
    elif query.from_graphs or query.from_named:
        default, named = query.from_graphs, query.from_named
    else:
        return {"use_default_graph_as_union": union_default}
    return {"default_graph": [ox.NamedNode(g) for g in default],
            "named_graphs": [ox.NamedNode(g) for g in named]}


def prepare(store: ox.Store, query: Query, dataset: Dataset, union_default: bool = False,
            known: set[str] | None = None) -> dict:
    """The pyoxigraph options of a query read and checked already (sparql/query.py); FROM and
    FROM NAMED may name only graphs of the dataset, and a query that mentions SERVICE is parsed to
    refuse one (ForbiddenQuery): here, in the worker's sandbox, not on the server's event loop."""
    if query.service_pending:
        guard.refuse_service(query.text)
    guard.check_graphs(query, known_graphs(store) if known is None else known)
    # default-graph-uri / named-graph-uri naming a graph the dataset lacks: an empty graph
    # (nothing is ever fetched), as the W3C protocol tests expect.
    options = query_options(query, dataset, union_default)
    if query.prefixes:
        options["prefixes"] = dict(query.prefixes)
    return options


def run(store: ox.Store, query: Query, dataset: Dataset = Dataset(), union_default: bool = False,
        base_iri: str | None = None, known: set[str] | None = None) -> Result:
    """Run a read-only query, read by sparql.query.read (which predeclares its prefixes). Raises
    QuerySyntaxError or ForbiddenQuery with a clear message."""
    options = prepare(store, query, dataset, union_default, known)
    if query.form == "ASK" and not dataset.given() and not union_default:
        found = bounded.ask_by_lookup(store, query)
        if found is not None:
            return Result("ASK", found)
    if base_iri:
        options["base_iri"] = base_iri
    try:
        value = store.query(query.text, **options)
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(query.text, str(exc), dict(query.prefixes))) from None
    except OSError:  # the sandbox refused a socket (or the engine failed to open one)
        raise ForbiddenQuery(guard.SERVICE_REFUSED) from None
    form = query.form
    if isinstance(value, ox.QueryBoolean):
        form = "ASK"
    elif isinstance(value, ox.QuerySolutions):
        form = "SELECT"
    elif form not in ("CONSTRUCT", "DESCRIBE"):
        form = "CONSTRUCT"
    return Result(form, value)


POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def undeclared_prefixes(text: str, predeclared: dict[str, str] | None = None) -> list[str]:
    """Prefixes the query uses (prefix:local) but neither declares nor has predeclared."""
    toks = list(guard.tokens(text))
    declared = set(predeclared or ())
    declared |= {toks[i + 1][1].rstrip(":") for i, (k, v) in enumerate(toks[:-1])
                 if k == "word" and v.upper() == "PREFIX"}
    used = [v.split(":", 1)[0] for k, v in toks if k == "pname"]
    return sorted({p for p in used if p not in declared}, key=used.index)


def first_word(text: str) -> tuple[str, str] | None:
    """The query's first token after its prologue (PREFIX p: <iri>, BASE <iri>), or None."""
    toks = list(guard.tokens(text))
    i = 0
    while i < len(toks) and toks[i][0] == "word" and toks[i][1].upper() in ("PREFIX", "BASE"):
        i += 3 if toks[i][1].upper() == "PREFIX" else 2
    return toks[i] if i < len(toks) else None


def form_problem(text: str) -> str | None:
    """'not a query form: SELEC …' when the query does not begin with one of the four forms."""
    first = first_word(text)
    if first is None or (first[0] == "word" and first[1].upper() in guard.FORM_WORDS):
        return None
    return (f"not a query form: {first[1]}; a query begins with SELECT, CONSTRUCT, ASK or DESCRIBE "
            "(after any PREFIX and BASE lines)")


def declared(text: str, prefixes: dict[str, str] | None = None) -> str:
    """The query with a PREFIX line for each predeclared prefix it uses without declaring it (for a
    store elsewhere, which knows none of termgraph's prefixes); unchanged when it needs none."""
    prefixes = ns.PREFIXES if prefixes is None else prefixes
    needed = [p for p in undeclared_prefixes(text) if p in prefixes]
    return "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in needed) + text


def syntax_message(text: str, message: str, prefixes: dict[str, str] | None = None) -> str:
    """The engine's syntax error as one readable line: where, what, and for a prefix the fix."""
    wrong_form = form_problem(text)
    if wrong_form:
        return "SPARQL syntax error: " + wrong_form
    unknown = undeclared_prefixes(text, prefixes)
    if "Prefix not found" in message and unknown:
        known = f" (predeclared: {', '.join(sorted(prefixes))})" if prefixes else ""
        return (f"SPARQL syntax error: unknown prefix '{unknown[0]}:'; declare it with "
                f"PREFIX {unknown[0]}: <…>{known}")
    found = POSITION.match(message)
    if not found:
        return "SPARQL syntax error: " + " ".join(message.split())
    line, column, what = int(found[1]), int(found[2]), " ".join(found[3].split())
    if len(what) > 90:
        what = what[:90].rsplit(",", 1)[0] + ", …"
    source_line = (text.splitlines() or [""])[min(line, len(text.splitlines() or [""])) - 1]
    near = source_line[max(0, column - 16):column + 14].strip()
    return f"SPARQL syntax error at line {line}, column {column}: {what}" + (f" (near '{near}')" if near else "")
