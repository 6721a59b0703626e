"""The curation commands: `termgraph source add` and `termgraph draft` (they need the curate extra:
pip install 'termgraph[curate]')."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from termgraph.errors import TermgraphError

# The curate extra's packages, by import name (pyproject.toml: [project.optional-dependencies] curate).
CURATE_PACKAGES = ("trafilatura", "lxml_html_clean", "ahocorasick")


class MissingExtra(TermgraphError):
    """A command of the curation toolchain on a server install (without the curate extra)."""


def need_curate_extra(command: str) -> None:
    """One line naming the extra to install, before the command starts, when a package is missing."""
    missing = []
    for name in CURATE_PACKAGES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise MissingExtra(f"termgraph {command} needs the curate extra: pip install 'termgraph[curate]' "
                           f"(missing: {', '.join(missing)})")


def add_commands(sub) -> None:
    p = sub.add_parser("source", help="register sources (articles)")
    ssub = p.add_subparsers(dest="source_command", required=True, metavar="ACTION")
    a = ssub.add_parser("add", help="register an article (.txt, or .html reduced to text) as the next source",
                        epilog="example: termgraph source add article.txt --title 'What is an LLM?' --date 2024-05-01")
    a.add_argument("article", type=Path, help="the article: UTF-8 text, or an HTML page")
    a.add_argument("--title", required=True, help="the article's title")
    a.add_argument("--publisher", help="who published it: an organisation's name or CURIE (org:cset)")
    a.add_argument("--url", help="where it was published (http or https)")
    a.add_argument("--date", help="when: YYYY, YYYY-MM or YYYY-MM-DD")
    a.set_defaults(func=cmd_source_add)
    p = sub.add_parser("draft", help="draft the claims of a source into data/claims/NNN.draft.csv, or --accept them",
                       epilog="examples: termgraph draft 005; termgraph draft 005 --accept")
    p.add_argument("number", help="the source number (NNN)")
    p.add_argument("--accept", action="store_true", help="move the rows marked accepted into data/claims/NNN.csv")
    p.set_defaults(func=cmd_draft)


def cmd_source_add(args, settings) -> int:
    need_curate_extra("source add")
    from termgraph.curate.sources import add_source

    info = add_source(settings.root, args.article, args.title, args.publisher, args.url, args.date)
    print(f"added source {info.number}: {info.title} (text: data/sources/{info.identifier})")
    print(f"next: termgraph draft {info.number}")
    return 0


def cmd_draft(args, settings) -> int:
    need_curate_extra("draft")
    from termgraph.curate import accept, draft

    number = args.number.zfill(3)
    if args.accept:
        outcome = accept.accept(settings.root, number, settings.seeds)
        print(f"moved {len(outcome.added)} claim(s) into {outcome.claims_csv}"
              + (f" ({outcome.added[0]} to {outcome.added[-1]})" if outcome.added else ""))
        for iri in outcome.entities:
            print(f"declared new entity {iri} in {accept.home(iri)}")
        for warning in outcome.warnings:
            print(f"termgraph: warning: {warning}", file=sys.stderr)
        if outcome.note:
            print(f"next: {outcome.note}")
        return 0
    claims_csv, entities_csv, rows, entities = draft.run_draft(settings.root, number, seeds=settings.seeds)
    print(f"drafted {rows} claim(s) into {claims_csv} and {entities} new entit(ies) into {entities_csv}")
    print(f"next: mark the accept column (y) in a spreadsheet or with termgraph serve --curate, "
          f"then termgraph draft {number} --accept")
    return 0
