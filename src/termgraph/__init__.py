"""termgraph: a knowledge graph of AI terminology, with a SPARQL endpoint.

    import termgraph
    data = termgraph.load()                       # the whole dataset (pyoxigraph store inside)
    rows = termgraph.query("SELECT ?c WHERE { ?c a tg:Concept }")   # a list of dicts
"""

from __future__ import annotations

__version__ = "0.1.0"


def load(root=None, extra_files=()):
    """Load termgraph's data (and any extra RDF files) into a queryable dataset."""
    from termgraph.build.load import load as _load
    from termgraph.settings import settings_from_env

    return _load(settings_from_env(root=root).with_(extra_files=tuple(extra_files)))


def query(text: str, data=None) -> list[dict] | bool:
    """Run a SPARQL query (termgraph's prefixes are predeclared). SELECT gives a list of dicts of
    plain Python values (IRIs and literals as strings), ASK a bool, CONSTRUCT a list of triples."""
    from termgraph.sparql import engine
    from termgraph import namespaces as ns

    data = data or load()
    result = engine.run(data.store, text, prefixes=ns.PREFIXES)
    if result.form == "ASK":
        return bool(result.value)
    if result.form == "SELECT":
        names = [v.value for v in result.value.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result.value]
    return list(result.value)
