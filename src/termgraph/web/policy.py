"""What every response says about who may use it: the security headers (a Content Security
Policy among them) and CORS. The rules live here; manners.py applies them to every answer."""

from __future__ import annotations

import base64
import functools
import hashlib
import re

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


def with_security_headers(headers: list) -> list:
    """`headers` (raw pairs) and every security header the response does not set itself."""
    present = {k.lower() for k, _ in headers}
    return headers + [(k, v) for k, v in SECURITY_HEADERS if k not in present]


# --- CORS: any site may query the endpoint and read the pages' data, without credentials ------

CORS_METHODS = ("GET", "POST", "HEAD", "OPTIONS")
CORS_EXPOSED = ("Link", "Content-Type", "Content-Length", "Retry-After", "ETag", "Last-Modified", "Vary")
CORS_MAX_AGE = 86400  # seconds a browser may keep a preflight's answer
# A simple (non-preflight) cross-origin request: the answer may be read by any origin.
CORS_SIMPLE = [(b"access-control-allow-origin", b"*"),
               (b"access-control-expose-headers", ", ".join(CORS_EXPOSED).encode())]
PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, " \
                 "Access-Control-Request-Private-Network"


def with_cors(headers: list, origin: bytes | None) -> list:
    """A response's headers for CORS: with an Origin, allowed to every origin (no credentials)
    with the headers a script may read; either way `Vary: Origin`, in one Vary header."""
    vary = [v.decode("latin-1") for k, v in headers if k.lower() == b"vary"]
    out = [(k, v) for k, v in headers if k.lower() != b"vary"]
    if origin is not None:
        names = {k for k, _ in CORS_SIMPLE}
        out = [(k, v) for k, v in out if k.lower() not in names] + CORS_SIMPLE
    return out + [(b"vary", ", ".join([*vary, "Origin"]).encode("latin-1"))]


def is_preflight(method: str, request: dict) -> bool:
    """A browser's CORS preflight: OPTIONS with an Origin and Access-Control-Request-Method."""
    return method == "OPTIONS" and b"origin" in request and b"access-control-request-method" in request


def preflight(request: dict) -> tuple[int, list, bytes]:
    """The answer to a preflight (`request`: its headers by lower-case name): 200 when the method
    is one we take and no private-network access is asked for, else 400 naming what is refused.
    Any requested headers are allowed (echoed back)."""
    headers = [(b"vary", PREFLIGHT_VARY.encode()), (b"access-control-allow-origin", b"*"),
               (b"access-control-allow-methods", ", ".join(CORS_METHODS).encode()),
               (b"access-control-max-age", str(CORS_MAX_AGE).encode())]
    if b"access-control-request-headers" in request:
        headers.append((b"access-control-allow-headers", request[b"access-control-request-headers"]))
    failures = [name for name, refused in (
        ("method", request[b"access-control-request-method"].decode("latin-1") not in CORS_METHODS),
        ("private-network", b"access-control-request-private-network" in request)) if refused]
    body = ("Disallowed CORS " + ", ".join(failures)).encode() if failures else b"OK"
    headers += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    return (400 if failures else 200), headers, body
