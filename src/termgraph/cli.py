"""The termgraph command: serve, validate, query, export.

Exit codes follow pyshacl's: 0 success / valid, 1 invalid data, 2 unreadable input or a bad query.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termgraph.sparql import engine

from termgraph.sparql import formats

from termgraph.build import load as loader

from termgraph.build import validate
from termgraph import namespaces as ns
from termgraph.errors import TermgraphError
from termgraph.settings import settings_from_env

EXAMPLES = """\
examples:
  termgraph validate
  termgraph query 'SELECT ?label WHERE { ?c a tg:Concept ; skos:prefLabel ?label }'
  termgraph query -f queries/examples/subset-of-generative-ai.rq --format csv
  termgraph export --out dist
  termgraph serve --port 8000 my-extra-source.ttl
  termgraph source add article.txt --title 'What is a foundation model?' --publisher 'Example Lab'
  termgraph draft 005            # then review data/claims/005.draft.csv (or: termgraph serve --curate)
  termgraph draft 005 --accept   # accepted rows move into data/claims/005.csv
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="termgraph",
        description="termgraph: a knowledge graph of AI terminology, with a SPARQL endpoint.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", type=Path, help="folder with ontology/, data/, shapes/ (default: termgraph's own)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the data against the SHACL shapes (exit 0 valid, 1 invalid, 2 unreadable)",
                       epilog="example: termgraph validate")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query and print the result",
                       epilog="example: termgraph query 'SELECT * WHERE { ?s a tg:Claim } LIMIT 5' --format csv")
    p.add_argument("query", nargs="?", help="the SPARQL query (prefixes tg:, concept:, skos: … are predeclared)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a file")
    p.add_argument("--format", choices=["table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "rdfxml"],
                   default=None, help="output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE)")
    p.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the release files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)",
                       epilog="example: termgraph export --out dist")
    p.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="start the SPARQL endpoint and web pages",
                       epilog="example: termgraph serve --host 0.0.0.0 --port 8000 extra.ttl")
    p.add_argument("files", nargs="*", type=Path, help="extra RDF files to serve, each as a named graph")
    p.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.add_argument("--timeout", type=float, default=None, help="query time limit in seconds (default 10)")
    p.add_argument("--workers", type=int, default=None, help="query worker processes (default 2)")
    p.add_argument("--rate-limit", type=float, default=None, metavar="SECONDS",
                   help="per-client budget of query time per window (default 0: off)")
    p.add_argument("--rate-window", type=float, default=None, metavar="SECONDS",
                   help="the window of the rate limit (default 60)")
    p.add_argument("--open", action="store_true", help="open the landing page in a browser")
    p.add_argument("--curate", action="store_true",
                   help="also serve the review page for drafted claims at /curate (loopback hosts only)")
    p.set_defaults(func=cmd_serve)
    add_curate_commands(sub)
    return parser


def add_curate_commands(sub) -> None:
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


def progress(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_validate(args, settings) -> int:
    report = validate.check(settings.root)
    print(report.text())
    return 0 if report.conforms else 1


def read_query(args) -> str:
    if args.file:
        try:
            return args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise TermgraphError(f"{args.file}: {exc.strerror}") from None
    if not args.query:
        raise TermgraphError("give a query, or -f FILE (see termgraph query --help)")
    return args.query


def cmd_query(args, settings) -> int:
    text = read_query(args)
    data = loader.load(settings)
    result = engine.run(data.store, text, prefixes=ns.PREFIXES)
    fmt = args.format or ("table" if result.form in ("SELECT", "ASK") else "turtle")
    if fmt == "table":
        if result.form == "ASK":
            print("yes" if bool(result.value) else "no")
        elif result.form == "SELECT":
            print(formats.table(result.value))
        else:
            fmt = "turtle"
    if fmt != "table":
        media = formats.SHORT_NAMES[fmt]
        table = formats.SOLUTION_FORMATS if result.form in ("SELECT", "ASK") else formats.GRAPH_FORMATS
        if media not in table:
            raise TermgraphError(f"--format {fmt} does not fit a {result.form} result")
        sys.stdout.buffer.write(formats.serialize_result(result.form, result.value, media, settings.max_result_bytes))
        sys.stdout.flush()
    return 0


def cmd_export(args, settings) -> int:
    from termgraph.build import export

    data = loader.load(settings, progress=progress)
    for path in export.export(data, args.out, progress=progress):
        print(path)
    return 0


def cmd_serve(args, settings) -> int:
    from termgraph.web import serve as server

    settings = settings.with_(**{k: v for k, v in {
        "host": args.host, "port": args.port, "query_timeout": args.timeout, "workers": args.workers,
        "extra_files": tuple(args.files), "rate_limit_seconds": args.rate_limit,
        "rate_limit_window": args.rate_window, "curate": args.curate or None,
    }.items() if v is not None and v != ()})
    if settings.curate:
        from termgraph.web.routes.curate import is_loopback

        if not is_loopback(settings.host):
            raise TermgraphError(f"--curate edits files on this machine: serve it on a loopback host "
                                 f"(127.0.0.1, ::1 or localhost), not {settings.host}")
    return server.serve(settings, open_browser=args.open)


def cmd_source_add(args, settings) -> int:
    from termgraph.curate.sources import add_source

    info = add_source(settings.root, args.article, args.title, args.publisher, args.url, args.date)
    print(f"added source {info.number}: {info.title} (text: data/sources/{info.identifier})")
    print(f"next: termgraph draft {info.number}")
    return 0


def cmd_draft(args, settings) -> int:
    from termgraph.curate import accept, draft

    number = args.number.zfill(3)
    if args.accept:
        outcome = accept.accept(settings.root, number)
        print(f"moved {len(outcome.added)} claim(s) into {outcome.claims_csv}"
              + (f" ({outcome.added[0]} to {outcome.added[-1]})" if outcome.added else ""))
        for iri in outcome.entities:
            print(f"declared new entity {iri} in {accept.ENTITIES_TTL}")
        if outcome.note:
            print(f"next: {outcome.note}")
        return 0
    claims_csv, entities_csv, rows, entities = draft.run_draft(settings.root, number)
    print(f"drafted {rows} claim(s) into {claims_csv} and {entities} new entit(ies) into {entities_csv}")
    print(f"next: mark the accept column (y) in a spreadsheet or with termgraph serve --curate, "
          f"then termgraph draft {number} --accept")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = settings_from_env(root=args.root)
    try:
        return args.func(args, settings)
    except TermgraphError as exc:
        print(f"termgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
