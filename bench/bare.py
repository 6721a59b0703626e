"""The bare engine, the yardstick of termgraph's query path: pyoxigraph behind Starlette (uvicorn
with httptools and uvloop, as termgraph runs), in one process, nothing else. It loads an N-Quads
file into an in-memory store and answers SPARQL queries (GET ?query= or POST
application/sparql-query) with the store's own default graph, serialised by pyoxigraph to bytes:
no worker, no pipe, no spool, no time limit, no sandbox. A benchmark, not a server: it trusts
its client.

    python bench/bare.py DATASET.nq --port 8000        # http://127.0.0.1:8000/query

Give it the quads termgraph serves (bench/run.py `dump_dataset`), and the queries see the same
default graph and named graphs as termgraph's.
"""

from __future__ import annotations

import argparse
import sys
import time

import pyoxigraph as ox

RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}


def answer(store: ox.Store, query: str, accept: str) -> tuple[bytes, str]:
    """The query's result serialised, and its media type (the first of Accept's it can give)."""
    result = store.query(query)
    offered = GRAPHS if isinstance(result, ox.QueryTriples) else RESULTS
    media = next((m for m in (a.split(";")[0].strip() for a in accept.split(",")) if m in offered), next(iter(offered)))
    return result.serialize(format=offered[media]), media


def app(path: str):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    store = ox.Store()
    t = time.monotonic()
    store.load(path=path, format=ox.RdfFormat.N_QUADS)
    print(f"bare engine: {len(store):,} quads loaded in {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)

    async def query(request: Request) -> Response:
        text = request.query_params.get("query") if request.method == "GET" else (await request.body()).decode()
        try:
            body, media = answer(store, text or "", request.headers.get("accept", ""))
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            return Response(str(exc), status_code=400, media_type="text/plain")
        return Response(body, media_type=media)

    return Starlette(routes=[Route("/query", query, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", help="an N-Quads file")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    import uvicorn

    uvicorn.run(app(args.dataset), host="127.0.0.1", port=args.port, log_level="warning", access_log=False,
                http="httptools", loop="uvloop")


if __name__ == "__main__":
    main()
