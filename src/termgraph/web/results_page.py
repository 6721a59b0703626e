"""A query's HTML results page, streamed row by row as its answer is read (issue #27).

The worker writes the answer for a page in a format of one row per line — SPARQL TSV for a
SELECT, N-Triples for a CONSTRUCT or DESCRIBE (`CARRIER`) — and the page is sent as the answer
is read, chunk by chunk, from its spool file (or while its worker still writes it, for a POST),
never held: the head of the page once the variables are known, then the first `HTML_ROWS` rows,
parsed and rendered as their lines arrive, then the rest only counted (one row per line), then
the count and the links to the same result in the other formats. Each chunk is parsed, rendered
or counted in a thread, so the event loop's share of a page does not grow with the answer, and
the CPU time that takes is charged to the client like its query's (`charge`, fairness.py). A
broken answer (the worker failing after its first bytes, a file shorter than its worker said, a
line that does not parse, a last line cut short) ends the page with a visible error line. An
ASK's answer (a few bytes of JSON) is rendered at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.types import Receive, Scope, Send

from termgraph import errors, formats
from termgraph import namespaces as ns
from termgraph.executor.interface import Answer, read_at
from termgraph.version import VERSION
from termgraph.web import render
from termgraph.web.manners import STREAMED, etag_of_digest
from termgraph.web.streaming import CHUNK, disconnected, raw_headers

HTML_ROWS = 10_000  # rows a page shows; the rest are counted and offered in the other formats
TSV, JSON, NTRIPLES = "text/tab-separated-values", "application/sparql-results+json", "application/n-triples"
CARRIER = {"SELECT": TSV, "ASK": JSON, "CONSTRUCT": NTRIPLES, "DESCRIBE": NTRIPLES}
TRIPLE = ["subject", "predicate", "object"]
MARKER = Markup("<!-- the rows -->")  # where the rows go (escaped text can never spell it)
CHARGE_EVERY = 0.05  # seconds of CPU gathered before they are charged to the client


class BrokenAnswer(Exception):
    """The answer cannot be read to its end: the page says so where the rows stop."""


class Rows:
    """The rows of an answer in a line format as its bytes arrive: the first `limit` parsed and
    rendered (`feed` returns their HTML), the rest only counted. The variables are known once
    the first line (TSV's header) is read."""

    def __init__(self, media: str, limit: int):
        self.tsv, self.limit = media == TSV, limit
        self.variables: list[str] | None = None if self.tsv else TRIPLE
        self.header = b""
        self.partial = b""  # the start of a line still to come (only while rows are shown)
        self.shown = self.total = 0
        self.ended_line = True  # the bytes read so far end with a whole line

    def feed(self, chunk: bytes) -> str:
        if not chunk:
            return ""
        self.ended_line = chunk.endswith(b"\n")
        if self.variables is None:  # TSV: the header line first
            head, newline, chunk = (self.partial + chunk).partition(b"\n")
            if not newline:
                self.partial = head
                return ""
            self.partial, self.header = b"", head + b"\n"
            self.variables = self.read_header(head)
        if self.shown >= self.limit:
            self.total += chunk.count(b"\n")
            return ""
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        wanted = lines[:self.limit - self.shown]
        self.total += len(lines)
        if len(wanted) < len(lines):  # the limit is reached in this chunk: the rest only counted
            self.partial = b""  # (its line is counted by the newline that ends it)
        return self.render(wanted)

    def end(self) -> None:
        """The answer has ended: its last line must be whole (and, for TSV, there was a header)."""
        if self.variables is None or not self.ended_line:
            raise BrokenAnswer("the answer ends in the middle of a line")

    def read_header(self, line: bytes) -> list[str]:
        try:
            return [v.value for v in ox.parse_query_results(line + b"\n", format=ox.QueryResultsFormat.TSV).variables]
        except (SyntaxError, ValueError) as exc:
            raise BrokenAnswer(f"its header line does not parse ({exc})") from None

    def render(self, lines: list[bytes]) -> str:
        if not lines:
            return ""
        text = b"\n".join(lines) + b"\n"
        try:
            if self.tsv:
                rows = [[binding(t) for t in solution]
                        for solution in ox.parse_query_results(self.header + text, format=ox.QueryResultsFormat.TSV)]
            else:
                rows = [[binding(t.subject), binding(t.predicate), binding(t.object)]
                        for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
        except (SyntaxError, ValueError) as exc:
            raise BrokenAnswer(f"a row after row {self.shown} does not parse ({exc})") from None
        self.shown += len(rows)
        return render.environment().get_template("result_rows.html").render(rows=rows)


def binding(term) -> dict | None:
    """A pyoxigraph term as a SPARQL JSON results binding (None: unbound)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": str(term)}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != ns.XSD + "string":
        out["datatype"] = term.datatype.value
    return out


class Page:
    """What a results page says around its rows: rendered once the variables are known (`head`)
    and once the rows have ended (`tail`), from the one template, results.html."""

    def __init__(self, request: Request, query: str, media: str, limit: int):
        self.context = {"request": request, "title": "Query results", "query": query, "boolean": None,
                        "alternates": alternates(request, media), "rows": MARKER}
        self.rows = Rows(media, limit)
        self.started = False

    def whole(self, **context) -> str:
        return render.environment().get_template("results.html").render(**{**self.context, **context})

    def feed(self, chunk: bytes) -> str:
        rows = self.rows.feed(chunk)
        if self.started or self.rows.variables is None:
            return rows
        self.started = True
        return self.whole(variables=self.rows.variables, total=0, shown=0).split(MARKER)[0] + rows

    def tail(self, error: str | None) -> str:
        if error is None:
            try:
                self.rows.end()
            except BrokenAnswer as exc:
                error = str(exc)
        variables = self.rows.variables or []
        page = self.whole(variables=variables, total=self.rows.total, shown=self.rows.shown, error=error)
        head, tail = page.split(MARKER)
        return tail if self.started else head + tail


async def chunks_of(answer: Answer, file):
    """The answer's bytes, a chunk at a time: from memory, from its spool `file`, or as its
    worker writes them (a failure after the first bytes raised from here)."""
    if answer.following is not None:
        async for chunk in answer.following.chunks(CHUNK):
            yield chunk
    elif file is not None:
        offset = 0
        while offset < answer.size:
            chunk = await read_at(file, offset, CHUNK)
            if not chunk:
                raise BrokenAnswer("the answer is shorter than its worker reported")
            offset += len(chunk)
            yield chunk
    else:
        for start in range(0, len(answer.body), CHUNK):
            yield answer.body[start:start + CHUNK]


def alternates(request: Request, media: str) -> list[tuple[str, str]]:
    """The same result in the other formats (links for a GET: a POST's query is not in its URL)."""
    kind = formats.GRAPH if media == NTRIPLES else formats.SOLUTIONS
    return [(f.name, str(request.url.include_query_params(_mediatype=f.name)))
            for f in formats.of_kind(kind)] if request.method == "GET" else []


def charged(charge, step, *args):
    """`step(*args)` (in a thread), its CPU time charged to the client."""
    started = time.thread_time()
    try:
        return step(*args)
    finally:
        charge(time.thread_time() - started)


class StreamedPage(Response):
    """The page, sent as it is rendered: each step of the work in a thread, charged to the client."""

    def __init__(self, page: Page, answer: Answer, charge, headers: dict[str, str]):  # noqa: D107 - no body
        self.status_code, self.background, self.media_type = 200, None, "text/html; charset=utf-8"
        self.page, self.answer, self.charge, self.spent = page, answer, charge, 0.0
        self.raw_headers = raw_headers(headers, self.media_type) + [(STREAMED, b"1")]
        self.file = None
        if answer.path is not None:  # opened and unlinked at once: gone with its handle, whatever happens
            self.file = open(answer.path, "rb")  # noqa: SIM115 - closed when sent
            os.unlink(answer.path)

    async def work(self, step, *args) -> bytes:
        return (await asyncio.to_thread(self.timed, step, *args)).encode()

    def timed(self, step, *args) -> str:
        started = time.thread_time()
        try:
            return step(*args)
        finally:
            self.spent += time.thread_time() - started
            if self.spent >= CHARGE_EVERY:
                self.settle()

    def settle(self) -> None:
        spent, self.spent = self.spent, 0.0
        if spent > 0:
            self.charge(spent)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gone = asyncio.ensure_future(disconnected(receive))
        chunks = chunks_of(self.answer, self.file)
        error = None
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            try:
                async for chunk in chunks:
                    html = await self.work(self.page.feed, chunk)
                    if gone.done():
                        return  # the client went away (a query still running is stopped with its stream)
                    if html:
                        await send({"type": "http.response.body", "body": html, "more_body": True})
            except (BrokenAnswer, errors.TermgraphError) as exc:
                error = exc.message if isinstance(exc, errors.TermgraphError) else str(exc)
            finally:
                await chunks.aclose()
            await send({"type": "http.response.body", "body": await self.work(self.page.tail, error)})
        except OSError:
            return  # the client went away
        finally:
            gone.cancel()
            self.close()
            self.settle()

    def close(self) -> None:
        """The spool file closed; a worker still writing the answer stopped (Following.close)."""
        if self.file is not None:
            self.file.close()
        if self.answer.following is not None:
            self.answer.following.close()


def page_etag(answer: Answer, request: Request, query: str) -> str:
    """A GET's page's validator: what its bytes are made of (the answer's bytes, hashed by its
    worker when spooled; the query; the request's URL, for the links; this release's templates)."""
    digest = answer.digest or hashlib.sha256(answer.body).hexdigest()
    made_of = json.dumps([VERSION, HTML_ROWS, digest, query, str(request.url)])
    return etag_of_digest(hashlib.sha256(made_of.encode()).hexdigest())


def ask_page(request: Request, query: str, answer: Answer, headers: dict[str, str]) -> Response:
    """An ASK's page: its answer is a few bytes of JSON."""
    boolean = ox.parse_query_results(answer.read(), format=ox.QueryResultsFormat.JSON)
    return render.page(request, "results.html", title="Query results", query=query, boolean=bool(boolean),
                       alternates=alternates(request, JSON), headers=headers)


async def results_page(request: Request, query: str, answer: Answer, charge, headers: dict[str, str]) -> Response:
    """A query's answer as an HTML page whose IRIs are links (a CONSTRUCT's as subject, predicate, object)."""
    if answer.form == "ASK":
        return await asyncio.to_thread(charged, charge, ask_page, request, query, answer, headers)
    if request.method == "GET":
        headers = {**headers, "ETag": await asyncio.to_thread(page_etag, answer, request, query)}
    return StreamedPage(Page(request, query, answer.media_type, HTML_ROWS), answer, charge, headers)
