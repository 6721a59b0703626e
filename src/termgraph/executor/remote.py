"""Workers that run each query on a SPARQL 1.1 endpoint elsewhere (Oxigraph server, Virtuoso,
any store that speaks the protocol), with termgraph's pool in front of it: the same bounded,
fair queue, per-client cap, budget, preemption and time limits as for local workers (pool.py),
one slot per `--workers`.

Each query is checked here before it waits for a slot (read-only, no SERVICE, no FROM naming a
graph outside the dataset, standard SPARQL 1.1 only), then sent with an explicit dataset: when
the request names none, the default graph is the dataset's default graph (published as the
named graph DEFAULT_GRAPH, see graph/publish.py) and the named graphs are the dataset's graphs,
as in memory. That keeps a store's own graphs out of every answer (Virtuoso's default graph is
the union of *all* its graphs, system graphs included) and makes answers independent of the
store's default-graph setting.

The store is asked for SPARQL XML results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE),
read as a stream with a size cap, and re-serialised by pyoxigraph into the negotiated format,
so every backend gives the same bytes for the same answer. A query stopped (time limit,
preemption, client gone) has its request cancelled, which closes the connection to the store.
"""

from __future__ import annotations

import asyncio
import functools
import time

import httpx
import pyoxigraph as ox

from termgraph.namespaces import DEFAULT_GRAPH, EMPTY_GRAPH
from termgraph import errors
from termgraph.executor import engine
from termgraph import formats
from termgraph.sparql import guard, protocol
from termgraph.executor.jobs import Answer, Job, spool

RAW_FACTOR = 4  # the store's XML / N-Triples may be this many times the capped result
ALL_GRAPHS = frozenset({"*"})  # a query that may read any named graph (GRAPH ?g)
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
GRAPH_PARSERS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                 "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
XSD = "http://www.w3.org/2001/XMLSchema#"
SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class BackendError(errors.TermgraphError):
    """The SPARQL store failed or could not be reached (the client's request was fine)."""

    status = 502
    exit_code = 2


def sent_text(job: Job) -> str:
    """The query as the store is sent it: with a PREFIX line for each predeclared prefix it uses."""
    return engine.declared(job.query.text, dict(job.query.prefixes))


def request_params(job: Job, graphs: list[str], reads: frozenset | None = ALL_GRAPHS) -> list[tuple[str, str]]:
    """The protocol parameters sent to the store: the query (with the request's base IRI) and
    the dataset, always as protocol parameters, so that every store reads the same dataset
    (stores differ on FROM without FROM NAMED, and some let FROM win over the parameters): the
    protocol's graph parameters replace the query's FROM / FROM NAMED as a whole (SPARQL 1.1
    Protocol §2.1.4), else the query's FROM / FROM NAMED are sent as parameters, else termgraph's
    default graph and named graphs; the FROM clauses are taken out of the text; an empty side is
    an empty graph. `reads`: the named graphs the query may read (examine): only those of the
    dataset are listed."""
    text = sent_text(job)
    default, named = job.dataset.default_graph_uris, job.dataset.named_graph_uris
    explicit = bool(default or named or job.query.from_graphs or job.query.from_named)
    if not (default or named):
        default, named = job.query.from_graphs, job.query.from_named
    if explicit:
        text = guard.without_dataset(text)
    else:
        default = (DEFAULT_GRAPH,)
        named = tuple(graphs) if reads is ALL_GRAPHS else tuple(g for g in graphs if g in (reads or ()))
    query = f"BASE <{job.base_iri}>\n{text}" if job.base_iri else text
    params = [("query", query)]
    if not default:  # named graphs only: the default graph is empty, as in memory
        default = (EMPTY_GRAPH,)
    if explicit and not named:  # default graphs only: no named graphs (a store would list its own)
        named = (EMPTY_GRAPH,)
    params += [("default-graph-uri", g) for g in default]
    params += [("named-graph-uri", g) for g in named]
    return params


