"""The commands for data past one process's memory: `termgraph build-store DIR` (an on-disk
store, served with `serve --store DIR`) and `termgraph publish --to URL` (a SPARQL store
elsewhere, served with `serve --backend URL`). Their `serve` options are added to `serve` here too (cli/serve.py calls add_serve_options)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_serve_options(p) -> None:
    p.add_argument("--store", type=Path, default=None, metavar="DIR",
                   help="serve from an on-disk store written by termgraph build-store DIR (larger than memory)")
    p.add_argument("--in-memory", action="store_true", default=None,
                   help="with --store: copy the built store into memory at start (fastest queries, "
                        "starts without validating or deriving again)")
    p.add_argument("--backend", default=None, metavar="URL",
                   help="send queries to this SPARQL 1.1 endpoint, filled by termgraph publish "
                        "(pages read a local copy: the files, or --store DIR)")


def add_scale_commands(sub, progress) -> None:
    p = sub.add_parser("build-store", help="write the validated, derived dataset once into an on-disk store",
                       epilog="example: termgraph build-store /srv/termgraph-store && "
                              "termgraph serve --store /srv/termgraph-store")
    p.add_argument("dir", type=Path, help="a new (or empty) folder for the store")
    p.add_argument("files", nargs="*", type=Path, help="extra RDF files, each as a named graph")
    p.add_argument("--low-memory", action="store_true",
                   help="load and derive straight on disk: little memory, much slower (default: derive "
                        "in memory, then bulk-write the store)")
    p.set_defaults(func=lambda args, settings: cmd_build_store(args, settings, progress))

    p = sub.add_parser("publish", help="load the validated dataset, named graphs included, into a SPARQL store",
                       epilog="examples:\n  termgraph publish --to http://127.0.0.1:7878/store --quads\n"
                              "  termgraph publish --to isql://127.0.0.1:1111 --load-dir /var/lib/virtuoso/load\n"
                              "The password (for --user) is read from TERMGRAPH_STORE_PASSWORD.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--to", required=True, metavar="URL",
                   help="the store's Graph Store Protocol URL, or isql://HOST:PORT for Virtuoso's bulk loader")
    p.add_argument("--quads", action="store_true",
                   help="send the whole dataset as N-Quads in one POST (stores whose Graph Store URL takes "
                        "quads: Oxigraph server, Jena Fuseki); default: one PUT per graph, for any store")
    p.add_argument("files", nargs="*", type=Path, help="extra RDF files, each as a named graph")
    p.add_argument("--user", default=None, help="user for the store (HTTP digest auth, or isql; default dba for isql)")
    p.add_argument("--load-dir", type=Path, default=None,
                   help="isql: a folder in Virtuoso's DirsAllowed for the dump (default: the system temp folder)")
    p.set_defaults(func=lambda args, settings: cmd_publish(args, settings, progress))


def cmd_build_store(args, settings, progress) -> int:
    from termgraph.graph.files import user_files
    from termgraph.graph.store import build_store

    user_files(tuple(args.files))  # two files for one graph: an error now, not after loading
    sizes = build_store(settings.with_(extra_files=tuple(args.files)), args.dir, progress=progress,
                        low_memory=args.low_memory)
    print(f"{args.dir}: {sum(sizes.values())} triples in {len(sizes)} named graphs; serve it with: "
          f"termgraph serve --store {args.dir}")
    return 0


def cmd_publish(args, settings, progress) -> int:
    from termgraph.graph.publish import publish

    password = os.environ.get("TERMGRAPH_STORE_PASSWORD")
    names = publish(settings.with_(extra_files=tuple(args.files)), args.to, args.user, password,
                    args.load_dir, progress=progress, quads=args.quads)
    print(f"{args.to}: {len(names)} named graphs and the default graph published; serve them with: "
          f"termgraph serve --backend QUERY-URL")
    return 0
