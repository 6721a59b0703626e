"""Where the sources' texts are, and whether the quotes could be checked against them.

Every claim's quote must be a verbatim substring of its source's text (graph/quotes.py). The
texts are read from data/sources/ (texts registered with `termgraph source add`), then from the
seeds folder: TERMGRAPH_SEEDS (or `validate --seeds DIR`), by default ../shared/seeds beside the
checkout. Where a text is absent the check cannot run, and that is said, never passed over:
`validate` fails (exit 2); `serve` and `build-store` warn in one line, and /health says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from termgraph.graph import quotes
from termgraph.errors import TermgraphError
from termgraph.paths import default_seeds
from termgraph.settings import Settings

SOURCES_DIR = Path("data") / "sources"
MOUNT = ("mount the folder that holds them and set TERMGRAPH_SEEDS to it (Docker: -v /path/to/seeds:/seeds:ro "
         "-e TERMGRAPH_SEEDS=/seeds)")
POINT = "point at the folder that holds them with termgraph validate --seeds DIR or TERMGRAPH_SEEDS=DIR"


class QuotesNotChecked(TermgraphError):
    """Some source texts are absent, so the quotes could not be checked (exit 2)."""


class QuotesNotVerbatim(TermgraphError):
    """A quote is not in its source's text (exit 1, like data that fails the shapes)."""

    exit_code = 1


def seeds_folder(settings: Settings) -> Path:
    return settings.seeds if settings.seeds is not None else default_seeds(settings.root)


def places(settings: Settings) -> list[Path]:
    """Where a source's text is looked for, in order."""
    return [settings.root / SOURCES_DIR, seeds_folder(settings)]


def missing(identifiers, settings: Settings) -> list[str]:
    """The texts (file names) found in none of the places, sorted."""
    where = places(settings)
    return sorted({name for name in identifiers if name and quotes.find_text(name, where) is None})


def absent_line(names: list[str], seeds: Path, how: str = MOUNT) -> str:
    """One line: which texts are absent, where they were looked for, how to point at them."""
    folder = f"{seeds} (no such folder)" if not seeds.is_dir() else str(seeds)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (f"quotes not checked: {len(names)} source text(s) absent ({shown}) from {SOURCES_DIR}/ and "
            f"{folder}; {how}")


@dataclass(frozen=True)
class QuoteStatus:
    checked: bool
    message: str

    def health(self) -> dict:
        return {"checked": self.checked, "message": self.message}


def check_store(store: ox.Store, settings: Settings, found: list | None = None) -> QuoteStatus:
    """Check every quote in the store (or `found`: the store's quotes as read before, e.g. kept
    in the start-up cache) against its source's text when every text is present; otherwise a
    status saying they were not checked. Raises QuotesNotVerbatim for a quote that is not in its
    text (exit 1, as the SHACL gate does for a shape)."""
    found = quotes.quotes(store, union=False) if found is None else found
    absent = missing({q.source_file for q in found}, settings)
    if absent:
        return QuoteStatus(False, absent_line(absent, seeds_folder(settings)))
    problems = quotes.check_quotes(store, seeds_folder(settings), settings.root / SOURCES_DIR, found)
    if problems:
        raise QuotesNotVerbatim(f"{len(problems)} quote(s) not verbatim in their source's text\n" + "\n".join(problems))
    return QuoteStatus(True, f"every quote ({len(found)}) checked against its source's text")
