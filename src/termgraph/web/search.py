"""Find terms, systems, organisations and sources by any of their names: labels, alternative
labels (curated or given by a source), titles and short titles of sources."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from termgraph.web import page_queries as queries
from termgraph.web import views

KIND_ORDER = {"concept": 0, "system": 1, "org": 2, "source": 3}


@dataclass
class Hit:
    iri: str
    label: str
    kind: str
    matched: str  # the name that matched
    how: str  # "name", "also called", "called so by CSET", ...
    rank: int


def index(store: ox.Store, cache: dict) -> list[tuple[str, str, str]]:
    """(IRI, name, how) for every name of every findable thing."""
    if "search" not in cache:
        who = views.names(store, cache)
        rows = set()
        for r in queries.search_names(store):
            how = r["how"].value
            if r["source"] is not None:
                how = f"called so by {who.label(r['source'].value)}"
            rows.add((r["x"].value, r["name"].value, how))
        cache["search"] = sorted(rows)
    return cache["search"]


def rank(query: str, name: str) -> int | None:
    q, n = query.casefold(), name.casefold()
    if n == q:
        return 0
    if n.startswith(q):
        return 1
    if any(word.startswith(q) for word in n.replace("-", " ").split()):
        return 2
    return 3 if q in n else None


def search(store: ox.Store, cache: dict, query: str, limit: int = 50) -> list[Hit]:
    query = " ".join(query.split())
    if not query:
        return []
    who = views.names(store, cache)
    best: dict[str, Hit] = {}
    for iri, name, how in index(store, cache):
        r = rank(query, name)
        if r is None:
            continue
        hit = Hit(iri, who.label(iri), who.kind(iri) or "", name, how, r)
        old = best.get(iri)
        if old is None or (hit.rank, hit.how != "name") < (old.rank, old.how != "name"):
            best[iri] = hit
    ordered = sorted(best.values(), key=lambda h: (h.rank, KIND_ORDER.get(h.kind, 9), h.label.casefold()))
    return ordered[:limit]
