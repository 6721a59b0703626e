"""HTTP manners for every route, as ASGI middleware: HEAD, conditional GET (ETag, 304), gzip.

- HeadMiddleware: HEAD on any GET route runs the GET and sends its status and headers (the
  same Content-Length and Content-Type) with no body.
- RepresentationMiddleware, for a 200 answer to a GET:
  - a weak ETag (a hash of its uncompressed body) and a Last-Modified (when the served dataset
    was loaded: it never changes while served);
  - 304 Not Modified, with those headers and no body, for If-None-Match with a matching tag, or
    else If-Modified-Since not older than Last-Modified;
  - gzip (deterministic: no timestamp; level GZIP_LEVEL) for a body of `gzip_min` bytes or more
    when the client accepts it; such answers say `Vary: Accept-Encoding`, their 304s too.
  A streamed answer (a large query result, web/streaming.py: it carries a marker header and, for
  a GET, its ETag) is never held: it passes through chunk by chunk, compressed on the fly; the
  marker is removed whatever the method.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import re
import time
import zlib
from email.utils import formatdate, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders

STREAMED = b"x-termgraph-streamed"  # set by web/streaming.py, removed here
# Fast compression, as nginx's default (gzip_comp_level 1): a 1 MB query result compresses in
# ~3 ms instead of ~10 at zlib's default level, so compressing never costs a client more time
# than the bytes it saves on a fast link; the text we serve still shrinks to a fraction.
GZIP_LEVEL = 1
KEPT_ON_304 = {"etag", "last-modified", "vary", "cache-control", "content-location", "link"}


async def swallow(message) -> None:
    """The body of an answer already answered with 304: dropped."""


def now() -> float:
    return time.time()


class HeadMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def no_body(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


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


def unmarked(send):
    """`send`, with the STREAMED marker taken out of a response's headers."""
    async def without_marker(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [(k, v) for k, v in message.get("headers", []) if k != STREAMED]}
        await send(message)
    return without_marker


class RepresentationMiddleware:
    def __init__(self, app, last_modified: float, gzip_min: int = 4096):
        self.app = app
        self.last_modified = last_modified
        self.http_date = formatdate(int(last_modified), usegmt=True)
        self.gzip_min = gzip_min

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] != "GET":  # (a POST's answer: no validators, but never the marker)
            return await self.app(scope, receive, unmarked(send))
        start, chunks = {}, []

        async def collect(message):
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] != 200:
                    start["passthrough"] = True
                    await send(message)
                elif any(k == STREAMED for k, _ in message.get("headers", [])):
                    start["stream"] = await self.begin_stream(scope, message, send)
            elif "stream" in start:
                await start["stream"](message)
            elif start.get("passthrough"):
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self.finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, collect)

    async def begin_stream(self, scope, start: dict, send):
        """Send the start of a streamed answer (or a 304); return what sends each chunk."""
        headers = MutableHeaders(raw=[(k, v) for k, v in start["headers"] if k != STREAMED])
        request = Headers(scope=scope)
        headers["last-modified"] = self.http_date
        add_vary(headers, "Accept-Encoding")
        if self.fresh(request, headers["etag"], headers["last-modified"]):
            kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return swallow
        if not accepts_gzip(request.get("accept-encoding")):
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

    def fresh(self, request: Headers, etag: str, last_modified: str) -> bool:
        if_none = request.get("if-none-match")
        if if_none is not None:
            return tags_match(if_none, etag)
        try:
            stamp = parsedate_to_datetime(last_modified).timestamp()
        except (TypeError, ValueError, IndexError):
            stamp = self.last_modified
        return not_modified_since(request.get("if-modified-since"), stamp)

    async def finish(self, scope, start: dict, body: bytes, send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        request = Headers(scope=scope)
        headers["etag"] = etag = headers.get("etag") or etag_of(body)
        if "last-modified" not in headers:
            headers["last-modified"] = self.http_date
        compressible = len(body) >= self.gzip_min and "content-encoding" not in headers
        if compressible:
            add_vary(headers, "Accept-Encoding")
        if self.fresh(request, etag, headers["last-modified"]):
            kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        if compressible and accepts_gzip(request.get("accept-encoding")):
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            headers["content-encoding"] = "gzip"
        headers["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": 200, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})


# YASGUI's results table (its column resizer, in yasgui.min.js) adds two fixed <style> blocks: its
# table CSS, and a cursor while a column is dragged. They are allowed by their SHA-256 hashes, not
# with 'unsafe-inline' (tests/test_linked_data.py recomputes the first from the vendored file).
YASR_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)

# Every response, whatever its status: no MIME sniffing, no framing by other sites (clickjacking),
# no referrer leaked to the sites a page links to, no plugins, forms and <base> only to this site,
# and everything a page loads (scripts, styles, images, fonts, fetches, workers) from this site
# only: no inline script (page data travels in data-* attributes or JSON data blocks), no eval,
# no style attribute, no inline style block but the two above.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    " ".join(["style-src 'self'", *YASR_STYLE_HASHES]),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", CSP.encode()),
]


def policy_with_inline_styles(html: str) -> str:
    """The policy, also allowing the page's own <style> blocks by their hash (pyLODE's ontology
    page embeds its CSS): still no inline script, no style attribute, no other inline style."""
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S | re.I)
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks]
    return CSP.replace("style-src 'self'", " ".join(["style-src 'self'", *hashes]))


@functools.lru_cache(maxsize=8)
def policy_for_file(path: str, mtime_ns: int) -> str:
    """`policy_with_inline_styles` for an HTML file, once per version of the file."""
    with open(path, encoding="utf-8") as page:
        return policy_with_inline_styles(page.read())


class SecurityHeadersMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
