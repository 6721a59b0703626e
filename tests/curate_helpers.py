"""A throw-away copy of the project root (ontology, curated data, claims, shapes, the texts of the
sources added with `termgraph source add`) with the five seed texts beside it, as the real checkout
has them, for the curate tests to change. Sources 000–014 are registered, so the test article
becomes source 015."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


def project_copy(tmp: Path, seeds: Path) -> Path:
    root = tmp / "project"
    for sub in ("ontology", "shapes", "data/curated", "data/claims", "data/sources"):
        shutil.copytree(ROOT / sub, root / sub)
    (tmp / "shared").mkdir()
    (tmp / "shared" / "seeds").symlink_to(seeds)
    return root


def drafted_copy(tmp: Path, seeds: Path, title: str) -> Path:
    """A project copy with the test article added as source 015 and its claims drafted."""
    from termgraph.curate.draft import run_draft
    from termgraph.curate.sources import add_source

    root = project_copy(tmp, seeds)
    add_source(root, ARTICLES / "chatbots.txt", title)
    run_draft(root, "015")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
