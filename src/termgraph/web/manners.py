"""HTTP manners for every route, as one ASGI layer that handles each answer's headers once.

- HEAD on any GET route runs the GET and sends its status and headers (the same Content-Length
  and Content-Type) with no body.
- For a 200 answer to a GET (or HEAD):
  - a weak ETag (a hash of its uncompressed body) and a Last-Modified (when the served dataset
    was loaded: it never changes while served);
  - 304 Not Modified, with those headers and no body, for If-None-Match with a matching tag, or
    else If-Modified-Since not older than Last-Modified;
  - gzip (deterministic: no timestamp; level GZIP_LEVEL) for a body of `gzip_min` bytes or more
    when the client accepts it; such answers say `Vary: Accept-Encoding`, their 304s too.
  A streamed answer (a large query result, web/streaming.py: it carries a marker header and, for
  a GET, its ETag) is never held: it passes through chunk by chunk, compressed on the fly; for
  a HEAD or a 304 it is not made at all once its headers are sent (`Answered`).
- Every answer, whatever its status: CORS and the security headers (the rules: policy.py), the
  streaming marker removed; a CORS preflight is answered here.

One layer rather than one per concern: each layer wraps `send` and copies the answer's headers,
which on a cheap query (an ASK) cost as much as the query itself.
"""

from __future__ import annotations

import gzip
import hashlib
import time
import zlib
from email.utils import formatdate, parsedate_to_datetime

from starlette.datastructures import MutableHeaders

from termgraph.web import policy

STREAMED = b"x-termgraph-streamed"  # set by web/streaming.py, removed here
# Fast compression, as nginx's default (gzip_comp_level 1): a 1 MB query result compresses in
# ~3 ms instead of ~10 at zlib's default level, so compressing never costs a client more time
# than the bytes it saves on a fast link; the text we serve still shrinks to a fraction.
GZIP_LEVEL = 1
KEPT_ON_304 = {"etag", "last-modified", "vary", "cache-control", "content-location", "link"}


class Answered(Exception):
    """Raised from `send` once a streamed answer's HEAD or 304 is sent: nothing more of it is
    made (a release file of hundreds of MB is not read and compressed only to be dropped); the
    answer's own `finally` closes what it holds, and the layer ends the request there."""


def now() -> float:
    return time.time()


def etag_of(body: bytes) -> str:
    return etag_of_digest(hashlib.sha256(body).hexdigest())


def etag_of_digest(sha256_hex: str) -> str:
    """The weak ETag of a body whose SHA-256 is known (a streamed result's, hashed by its worker)."""
    return 'W/"' + sha256_hex[:32] + '"'


def tags_match(header: str, etag: str) -> bool:
    """If-None-Match compares weakly: W/"x" matches "x"."""
    bare = etag.removeprefix("W/")
    wanted = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in wanted or bare in wanted


def not_modified_since(header: str | None, last_modified: float) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as RFC 9110 says
    return int(last_modified) <= since


def accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def add_vary(headers: MutableHeaders, field: str) -> None:
    present = [v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()]
    if field.lower() not in present:
        headers["vary"] = ", ".join([headers["vary"], field]) if "vary" in headers else field


def header(request: dict, name: bytes) -> str | None:
    """A request header's (first) value as text; `request` maps lower-case names to values."""
    value = request.get(name)
    return None if value is None else value.decode("latin-1")


class Outgoing:
    """The last step of every answer: the streaming marker out, CORS and the security headers
    in, and for HEAD no body."""

    def __init__(self, send, origin: bytes | None, head: bool):
        self.downstream, self.origin, self.head = send, origin, head

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k != STREAMED]
            message = {**message, "headers": policy.with_security_headers(policy.with_cors(headers, self.origin))}
        elif self.head and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await self.downstream(message)


class Manners:
    def __init__(self, app, last_modified: float, gzip_min: int = 4096):
        self.app = app
        self.last_modified = last_modified
        self.http_date = formatdate(int(last_modified), usegmt=True)
        self.gzip_min = gzip_min

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = dict(reversed(scope["headers"]))  # the first of repeated headers wins
        method = scope["method"]
        if policy.is_preflight(method, request):
            status, headers, body = policy.preflight(request)
            await send({"type": "http.response.start", "status": status,
                        "headers": policy.with_security_headers(headers)})
            return await send({"type": "http.response.body", "body": body})
        out = Outgoing(send, request.get(b"origin"), method == "HEAD")
        if method not in ("GET", "HEAD"):  # (a POST's answer: no validators)
            return await self.app(scope, receive, out.send)
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
        try:
            await self.app(scope, receive, self.representing(request, out.send, method == "HEAD"))
        except Answered:
            pass

    def representing(self, request: dict, send, head: bool = False):
        """`send` for a GET: a 200 answer held until whole (or a streamed one passed through)."""
        start, chunks = {}, []

        async def collect(message):
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] != 200:
                    start["passthrough"] = True
                    await send(message)
                elif any(k == STREAMED for k, _ in message.get("headers", [])):
                    start["stream"] = await self.begin_stream(request, message, send)
                    if head:  # its status and headers are the answer: the body is not made
                        await send({"type": "http.response.body", "body": b""})
                        raise Answered
            elif "stream" in start:
                await start["stream"](message)
            elif start.get("passthrough"):
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self.finish(request, start, b"".join(chunks), send)
        return collect

    async def begin_stream(self, request: dict, start: dict, send):
        """Send the start of a streamed answer (or a 304); return what sends each chunk."""
        headers = MutableHeaders(raw=[(k, v) for k, v in start["headers"] if k != STREAMED])
        headers["last-modified"] = self.http_date
        add_vary(headers, "Accept-Encoding")
        if self.fresh(request, headers["etag"], headers["last-modified"]):
            await self.not_modified(headers, send)
            raise Answered
        if not accepts_gzip(header(request, b"accept-encoding")):
            await send({**start, "headers": headers.raw})
            return send
        del headers["content-length"]
        headers["content-encoding"] = "gzip"
        await send({**start, "headers": headers.raw})
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # a gzip stream, no timestamp

        async def compress(message):
            more = message.get("more_body", False)
            body = packer.compress(message.get("body", b"")) + (b"" if more else packer.flush())
            await send({**message, "body": body})
        return compress

    def fresh(self, request: dict, etag: str, last_modified: str) -> bool:
        if_none = header(request, b"if-none-match")
        if if_none is not None:
            return tags_match(if_none, etag)
        try:
            stamp = parsedate_to_datetime(last_modified).timestamp()
        except (TypeError, ValueError, IndexError):
            stamp = self.last_modified
        return not_modified_since(header(request, b"if-modified-since"), stamp)

    @staticmethod
    async def not_modified(headers: MutableHeaders, send) -> None:
        kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})

    async def finish(self, request: dict, start: dict, body: bytes, send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        headers["etag"] = etag = headers.get("etag") or etag_of(body)
        if "last-modified" not in headers:
            headers["last-modified"] = self.http_date
        compressible = len(body) >= self.gzip_min and "content-encoding" not in headers
        if compressible:
            add_vary(headers, "Accept-Encoding")
        if self.fresh(request, etag, headers["last-modified"]):
            return await self.not_modified(headers, send)
        if compressible and accepts_gzip(header(request, b"accept-encoding")):
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            headers["content-encoding"] = "gzip"
        headers["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": 200, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
