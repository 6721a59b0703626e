"""termgraph: a knowledge graph of AI terminology, with a SPARQL endpoint.

    import termgraph
    data = termgraph.load()                    # the whole dataset (a pyoxigraph store inside)
    rows = termgraph.query("SELECT ?c ?n WHERE { ?c a tg:Concept } ORDER BY ?c", data)

`query` returns, by the query's form:

- SELECT: a list of dicts, one per row, variable name -> value (None when unbound);
- CONSTRUCT / DESCRIBE: a list of dicts {"subject", "predicate", "object"}, one per triple;
- ASK: a bool.

Values are Python values: an IRI is an `IRI` (a str), a blank node a `BlankNode` (a str), a
literal with a language tag a `LangString` (a str with `.lang`), xsd:integer (and its
subtypes) an int, xsd:decimal a Decimal, xsd:double/float a float, xsd:boolean a bool,
xsd:date a date, xsd:dateTime a datetime, xsd:string a str; any other datatype a
`TypedLiteral` (a str with `.datatype`). `query_frame` gives the same rows as a pandas
DataFrame (pandas is optional: pip install 'termgraph[pandas]').
"""

from __future__ import annotations

from termgraph.values import IRI, BlankNode, LangString, TypedLiteral  # noqa: E402
from termgraph.version import VERSION as __version__  # noqa: E402

__all__ = ["load", "query", "query_frame", "IRI", "BlankNode", "LangString", "TypedLiteral", "__version__"]


def load(root=None, extra_files=()):
    """Load termgraph's data (and any extra RDF files, each its own named graph) into a
    queryable dataset. `root`: a folder with ontology/, data/, shapes/ (default: termgraph's own)."""
    from termgraph.graph.load import load as _load
    from termgraph.settings import settings_from_env

    return _load(settings_from_env(root=root).with_(extra_files=tuple(extra_files)))


def query(text: str, data=None) -> list[dict] | bool:
    """Run a read-only SPARQL query (termgraph's prefixes tg:, concept:, skos: … are predeclared)
    on `data` (default: a fresh termgraph.load()). See the module's doc for what it returns."""
    from termgraph import namespaces as ns
    from termgraph import values
    from termgraph.executor import interface as engine
    from termgraph.sparql.query import read

    data = data if data is not None else load()
    result = engine.run(data.store, read(text, ns.PREFIX_ITEMS))
    if result.form == "ASK":
        return bool(result.value)
    if result.form == "SELECT":
        names = [v.value for v in result.value.variables]
        return [{n: values.python(row[n]) for n in names} for row in result.value]
    return [{"subject": values.python(t.subject), "predicate": values.python(t.predicate),
             "object": values.python(t.object)} for t in result.value]


def query_frame(text: str, data=None):
    """The rows of a SELECT (or the triples of a CONSTRUCT) as a pandas DataFrame, one column
    per variable, in the query's order. Needs pandas: pip install 'termgraph[pandas]'."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("termgraph.query_frame needs pandas: pip install 'termgraph[pandas]'") from None
    from termgraph import namespaces as ns
    from termgraph.executor import interface as engine
    from termgraph.sparql.query import read

    data = data if data is not None else load()
    result = engine.run(data.store, read(text, ns.PREFIX_ITEMS))
    if result.form == "ASK":
        raise TypeError("an ASK query answers with one bool: use termgraph.query")
    columns = [v.value for v in result.value.variables] if result.form == "SELECT" else \
        ["subject", "predicate", "object"]
    return pd.DataFrame(query(text, data), columns=columns)
