"""Check every claim's quote against the text of its source: verbatim, and unambiguous.

A source's text is looked for in data/sources/ first (texts registered with termgraph), then in
the shared seeds folder (../shared/seeds beside the checkout); its file name is the source's
dcterms:identifier.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns

QUOTES_QUERY = ns.sparql_prefixes() + """
SELECT DISTINCT ?claim ?id ?exact ?prefix ?suffix WHERE {
  ?claim a tg:Claim ; prov:wasDerivedFrom ?source ; tg:evidence ?ev .
  ?source dcterms:identifier ?id .
  ?ev oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:exact ?exact .
  OPTIONAL { ?sel oa:prefix ?prefix }
  OPTIONAL { ?sel oa:suffix ?suffix }
}
ORDER BY ?claim
"""
# Characters a copy-and-paste often changes: curly/straight quotes, dashes, runs of spaces.
LOOKALIKES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Quote:
    claim: str
    source_file: str
    exact: str
    prefix: str
    suffix: str


def quotes(store: ox.Store, union: bool = True) -> list[Quote]:
    """Every claim's quote; `union=False` reads the store's default graph only (a loaded dataset's
    holds every claim: graph/derive.py), much faster than the union of its graphs."""
    text = lambda t: t.value if t is not None else ""  # noqa: E731
    return [
        Quote(r["claim"].value, r["id"].value, r["exact"].value, text(r["prefix"]), text(r["suffix"]))
        for r in store.query(QUOTES_QUERY, use_default_graph_as_union=union)
    ]


QUOTES_FILE = "quotes.json"  # every claim's quote, kept beside a built dataset (start-up cache, built store)


def write_file(path: Path, found: list[Quote]) -> str:
    """The quotes as a JSON list of [claim, source file, exact, prefix, suffix]; returns the
    file's SHA-256 (the manifest beside it keeps it: read_file trusts only a file that matches)."""
    data = (json.dumps([[q.claim, q.source_file, q.exact, q.prefix, q.suffix] for q in found],
                       ensure_ascii=False) + "\n").encode("utf-8")
    Path(path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path, sha256: str | None) -> list[Quote] | None:
    """The quotes write_file wrote, when the file's SHA-256 is `sha256`; None when it is absent,
    not that file, or not a list of quotes (the caller then reads them from the store)."""
    try:
        data = Path(path).read_bytes()
        if sha256 is None or hashlib.sha256(data).hexdigest() != sha256:
            return None
        return [Quote(*map(str, row)) for row in json.loads(data)]
    except (OSError, ValueError, TypeError):
        return None


def loose(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(LOOKALIKES))


def quote_problem(exact: str, prefix: str, suffix: str, text: str, source_file: str) -> tuple[str, str] | None:
    """None when the quote is fine; otherwise (the column to fix, what is wrong and how to fix it)."""
    if exact not in text:
        hint = ("the text has other quote marks, dashes or spaces here: copy the passage from the text"
                if loose(exact) in loose(text) else "copy the passage exactly as the text has it")
        return "quote", f"not a verbatim substring of {source_file} ({hint}): {exact[:70]!r}"
    where = prefix + exact + suffix
    if where not in text:
        column = "prefix" if prefix + exact not in text else "suffix"
        return column, f"{column} does not match the text next to the quote in {source_file}"
    if text.count(where) > 1:
        return "prefix", (f"the quote occurs {text.count(where)} times in {source_file}; add the text just "
                          "before it (prefix) or after it (suffix) so that it occurs once")
    return None


def problem(quote: Quote, source_text: str) -> str | None:
    """None when the quote is fine; otherwise what is wrong with it, naming the claim."""
    found = quote_problem(quote.exact, quote.prefix, quote.suffix, source_text, quote.source_file)
    return f"{quote.claim}: {found[1]}" if found else None


def find_text(identifier: str, places: list[Path]) -> Path | None:
    """The first of places/identifier that exists (data/sources/ before the seeds folder)."""
    return next((place / identifier for place in places if (place / identifier).is_file()), None)


def sha_problem(path: Path, expected: str | None) -> str | None:
    if not expected:
        return None
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual == expected.lower():
        return None
    return f"{path.name} has changed since it was registered (SHA-256 {actual[:16]}…, expected {expected[:16]}…)"


def check_quotes(store: ox.Store, seeds: Path, sources: Path | None = None,
                 found: list[Quote] | None = None) -> list[str]:
    """What is wrong with each quote (`found`, else every quote in the store) against its text."""
    places = [p for p in (sources, seeds) if p is not None]
    texts: dict[str, str | None] = {}
    problems = []
    for q in quotes(store) if found is None else found:
        if q.source_file not in texts:
            path = find_text(q.source_file, places)
            texts[q.source_file] = path.read_text(encoding="utf-8") if path else None
        found = problem(q, texts[q.source_file]) if texts[q.source_file] is not None else None
        if found:
            problems.append(found)
    return problems
