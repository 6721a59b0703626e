"""The SPARQL 1.1 Protocol as pure functions: read a request, negotiate the result format.

Nothing here touches the network or the store; routes call these and map errors to statuses.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass
from urllib.parse import parse_qsl

from termgraph import formats
from termgraph.errors import BadRequest, ForbiddenQuery, NotAcceptable, PayloadTooLarge, UnsupportedMediaType, UriTooLong

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs against; empty lists mean 'not given'."""

    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()

    def given(self) -> bool:
        return bool(self.default_graph_uris or self.named_graph_uris)


@dataclass(frozen=True)
class QueryRequest:
    query: str
    dataset: Dataset
    format: str | None  # _mediatype= or else format=, if given (overrides Accept)


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 1_000_000
    max_query_string: int = 16_384


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """'application/sparql-query; charset=UTF-8' -> ('application/sparql-query', {'charset': 'UTF-8'})."""
    if not content_type:
        return "", {}
    main, *params = content_type.split(";")
    parsed = {}
    for p in params:
        key, _, value = p.strip().partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), parsed


def decode_utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the {what} is not UTF-8 (byte {exc.start}); send UTF-8") from None


def one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise BadRequest(f"{len(values)} '{name}' parameters: send exactly one")
    return values[0] if values else None


def requested_format(params: list[tuple[str, str]]) -> str | None:
    """`_mediatype` over `format` (each given at most once)."""
    for name in OVERRIDES:
        value = one(params, name)
        if value:
            return value
    return None


def graph_iri(name: str, value: str) -> str:
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise BadRequest(f"{name}={value!r} is not an absolute IRI ({exc})") from None


def dataset_of(params: list[tuple[str, str]]) -> Dataset:
    return Dataset(
        default_graph_uris=tuple(graph_iri(k, v) for k, v in params if k == "default-graph-uri"),
        named_graph_uris=tuple(graph_iri(k, v) for k, v in params if k == "named-graph-uri"),
    )


def refuse_updates(params: list[tuple[str, str]], content_type: str) -> None:
    if content_type == UPDATE or any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
        raise ForbiddenQuery("this endpoint is read-only: SPARQL Update is not accepted")


def parse_request(method: str, query_string: str, content_type: str | None, body: bytes,
                  limits: Limits = Limits()) -> QueryRequest | None:
    """Read a protocol request. Returns None for a GET with no query (the service description)."""
    if len(query_string) > limits.max_query_string:
        raise UriTooLong(f"the query string is longer than {limits.max_query_string} bytes; POST the query instead")
    if len(body) > limits.max_body_bytes:
        raise PayloadTooLarge(f"the request body is larger than {limits.max_body_bytes} bytes")
    url_params = parse_qsl(query_string, keep_blank_values=True)
    mtype, mparams = media_type(content_type)
    refuse_updates(url_params, mtype)
    if method in ("GET", "HEAD"):
        query = one(url_params, "query")
        if query is None:
            return None
        return QueryRequest(query, dataset_of(url_params), requested_format(url_params))
    if method != "POST":
        raise BadRequest(f"{method} is not a SPARQL protocol method: use GET or POST")
    charset = mparams.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset={mparams['charset']}: the body must be UTF-8")
    if mtype == FORM:
        form = parse_qsl(decode_utf8(body, "form body"), keep_blank_values=True)
        refuse_updates(form, "")
        params = url_params + form
        query = one(params, "query")
        if query is None:
            raise BadRequest("the form has no 'query' parameter")
        return QueryRequest(query, dataset_of(params), requested_format(params))
    if mtype == DIRECT:
        if one(url_params, "query") is not None:
            raise BadRequest("a query in both the URL and the body: send one")
        return QueryRequest(decode_utf8(body, "query"), dataset_of(url_params), requested_format(url_params))
    shown = mtype or "no Content-Type"
    raise UnsupportedMediaType(f"{shown}: POST a query as {DIRECT} or {FORM}")


# --- content negotiation: one response policy for every route -----------------------------------
#
# The format of a response is chosen, first match wins, by
#   1. `_mediatype=` (a media type or a short name: ?_mediatype=text/turtle, ?_mediatype=turtle),
#   2. `format=` (the same values; the SPARQL endpoints' custom),
#   3. the Accept header (q-values, then the most specific range, then the server's order).
# An override the route does not offer, or an Accept none of whose types it offers, is a 406.

