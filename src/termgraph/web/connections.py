"""Connection hygiene for uvicorn: a connection must finish its request headers within a time
limit (slowloris), and its request body within another; one address may hold only so many
connections at once (a trusted proxy's excepted); an answer the client reads nothing of for a
while is aborted, its socket released at once; a request target (path and query string) or a
request head (request line and headers) longer than its cap is answered 414 / 431 with the JSON
error envelope as soon as the cap is passed, never buffered whole; uvicorn's own refusals (503
past the connection limit, 400 for a request it cannot parse) carry the envelope and the
security headers too; and the process may open as many files as its hard limit allows."""

from __future__ import annotations

import json
import resource
from collections import Counter

from uvicorn.protocols.http import httptools_impl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from termgraph.errors import BadRequest, Overloaded, TermgraphError, UriTooLong, envelope

LINGER = 2.0  # seconds a refused connection is still read (and discarded) before it is closed


class HeadersTooLarge(TermgraphError):
    status = 431


class BodyTimeout(TermgraphError):
    status = 408


class TargetTooLong(Exception):
    """Raised from the parser's URL callback to stop parsing a request target past the cap."""


def error_headers(error: TermgraphError, body: bytes) -> list[tuple[bytes, bytes]]:
    """The headers of an error answer the app itself does not send (the envelope's)."""
    from termgraph.web.policy import SECURITY_HEADERS

    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    headers += [(name.lower().encode(), value.encode()) for name, value in error.headers().items()]
    return headers + list(SECURITY_HEADERS)


def error_response(error: TermgraphError, reason: bytes) -> bytes:
    """The whole answer, as the app would send it: the JSON error envelope, then close."""
    body = json.dumps(envelope(error), separators=(",", ":")).encode()
    head = [b"HTTP/1.1 %d %s" % (error.status, reason)]
    head += [name + b": " + value for name, value in error_headers(error, body)]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def too_many_connections(limit: int) -> TermgraphError:
    return Overloaded(f"the server has {limit} connections open, its limit; retry shortly").with_retry_after(1)


