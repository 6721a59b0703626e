"""The termgraph command: its parser and main(); the commands are in data.py (validate, claims,
query, export), serve.py, curate.py (source add, draft) and scale.py (build-store, publish).

Exit codes follow pyshacl's: 0 success / valid, 1 invalid data, 2 unreadable input, a bad
query or a bad setting (an environment variable, a busy port). Every error is one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termgraph.cli import curate, data, scale, serve
from termgraph.errors import TermgraphError
from termgraph.paths import default_root
from termgraph.settings import settings_from_env
from termgraph.version import VERSION


def example_query_file(root: Path) -> str:
    """A real example query file, named the way the reader can type it (relative when possible)."""
    first = sorted((root / "queries" / "examples").glob("*.rq"))
    if not first:
        return "my-query.rq"
    try:
        return str(first[0].relative_to(Path.cwd()))
    except ValueError:
        return str(first[0])


def examples(root: Path) -> str:
    return f"""\
examples:
  termgraph validate
  termgraph claims generate
  termgraph query 'SELECT ?label WHERE {{ ?c a tg:Concept ; skos:prefLabel ?label }} ORDER BY ?label'
  termgraph query -f {example_query_file(root)} --format csv
  termgraph export --out dist
  termgraph serve --port 8000 my-extra-source.ttl
  termgraph build-store /srv/termgraph-store && termgraph serve --store /srv/termgraph-store
  termgraph publish --to http://127.0.0.1:7878/store && termgraph serve --backend http://127.0.0.1:7878/query
  termgraph source add article.txt --title 'What is a foundation model?' --publisher 'Example Lab'
  termgraph draft 005            # then review data/claims/005.draft.csv (or: termgraph serve --curate)
  termgraph draft 005 --accept   # accepted rows move into data/claims/005.csv
"""


def build_parser(root: Path | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="termgraph",
        description="termgraph: a knowledge graph of AI terminology, with a SPARQL endpoint.",
        epilog=examples(root or default_root()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"termgraph {VERSION}")
    parser.add_argument("--root", type=Path, help="folder with ontology/, data/, shapes/ (default: termgraph's own)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data.add_commands(sub)
    serve.add_commands(sub)
    curate.add_commands(sub)
    scale.add_scale_commands(sub, data.progress)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_env(root=args.root)
        return args.func(args, settings)
    except TermgraphError as exc:
        print(f"termgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
