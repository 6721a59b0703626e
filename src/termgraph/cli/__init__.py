"""The termgraph command: serve, validate, query, export.

Exit codes follow pyshacl's: 0 success / valid, 1 invalid data, 2 unreadable input, a bad
query or a bad setting (an environment variable, a busy port). Every error is one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termgraph.cli import scale as cli_scale
from termgraph import namespaces as ns
from termgraph.graph import load as loader
from termgraph.graph import validate
from termgraph.executor import interface as engine
from termgraph import formats
from termgraph.graph.files import user_files
from termgraph.errors import BadSetting, PortInUse, TermgraphError
from termgraph.paths import default_root
from termgraph.paths import default_seeds
from termgraph.settings import settings_from_env

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


QUERY_FORMATS = ["table"] + formats.format_names(formats.SOLUTIONS) + formats.format_names(formats.GRAPH)


def build_parser(root: Path | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="termgraph",
        description="termgraph: a knowledge graph of AI terminology, with a SPARQL endpoint.",
        epilog=examples(root or default_root()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", type=Path, help="folder with ontology/, data/, shapes/ (default: termgraph's own)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the claims tables (quotes, declared terms, generated files) and the SHACL shapes "
                       "(exit 0 valid, 1 invalid, 2 unreadable)",
                       epilog="example: termgraph validate")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("claims", help="claims tables: generate data/claims/NNN.ttl from NNN.csv, or check they agree",
                       epilog="examples: termgraph claims generate ; termgraph claims check")
    p.add_argument("action", choices=["generate", "check"],
                   help="generate: rewrite each out-of-date NNN.ttl from its table; "
                        "check: exit 1 if any NNN.ttl differs from its table")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("query", help="run a SPARQL query and print the result",
                       epilog="example: termgraph query 'SELECT * WHERE { ?s a tg:Claim } LIMIT 5' --format csv")
    p.add_argument("query", nargs="?", help="the SPARQL query (prefixes tg:, concept:, skos: … are predeclared)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a file")
    p.add_argument("--format", choices=QUERY_FORMATS, default=None, metavar="FORMAT",
                   help=f"one of {', '.join(QUERY_FORMATS)} (default: table for SELECT/ASK, "
                        "turtle for CONSTRUCT/DESCRIBE)")
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
    p.add_argument("--trusted-proxies", default=None, metavar="ADDRESSES",
                   help="comma-separated proxy addresses whose X-Forwarded-* headers are believed (default: none)")
    p.add_argument("--open", action="store_true", help="open the landing page in a browser")
    p.add_argument("--curate", action="store_true",
                   help="also serve the review page for drafted claims at /curate (loopback hosts only)")
    cli_scale.add_serve_options(p)
    p.set_defaults(func=cmd_serve)
    add_curate_commands(sub)
    cli_scale.add_scale_commands(sub, progress)
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
    problems = validate.curator_problems(settings.root, default_seeds(settings.root))
    report = validate.check(settings.root)
    print(validate.located(report, settings.root).text())
    for line in problems:
        print(line)
    if problems:
        print(f"invalid: {len(problems)} problem(s) in the claims tables (data/claims/*.csv)")
    else:
        print("claims: every table checked (cells, declared terms, verbatim quotes, generated files)")
    return 0 if report.conforms and not problems else 1


def cmd_claims(args, settings) -> int:
    from termgraph.graph import claims_turtle
    from termgraph.graph.claims_vocab import load_vocabulary

    vocab = load_vocabulary(settings.root)
    if args.action == "generate":
        changed, problems = claims_turtle.write_all(settings.root, vocab)
    else:
        changed, problems = claims_turtle.drift(settings.root, vocab)
    for problem in problems:
        print(problem.line())
    verb = "wrote" if args.action == "generate" else "out of date (run termgraph claims generate):"
    for path in changed:
        print(f"{verb} {path.relative_to(settings.root)}")
    if not changed and not problems:
        print("claims: every data/claims/NNN.ttl matches its table")
    return 1 if problems or (changed and args.action == "check") else 0


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
        kind = formats.SOLUTIONS if result.form in ("SELECT", "ASK") else formats.GRAPH
        chosen = formats.BY_NAME[fmt]
        if not chosen.can_carry(kind):
            raise TermgraphError(f"--format {fmt} does not fit a {result.form} result; use one of "
                                 f"{', '.join(formats.format_names(kind))}")
        body = formats.serialize_result(result.form, result.value, chosen.media_type, settings.max_result_bytes)
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0


def cmd_export(args, settings) -> int:
    from termgraph.graph import export

    data = loader.load(settings, progress=progress)
    for path in export.export(data, args.out, progress=progress):
        print(path)
    return 0


def check_port(host: str, port: int) -> None:
    """Fail before loading anything when the address is taken (uvicorn would fail only later)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadSetting(f"--host {host}: not an address this machine has ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(f"cannot listen on {host}:{port} ({exc.strerror}): stop the program using it "
                            "or choose another port with --port") from None


def cmd_serve(args, settings) -> int:
    from termgraph.web import server

    settings = settings.with_(**{k: v for k, v in {
        "host": args.host, "port": args.port, "query_timeout": args.timeout, "workers": args.workers,
        "extra_files": tuple(args.files), "rate_limit_seconds": args.rate_limit,
        "rate_limit_window": args.rate_window, "trusted_proxies": tuple(a.strip() for a in args.trusted_proxies.split(",") if a.strip())
        if args.trusted_proxies else None, "curate": args.curate or None,
        "store_dir": args.store, "store_in_memory": args.in_memory, "backend": args.backend,
    }.items() if v is not None and v != ()})
    if settings.curate:
        from termgraph.web.requests import is_loopback

        if not is_loopback(settings.host):
            raise TermgraphError(f"--curate edits files on this machine: serve it on a loopback host "
                                 f"(127.0.0.1, ::1 or localhost), not {settings.host}")
    user_files(settings.extra_files)  # two files for one graph: an error now, not after loading
    check_port(settings.host, settings.port)
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