def over_the_limit_app(limit: int):
    """uvicorn's answer past its connection limit (`limit_concurrency`), as an ASGI app: 503 with
    Retry-After, the envelope and the security headers (uvicorn's own is bare text)."""
    async def service_unavailable(scope, receive, send) -> None:
        error = too_many_connections(limit)
        body = json.dumps(envelope(error), separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": 503, "headers": error_headers(error, body)})
        await send({"type": "http.response.body", "body": body, "more_body": False})
    return service_unavailable


def uri_too_long_response(max_target: int) -> bytes:
    return error_response(UriTooLong(f"the request target (path and query string) is longer than {max_target} "
                                     "bytes; POST the query instead"), b"Request-URI Too Long")


def headers_too_large_response(max_head: int) -> bytes:
    return error_response(HeadersTooLarge(f"the request line and headers are longer than {max_head} bytes; "
                                          "send fewer or shorter headers"), b"Request Header Fields Too Large")


def protocol_with_header_timeout(seconds: float, max_target: int | None = None, max_head: int | None = None,
                                 body_seconds: float | None = None, per_client: int | None = None,
                                 trusted: tuple[str, ...] = (), send_seconds: float | None = None,
                                 max_connections: int | None = None) -> type:
    """uvicorn's httptools protocol, closing a connection whose headers take longer than `seconds`
    (from the connection's start, or from the first byte of each later request on it).

    With `body_seconds`, a request body that has not all arrived that long after its headers
    (a slow body, or one shorter than its Content-Length) is answered 408 and the connection
    closed. With `per_client`, an address (other than a `trusted` proxy's) that already holds
    that many connections gets 503 with Retry-After on its next, which is closed at once. With
    `send_seconds`, an answer the client reads nothing of for that long (the socket's send
    buffer full, and not one byte of it taken) is aborted: the socket is released at once,
    not drained.

    httptools buffers a request target and header values of any length (its URL parser then
    refuses targets over 65,535 bytes, which uvicorn answered with a bare 400 "Invalid HTTP
    request received."). With `max_target`, a longer target gets 414; with `max_head`, a longer
    request line and headers get 431; both with the JSON envelope, at once."""

    open_from: Counter = Counter()  # connections per address, of this server

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        header_timer = body_timer = send_timer = None
        target_too_long = False
        refused = False
        head_bytes: int | None = 0  # bytes of the request head so far; None once it is complete
        peer: str | None = None  # the address counted against the per-address cap
        unsent = 0  # bytes waiting in the send buffer at the last check of a paused answer

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if max_target is not None and len(self.url) > max_target:
                self.url, self.target_too_long = b"", True
                raise TargetTooLong  # httptools stops; uvicorn answers via send_400_response

        def send_400_response(self, msg: str) -> None:
            if not self.target_too_long:
                self.refuse(error_response(BadRequest(f"the request could not be read as HTTP ({msg.rstrip('.')})"),
                                           b"Bad Request"))
                return
            self.refuse(uri_too_long_response(max_target))

        def data_received(self, data: bytes) -> None:
            if self.refused:
                return
            if self.head_too_large(data):
                self.refuse(headers_too_large_response(max_head))  # (in this very read: not parsed)
                return
            if self.head_bytes is not None:
                self.head_bytes += len(data)
            super().data_received(data)
            if max_head is not None and self.head_bytes is not None and self.head_bytes > max_head and not self.refused:
                self.refuse(headers_too_large_response(max_head))

        def head_too_large(self, data: bytes) -> bool:
            """This read takes the request head past its cap, and the head does not end within
            it (a request line too long is left to the parser: it answers 414)."""
            if max_head is None or self.head_bytes is None or self.head_bytes + len(data) <= max_head:
                return False
            if self.head_bytes == 0 and max_target is not None and data.find(b"\r\n", 0, max_target + 64) < 0:
                return False
            return b"\r\n\r\n" not in data[:max(0, max_head - self.head_bytes) + 4]

        def refuse(self, response: bytes, linger: float = LINGER) -> None:
            """Answer, then stop writing but keep reading (and discarding) for a moment, so that
            a client still sending gets the answer rather than a reset from unread data."""
            self.refused = True
            self.disarm()
            self.disarm_body()
            self.transport.write(response)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(linger, self.transport.close)

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            peer = (transport.get_extra_info("peername") or ("",))[0]
            if per_client is not None and peer not in trusted:
                if open_from[peer] >= per_client:
                    self.refuse(error_response(Overloaded(
                        f"this address already has {per_client} connections open; close one or retry "
                        "shortly").with_retry_after(1), b"Service Unavailable"), linger=0)
                    return
                open_from[peer] += 1
                self.peer = peer
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
            if body_seconds is not None:
                self.body_timer = self.loop.call_later(body_seconds, self.body_late)

        def on_message_complete(self) -> None:
            self.disarm_body()
            super().on_message_complete()

        def body_late(self) -> None:
            self.body_timer = None
            if self.refused or self.transport.is_closing():
                return
            if self.cycle is not None and self.cycle.response_started:
                self.transport.close()
                return
            self.refuse(error_response(BodyTimeout(
                f"the request body did not arrive within {body_seconds:g} s (is it shorter than its "
                "Content-Length?)"), b"Request Timeout"))

        def disarm_body(self) -> None:
            if self.body_timer is not None:
                self.body_timer.cancel()
                self.body_timer = None

        def pause_writing(self) -> None:
            super().pause_writing()
            if send_seconds is not None and self.send_timer is None:
                self.unsent = self.transport.get_write_buffer_size()
                self.send_timer = self.loop.call_later(send_seconds, self.check_reader)

        def resume_writing(self) -> None:
            self.disarm_send()
            super().resume_writing()

        def check_reader(self) -> None:
            """The answer has waited `send_seconds` for the client: if it took nothing of it
            meanwhile, abort (close() would wait for it to drain: for ever); else wait on."""
            self.send_timer = None
            unsent = self.transport.get_write_buffer_size()
            if unsent and unsent >= self.unsent:
                self.transport.abort()
                return
            self.unsent = unsent
            self.send_timer = self.loop.call_later(send_seconds, self.check_reader)

        def disarm_send(self) -> None:
            if self.send_timer is not None:
                self.send_timer.cancel()
                self.send_timer = None

        def on_response_complete(self) -> None:
            if self.cycle is not None and isinstance(self.cycle.transport, HeadWithBody):
                self.cycle.transport.flush()  # (a HEAD answer, which writes no body)
            super().on_response_complete()

        def connection_lost(self, exc) -> None:
            self.disarm()
            self.disarm_body()
            self.disarm_send()
            if self.peer is not None:
                open_from[self.peer] -= 1
                if open_from[self.peer] <= 0:
                    del open_from[self.peer]
                self.peer = None
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

    if max_connections is not None:  # (uvicorn's module-level app for its 503: ours instead)
        httptools_impl.service_unavailable = over_the_limit_app(max_connections)
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
