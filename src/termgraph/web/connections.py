"""Connection hygiene for uvicorn: a connection must finish its request headers within a time
limit (slowloris), a request target (path and query string) longer than a cap gets 414 with the
JSON error envelope before it is buffered whole, and the process may open as many files as its
hard limit allows."""

from __future__ import annotations

import json
import resource

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from termgraph.errors import UriTooLong, envelope

LINGER = 2.0  # seconds a refused connection is still read (and discarded) before it is closed


class TargetTooLong(Exception):
    """Raised from the parser's URL callback to stop parsing a request target past the cap."""


def uri_too_long_response(max_target: int) -> bytes:
    """The whole 414 answer, as the app would send it: the JSON error envelope, then close."""
    from termgraph.web.manners import SECURITY_HEADERS

    error = UriTooLong(f"the request target (path and query string) is longer than {max_target} bytes; "
                       "POST the query instead")
    body = json.dumps(envelope(error), separators=(",", ":")).encode()
    head = [b"HTTP/1.1 414 Request-URI Too Long", b"content-type: application/json",
            b"content-length: " + str(len(body)).encode(), b"connection: close"]
    head += [name + b": " + value for name, value in SECURITY_HEADERS]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def protocol_with_header_timeout(seconds: float, max_target: int | None = None) -> type:
    """uvicorn's httptools protocol, closing a connection whose headers take longer than `seconds`
    (from the connection's start, or from the first byte of each later request on it).

    With `max_target`, a request target longer than that many bytes is answered 414 (JSON
    envelope) as soon as the cap is passed; the rest is never read. Without this, httptools
    buffers any length and its URL parser refuses targets over 65,535 bytes, which uvicorn turns
    into a bare 400 "Invalid HTTP request received."."""

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        header_timer = None
        target_too_long = False

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if max_target is not None and len(self.url) > max_target:
                self.url, self.target_too_long = b"", True
                raise TargetTooLong  # httptools stops; uvicorn answers via send_400_response

        def send_400_response(self, msg: str) -> None:
            """For a target past the cap: answer 414, then stop writing but keep reading (and
            discarding) for a moment, so that the client, still sending, gets the answer rather
            than a connection reset from unread data."""
            if not self.target_too_long:
                return super().send_400_response(msg)
            self.disarm()
            self.transport.write(uri_too_long_response(max_target))
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(LINGER, self.transport.close)

        def data_received(self, data: bytes) -> None:
            if not self.target_too_long:
                super().data_received(data)

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.arm()

        def on_headers_complete(self) -> None:
            self.disarm()
            super().on_headers_complete()

        def connection_lost(self, exc) -> None:
            self.disarm()
            super().connection_lost(exc)

        def arm(self) -> None:
            self.disarm()
            self.header_timer = self.loop.call_later(seconds, self.expire)

        def disarm(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def expire(self) -> None:
            self.header_timer = None
            if not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutProtocol


def raise_open_file_limit() -> int:
    """Lift the soft limit on open files to the hard limit; return the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft
