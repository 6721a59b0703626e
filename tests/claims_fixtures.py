"""A small termgraph data folder for the claims-table tests: the real ontology, curated data and
shapes, one small claims table and one short source text in data/sources/."""

from __future__ import annotations

import shutil
from pathlib import Path

from termgraph.graph.claims_table import COLUMNS, write_table

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("Large language models (LLMs) are a type of foundation model. "
        "BERT is not generative. Models often “hallucinate”.\n"
        "Examples:\n- GPT-4\n- BERT\n")


def row(**cells) -> dict[str, str]:
    base = dict(id="000-001", subject="concept:large-language-model", predicate="rdfs:subClassOf",
                object="concept:foundation-model", stance="asserts",
                quote="Large language models (LLMs) are a type of foundation model.")
    base.update(cells)
    return {c: base.get(c, "") for c in COLUMNS}


def make_root(tmp: Path, rows: list[dict[str, str]] | None = None, text: str = TEXT) -> Path:
    """A data folder whose source 000 has the text `text` (kept in data/sources/, as registered
    texts are) and whose claims table data/claims/000.csv holds `rows`."""
    root = tmp / "root"
    for sub in ("ontology", "shapes", "data/curated"):
        shutil.copytree(ROOT / sub, root / sub)
    for name in ("disagreements.csv", "disagreements.ttl"):  # they name the project's own claims
        (root / "data/curated" / name).unlink(missing_ok=True)
    (root / "data/claims").mkdir(parents=True)
    (root / "data/sources").mkdir(parents=True)
    (root / "data/sources/000_c3058e96d281f648.txt").write_text(text, encoding="utf-8")
    write_table(root / "data/claims/000.csv", rows if rows is not None else [row()])
    return root