@functools.lru_cache(maxsize=4096)
def examine(text: str) -> tuple[str | None, frozenset | None]:
    """(why the query may not go to the store or None, the named graphs it may read).

    No sandbox reaches into another server, so what it is sent must be standard SPARQL 1.1 as a
    real parser (rdflib's) reads it: no store-specific syntax (Virtuoso's DEFINE pragmas) and no
    extension function (Virtuoso's bif:/sql: functions can reach the network) -- only SPARQL's
    built-ins and XSD casts.

    The named graphs a query may read: None with no GRAPH pattern (anywhere, EXISTS included),
    ALL_GRAPHS when one names its graph by a variable (or by a relative IRI), else the set of
    the IRIs the GRAPH patterns name. The store is sent only those of the dataset's named graphs:
    a request with thousands of graph parameters is slow, and too much for some stores."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text.replace("\r\n", "\n").replace("\r", "\n"))).algebra
    except RecursionError:
        return "the query is nested too deeply to be checked; flatten it", ALL_GRAPHS
    except Exception as exc:  # rdflib raises several types for syntax errors
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return f"the query is not standard SPARQL 1.1 ({detail}); only SPARQL 1.1 is passed to the store", ALL_GRAPHS
    stack, graphs = [algebra], None
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name == "Function" and not str(node.get("iri", "")).startswith(XSD):
            return (f"the function <{node.get('iri')}> is not SPARQL 1.1: only SPARQL's built-in functions "
                    "and XSD casts are passed to the store"), ALL_GRAPHS
        if name in ("Graph", "GraphGraphPattern"):  # (EXISTS keeps the parse tree's name)
            graphs = graph_named(node.get("term"), graphs)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set)):
            stack.extend(node)
    return None, graphs


def graph_named(term, graphs: frozenset | None) -> frozenset:
    """The graphs read so far, with those of one more GRAPH pattern."""
    from rdflib import URIRef

    if graphs is ALL_GRAPHS or not isinstance(term, URIRef) or ":" not in str(term):
        return ALL_GRAPHS
    return (graphs or frozenset()) | {str(term)}


def screen(text: str) -> str | None:
    """Why a query may not go to the store, or None (see examine)."""
    return examine(text)[0]


def store_message(response: httpx.Response, body: bytes) -> str:
    first = body.decode("utf-8", "replace").strip().splitlines()
    return (first[0] if first else f"HTTP {response.status_code}")[:300]


def reserialize(form: str, body: bytes, content_type: str, media: str, cap: int) -> tuple[str, bytes]:
    """The store's answer, parsed and written again in the negotiated format (capped)."""
    try:
        if form in ("SELECT", "ASK"):
            value = ox.parse_query_results(body, ox.QueryResultsFormat.XML)
        else:
            fmt = GRAPH_PARSERS.get(protocol.media_type(content_type)[0], ox.RdfFormat.N_TRIPLES)
            value = list(ox.parse(body, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise BackendError(f"the SPARQL store sent a result termgraph cannot read ({exc})") from None
    if form == "ASK" and isinstance(value, ox.QuerySolutions):
        value = ask_as_solutions(value)
    if form in ("SELECT", "ASK"):
        form = "ASK" if isinstance(value, ox.QueryBoolean) else "SELECT"
    return form, formats.serialize_result(form, value, media, cap)


def ask_as_solutions(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso answers an ASK given a dataset with one row binding __ASK_RETVAL to 1 or 0
    instead of a boolean: read it back as the boolean it stands for."""
    rows = list(solutions)
    true = any(row[0] is not None and row[0].value not in ("0", "false") for row in rows)
    return ox.parse_query_results('{"head": {}, "boolean": %s}' % ("true" if true else "false"),
                                  ox.QueryResultsFormat.JSON)


class RemoteWorkers:
    """A worker source (see workers.py) whose workers are slots on the store at `url`.
    `sizes`: the dataset's graph sizes (the default graph under ""), checked against the store
    at start."""

    def __init__(self, url: str, sizes: dict[str, int], timeout: float, spool_dir=None):
        self.url, self.timeout = url, timeout
        self.sizes = dict(sizes)
        self.graphs = sorted(g for g in sizes if g)
        self.spool_dir = str(spool_dir) if spool_dir else None
        self.client: httpx.AsyncClient | None = None
        self.failures = 0

    def start(self) -> None:
        """Check the store answers and holds the dataset's graphs, of the same sizes; a clear
        error naming the first difference otherwise."""
        screen("ASK {}")  # loads the parser now rather than on the first request
        try:
            r = httpx.post(self.url, data={"query": SIZES}, timeout=max(60.0, self.timeout),
                           headers={"Accept": "application/sparql-results+xml"})
        except httpx.HTTPError as exc:
            raise BackendError(f"--backend {self.url}: cannot reach the SPARQL store ({exc}); is it running?") from None
        if r.status_code != 200:
            raise BackendError(f"--backend {self.url}: HTTP {r.status_code}: {store_message(r, r.content)}")
        found = {row["g"].value: int(row["n"].value)
                 for row in ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)}
        for name, size in sorted(self.sizes.items()):
            there = found.get(name or DEFAULT_GRAPH, 0)
            if there != size:
                shown = f"<{name}>" if name else "the default graph"
                raise BackendError(f"--backend {self.url}: {shown} has {there} triples there and {size} here; "
                                   "load the dataset with: termgraph publish --to URL")

    def spawn(self) -> "RemoteSlot":
        return RemoteSlot(self)

    async def screen(self, job: Job) -> None:
        """No sandbox reaches into another server: refuse here what it must not be sent."""
        if job.query.service_pending:  # parsed in a thread: never on the event loop
            await asyncio.to_thread(guard.refuse_service, sent_text(job))
        refusal = await asyncio.to_thread(screen, sent_text(job))  # (the rest was checked as it was read)
        if refusal:
            raise errors.ForbiddenQuery(refusal)
        guard.check_graphs(job.query, set(self.graphs))

    def http(self) -> httpx.AsyncClient:
        if self.client is None:  # made inside the event loop, on first use
            self.client = httpx.AsyncClient(timeout=None)
        return self.client

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                asyncio.get_running_loop().create_task(client.aclose())
            except RuntimeError:  # no loop any more: its sockets close with it
                pass

    def describe(self) -> dict:
        return {"kind": "backend", "backend": self.url, "store_failures": self.failures}


class RemoteSlot:
    """One query at a time on the store; stopping it cancels the request."""

    pid = None

    def __init__(self, source: RemoteWorkers):
        self.source = source
        self.client: str | None = None
        self.started: float | None = None
        self.preempted = False
        self.task: asyncio.Task | None = None

    async def exchange(self, job: Job, deadline: float) -> tuple | None:
        began = time.monotonic()
        self.task = asyncio.ensure_future(self.answer(job))
        try:
            done, _ = await asyncio.wait({self.task}, timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.CancelledError:
            self.task.cancel()
            raise
        if not done:
            self.task.cancel()
            return None
        if self.task.cancelled():
            return ("died",)
        exc = self.task.exception()
        if exc is not None:
            if not isinstance(exc, errors.TermgraphError):
                exc = BackendError(f"the SPARQL store's answer could not be used ({type(exc).__name__})")
            return ("error", errors.to_wire(exc), time.monotonic() - began)
        return ("ok", self.task.result(), time.monotonic() - began)

    async def answer(self, job: Job) -> Answer:
        form, media = job.query.form, job.media_type
        content_type, body = await self.fetch(job, form)
        form, body = await asyncio.to_thread(reserialize, form, body, content_type, media, job.max_bytes)
        return await asyncio.to_thread(spool, form, media, body, self.source.spool_dir, job.tag)

    async def fetch(self, job: Job, form: str) -> tuple[str, bytes]:
        source = self.source
        accept = "application/sparql-results+xml" if form in ("SELECT", "ASK") else GRAPH_ACCEPT
        params = request_params(job, source.graphs, examine(sent_text(job))[1])
        content = str(httpx.QueryParams(params)).encode()
        for attempt in (1, 2):
            try:
                r, body = await self.post(content, accept, job.max_bytes)
                break
            except httpx.HTTPError as exc:
                if attempt == 1 and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
                    continue  # the connection broke (a replica behind a load balancer stopped while
                    # answering): a query is read-only, so it is asked once more
                source.failures += 1
                raise BackendError(f"the SPARQL store did not answer ({type(exc).__name__}); retry later") from None
        if 400 <= r.status_code < 500:
            raise errors.QuerySyntaxError(f"the SPARQL store refused the query: {store_message(r, bytes(body))}")
        if r.status_code != 200:
            source.failures += 1
            raise BackendError(f"the SPARQL store failed (HTTP {r.status_code}): {store_message(r, bytes(body))}")
        return r.headers.get("content-type", ""), bytes(body)

    async def post(self, content: bytes, accept: str, max_bytes: int) -> tuple[httpx.Response, bytearray]:
        """The store's response to one POST of the query, its body read up to the raw cap."""
        async with self.source.http().stream("POST", self.source.url, content=content,
                                             headers={"Accept": accept, "Content-Type": protocol.FORM}) as r:
            body = bytearray()
            async for chunk in r.aiter_bytes():
                body += chunk
                if len(body) > max_bytes * RAW_FACTOR:
                    raise errors.ResultTooLarge(f"the result is larger than {max_bytes} bytes; "
                                                "narrow the query or add LIMIT")
        return r, body

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def kill(self) -> None:
        self.stop()
