"""Check every claim's quote against the text of its source: verbatim, and unambiguous."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns

QUOTES_QUERY = ns.sparql_prefixes() + """
SELECT ?claim ?id ?exact ?prefix ?suffix WHERE {
  ?claim a tg:Claim ; prov:wasDerivedFrom ?source ; tg:evidence ?ev .
  ?source dcterms:identifier ?id .
  ?ev oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:exact ?exact .
  OPTIONAL { ?sel oa:prefix ?prefix }
  OPTIONAL { ?sel oa:suffix ?suffix }
}
ORDER BY ?claim
"""


@dataclass(frozen=True)
class Quote:
    claim: str
    source_file: str
    exact: str
    prefix: str
    suffix: str


def quotes(store: ox.Store) -> list[Quote]:
    text = lambda t: t.value if t is not None else ""  # noqa: E731
    return [
        Quote(r["claim"].value, r["id"].value, r["exact"].value, text(r["prefix"]), text(r["suffix"]))
        for r in store.query(QUOTES_QUERY, use_default_graph_as_union=True)
    ]


def problem(quote: Quote, source_text: str) -> str | None:
    """None when the quote is fine; otherwise what is wrong with it."""
    if quote.exact not in source_text:
        return f"{quote.claim}: not a verbatim substring of {quote.source_file}: {quote.exact[:70]!r}"
    where = quote.prefix + quote.exact + quote.suffix
    if where not in source_text:
        return f"{quote.claim}: prefix/suffix do not match the text around the quote"
    if source_text.count(where) > 1:
        return f"{quote.claim}: the quote occurs {source_text.count(where)} times; add oa:prefix/oa:suffix"
    return None


def check_quotes(store: ox.Store, seeds: Path) -> list[str]:
    texts: dict[str, str] = {}
    problems = []
    for q in quotes(store):
        if q.source_file not in texts:
            texts[q.source_file] = (seeds / q.source_file).read_text(encoding="utf-8")
        found = problem(q, texts[q.source_file])
        if found:
            problems.append(found)
    return problems