OVERRIDES = ("_mediatype", "format")


def override_of(params) -> str | None:
    """The format a request names explicitly: `_mediatype` over `format` (either may be absent).
    `params` is a mapping or a list of (name, value) pairs."""
    pairs = params.items() if hasattr(params, "items") else params
    given = {k: v for k, v in pairs if k in OVERRIDES and v}
    return next((given[k] for k in OVERRIDES if k in given), None)


def parse_accept(accept: str | None) -> list[tuple[str, float, int]]:
    """Media ranges with their q-values, in the header's order."""
    if not accept or not accept.strip():
        return [("*/*", 1.0, 0)]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        mtype, params = media_type(part)
        if not mtype:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append((mtype, q, i))
    return ranges


def specificity(range_: str, offered: str) -> int:
    if range_ == offered:
        return 3
    if range_.endswith("/*") and offered.startswith(range_[:-1]):
        return 2
    if range_ == "*/*":
        return 1
    return 0


def aliases_for(offered: list[str]) -> dict[str, str]:
    """Media types clients send for one we offer (application/x-turtle -> text/turtle …)."""
    table: dict[str, str] = {}
    for media in offered:
        fmt = formats.BY_MEDIA_TYPE.get(media)
        for alias in fmt.aliases if fmt else ():
            if alias not in offered:
                table.setdefault(alias, media)
    return table


def resolve_override(override: str, offered: list[str]) -> str:
    wanted = override.strip().lower()
    fmt = formats.BY_NAME.get(wanted)
    if fmt is not None and fmt.media_type in offered:
        return fmt.media_type
    alias = aliases_for(offered).get(media_type(wanted)[0])
    if alias:
        return alias
    raise NotAcceptable(f"format {override} is not available here; use one of: {', '.join(offered)}")


def negotiate(accept: str | None, offered: list[str], override: str | None = None) -> str:
    """Pick the offered type the client likes best. `offered` is in the server's order of
    preference (it breaks ties and answers wildcards). `override`: a _mediatype= / format= value."""
    if override:
        return resolve_override(override, offered)
    aliases = aliases_for(offered)
    ranges = [(aliases.get(r, r), q, i) for r, q, i in parse_accept(accept)]
    best, best_key = None, None
    for pos, offer in enumerate(offered):
        matches = [(specificity(r, offer), q) for r, q, _ in ranges if specificity(r, offer)]
        if not matches:
            continue
        q = max(matches)[1]  # the most specific range decides the quality
        if q <= 0:
            continue
        key = (q, -pos)
        if best_key is None or key > best_key:
            best, best_key = offer, key
    if best is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) is available; this returns: {', '.join(offered)}")
    return best


def offered_for(form: str, html: bool = False) -> list[str]:
    """What a query result of this form can be sent as, in order of preference. ASK puts CSV and
    TSV last (a boolean in a table is an odd answer); HTML, for browsers, comes last of all."""
    if form in ("SELECT", "ASK"):
        offered = formats.media_types(formats.SOLUTIONS)
        if form == "ASK":
            offered = [t for t in offered if t not in ("text/csv", "text/tab-separated-values")] + \
                      ["text/csv", "text/tab-separated-values"]
    else:
        offered = formats.media_types(formats.GRAPH)
    return offered + (["text/html"] if html else [])


CACHED_UP_TO = 512  # characters of Accept and format: longer requests are negotiated uncached


def result_type(accept: str | None, form: str, override: str | None = None, html: bool = False) -> str:
    """The media type for a result of this form (SELECT/ASK or CONSTRUCT/DESCRIBE)."""
    if len(accept or "") + len(override or "") > CACHED_UP_TO:  # the cache's memory stays small
        return negotiate(accept, offered_for(form, html), override)
    return cached_result_type(accept, form, override, html)


@functools.lru_cache(maxsize=1024)  # clients send a handful of distinct Accept headers
def cached_result_type(accept: str | None, form: str, override: str | None, html: bool) -> str:
    return negotiate(accept, offered_for(form, html), override)
