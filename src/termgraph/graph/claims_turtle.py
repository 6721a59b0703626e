"""Generate data/claims/NNN.ttl from data/claims/NNN.csv: the same bytes for the same table.

Each claim is an rdf:Statement-style tg:Claim; its evidence and selector are IRIs under the
claim's IRI (`…/claim/NNN-MMM#evidence`, `#selector`), never blank nodes.
"""

from __future__ import annotations

from pathlib import Path

from termgraph import namespaces as ns
from termgraph.graph import curated_disagreements
from termgraph.graph.claims_table import Claim, Problem, read_table
from termgraph.graph.claims_vocab import Vocabulary
from termgraph.graph.turtle_terms import USED_PREFIXES, iri, string  # noqa: F401 - (iri, string: also this module's names)


def header(csv_name: str) -> str:
    lines = [f"# generated from {csv_name} — edit the CSV, then run: termgraph claims generate", ""]
    lines += [f"@prefix {p}: <{ns.PREFIXES[p]}> ." for p in USED_PREFIXES]
    return "\n".join(lines) + "\n"


def claim_block(c: Claim) -> str:
    obj = f"{string(c.object)}@{c.lang}" if c.literal else iri(c.object)
    lines = [f"{iri(c.iri)} a tg:Claim ;", f"    rdf:subject {iri(c.subject)} ;",
             f"    rdf:predicate {iri(c.predicate)} ;", f"    rdf:object {obj} ;",
             f"    tg:stance {iri(c.stance)} ;"]
    if c.qualification:
        lines.append(f"    tg:qualification {iri(c.qualification)} ;")
    if c.note:
        lines.append(f"    skos:editorialNote {string(c.note)}@en ;")
    lines += [f"    prov:wasDerivedFrom {iri(c.source)} ;", f"    tg:evidence <{c.iri}#evidence> .", "",
              f"<{c.iri}#evidence> a oa:SpecificResource ;", f"    oa:hasSource {iri(c.source)} ;",
              f"    oa:hasSelector <{c.iri}#selector> .", "",
              f"<{c.iri}#selector> a oa:TextQuoteSelector ;", f"    oa:exact {string(c.quote)}"]
    for name, value in (("prefix", c.prefix), ("suffix", c.suffix)):
        if value:
            lines[-1] += " ;"
            lines.append(f"    oa:{name} {string(value)}")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def render(claims: list[Claim], csv_name: str) -> str:
    """The Turtle for one table's claims, in the table's order."""
    return header(csv_name) + "".join("\n" + claim_block(c) for c in claims)


def generate(csv_path: Path, vocab: Vocabulary, display: str | None = None) -> tuple[str | None, list[Problem]]:
    """(Turtle text, problems) for one table; no text when the table has a problem."""
    display = display or f"data/claims/{csv_path.name}"
    claims, problems = read_table(csv_path, vocab, display)
    return (None if problems else render(claims, display)), problems


def tables(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data" / "claims").glob("*.csv") if p.stem.isdigit())


def generated(root: Path, vocab: Vocabulary) -> tuple[dict[Path, str], list[Problem]]:
    """{Turtle path: the text its table generates} for every table without a problem (the claims
    tables, and the curated disagreements' table, which names claims), and the problems."""
    texts, problems, claims = {}, [], []
    for table in tables(root):
        display = f"data/claims/{table.name}"
        found_claims, found = read_table(table, vocab, display)
        problems += found
        claims += found_claims
        if not found:
            texts[table.with_suffix(".ttl")] = render(found_claims, display)
    curated, found = curated_disagreements.generated(root, claims)
    texts.update(curated)
    return texts, problems + found


def drift(root: Path, vocab: Vocabulary) -> tuple[list[Path], list[Problem]]:
    """(Turtle files that differ from what their table generates, problems in the tables)."""
    texts, problems = generated(root, vocab)
    stale = [p for p, text in texts.items() if not p.is_file() or p.read_bytes() != text.encode("utf-8")]
    return stale, problems


def write_all(root: Path, vocab: Vocabulary) -> tuple[list[Path], list[Problem]]:
    """Regenerate every stale data/claims/NNN.ttl; when any table has a problem, write nothing."""
    stale, problems = drift(root, vocab)
    if problems:
        return [], problems
    texts, _ = generated(root, vocab)
    for path in stale:
        path.write_bytes(texts[path].encode("utf-8"))
    return stale, []
