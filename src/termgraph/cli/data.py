"""The data commands: `termgraph validate`, `claims`, `query` and `export`."""

from __future__ import annotations

import sys
from pathlib import Path

from termgraph import formats
from termgraph import namespaces as ns
from termgraph.errors import TermgraphError
from termgraph.graph import load as loader

QUERY_FORMATS = ["table"] + formats.format_names(formats.SOLUTIONS) + formats.format_names(formats.GRAPH)


def add_commands(sub) -> None:
    p = sub.add_parser("validate", help="check the claims tables (quotes, declared terms, generated files) and the SHACL shapes "
                       "(exit 0 valid, 1 invalid, 2 unreadable)",
                       epilog="example: termgraph validate --seeds ../shared/seeds")
    p.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                   help="the folder of source texts the quotes are checked against (default: TERMGRAPH_SEEDS, "
                        "else ../shared/seeds beside the checkout)")
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


def progress(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_validate(args, settings) -> int:
    from termgraph.graph import validate  # (rdflib and pyshacl: imported by this command only)
    from termgraph.graph.texts import seeds_folder

    settings = settings.with_(seeds=args.seeds) if args.seeds else settings
    problems = validate.curator_problems(settings.root, seeds_folder(settings))
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


def article(word: str) -> str:
    """'a' or 'an' before a query form's name as it is read out: an ASK, a SELECT."""
    return "an" if word[:1].upper() in "AEIOU" else "a"


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
    from termgraph.executor import interface as engine  # (here: `serve` starts without it: web/server.py)
    from termgraph.sparql.query import read

    data = loader.load(settings)
    result = engine.run(data.store, read(text, ns.PREFIX_ITEMS))
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
            raise TermgraphError(f"--format {fmt} does not fit {article(result.form)} {result.form} result; use one of "
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
