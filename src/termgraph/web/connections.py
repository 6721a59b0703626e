"""Connection hygiene for uvicorn: a connection must finish its request headers within a time
limit (slowloris); a request target (path and query string) or a request head (request line and
headers) longer than its cap is answered 414 / 431 with the JSON error envelope as soon as the cap
is passed, never buffered whole; and the process may open as many files as its hard limit allows."""

from __future__ import annotations

import json
import resource

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from termgraph.errors import TermgraphError, UriTooLong, envelope

LINGER = 2.0  # seconds a refused connection is still read (and discarded) before it is closed


class HeadersTooLarge(TermgraphError):
    status = 431


class TargetTooLong(Exception):
    """Raised from the parser's URL callback to stop parsing a request target past the cap."""


def error_response(error: TermgraphError, reason: bytes) -> bytes:
    """The whole answer, as the app would send it: the JSON error envelope, then close."""
    from termgraph.web.policy import SECURITY_HEADERS

    body = json.dumps(envelope(error), separators=(",", ":")).encode()
    head = [b"HTTP/1.1 %d %s" % (error.status, reason), b"content-type: application/json",
            b"content-length: " + str(len(body)).encode(), b"connection: close"]
    head += [name + b": " + value for name, value in SECURITY_HEADERS]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def uri_too_long_response(max_target: int) -> bytes:
    return error_response(UriTooLong(f"the request target (path and query string) is longer than {max_target} "
                                     "bytes; POST the query instead"), b"Request-URI Too Long")


def headers_too_large_response(max_head: int) -> bytes:
    return error_response(HeadersTooLarge(f"the request line and headers are longer than {max_head} bytes; "
                                          "send fewer or shorter headers"), b"Request Header Fields Too Large")


def protocol_with_header_timeout(seconds: float, max_target: int | None = None, max_head: int | None = None) -> type:
    """uvicorn's httptools protocol, closing a connection whose headers take longer than `seconds`
    (from the connection's start, or from the first byte of each later request on it).

    httptools buffers a request target and header values of any length (its URL parser then
    refuses targets over 65,535 bytes, which uvicorn answered with a bare 400 "Invalid HTTP
    request received."). With `max_target`, a longer target gets 414; with `max_head`, a longer
    request line and headers get 431; both with the JSON envelope, at once."""

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        header_timer = None
        target_too_long = False
        refused = False
        head_bytes: int | None = 0  # bytes of the request head so far; None once it is complete

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if max_target is not None and len(self.url) > max_target:
                self.url, self.target_too_long = b"", True
                raise TargetTooLong  # httptools stops; uvicorn answers via send_400_response

        def send_400_response(self, msg: str) -> None:
            if not self.target_too_long:
                return super().send_400_response(msg)
            self.refuse(uri_too_long_response(max_target))

        def data_received(self, data: bytes) -> None:
            if self.refused:
                return
            if self.head_bytes is not None:
                self.head_bytes += len(data)
            super().data_received(data)
            if max_head is not None and self.head_bytes is not None and self.head_bytes > max_head and not self.refused:
                self.refuse(headers_too_large_response(max_head))

        def refuse(self, response: bytes) -> None:
            """Answer, then stop writing but keep reading (and discarding) for a moment, so that
            a client still sending gets the answer rather than a reset from unread data."""
            self.refused = True
            self.disarm()
            self.transport.write(response)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(LINGER, self.transport.close)

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.head_bytes = 0
            self.arm()

        def on_headers_complete(self) -> None:
            self.disarm()
            self.head_bytes = None
            super().on_headers_complete()
            if self.cycle is not None:
                self.cycle.transport = HeadWithBody(self.transport, self.cycle)

        def on_response_complete(self) -> None:
            if self.cycle is not None and isinstance(self.cycle.transport, HeadWithBody):
                self.cycle.transport.flush()  # (a HEAD answer, which writes no body)
            super().on_response_complete()

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


class HeadWithBody:
    """A response's transport as its request cycle sees it: the status line and headers are held
    until the first write of the body and go out with it in one system call (writelines), so that
    a small answer reaches the client as one segment, not two (two writes to a socket cost two
    wake-ups of the reader: about a tenth of a millisecond of an ASK's time). An interim 100
    Continue, written before the response starts, is not held; the head of an answer that writes
    no body (HEAD) is sent when the response completes, and before the transport is closed."""

    def __init__(self, transport, cycle):
        self.transport, self.cycle, self.held, self.done = transport, cycle, None, False

    def write(self, data) -> None:
        if self.held is not None:
            held, self.held, self.done = self.held, None, True
            self.transport.writelines([held, data])
        elif not self.done and self.cycle.response_started:
            self.held = bytes(data)
        else:
            self.transport.write(data)

    def flush(self) -> None:
        if self.held is not None:
            held, self.held, self.done = self.held, None, True
            self.transport.write(held)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def __getattr__(self, name):
        return getattr(self.transport, name)


def raise_open_file_limit() -> int:
    """Lift the soft limit on open files to the hard limit; return the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft
