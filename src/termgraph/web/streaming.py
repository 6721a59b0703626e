"""Large query results, streamed from the file the worker spooled them into (executor/jobs.py).

The file is opened and at once unlinked, so it goes away with its last handle whatever happens
to the connection; it is read one chunk at a time (from the page cache on the event loop when
it is there, else in a thread), and the next chunk is read only once the previous one is handed
to the client's connection (back-pressure: the server's memory does not grow with the result or
with a client that reads slowly). A client that reads nothing for TERMGRAPH_SEND_TIMEOUT seconds
is cut off by the server's protocol (web/connections.py), so a reader that stalls cannot hold a
file or a socket for ever; one that keeps reading, however slowly, is not.

A finished file (SpooledResponse) carries the marker header STREAMED and, answering a GET, the
ETag of its bytes (the worker hashed them while writing), so that manners.py answers
conditional requests and compresses without holding the body; it removes the marker from every
answer, a POST's included. A POST's answer may instead be sent while its worker is still
writing it (FollowingResponse, executor/following.py): chunked, with no Content-Length, and cut
off (never completed) if the query fails after its first bytes.
"""

from __future__ import annotations

import asyncio
import logging
import os

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from termgraph import errors
from termgraph.executor.interface import Answer, read_at
from termgraph.web.manners import STREAMED, etag_of_digest

CHUNK = 256 << 10
# A client that reads nothing of an answer for a while is cut off by the server's protocol
# (web/connections.py, TERMGRAPH_SEND_TIMEOUT): the socket aborted, not drained. Here a send
# waits as long as the client keeps reading, however slowly; once the connection is gone the
# response stops at its next chunk.
log = logging.getLogger("termgraph")


def raw_headers(headers: dict[str, str], media_type: str) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()] + [
        (b"content-type", media_type.encode("latin-1"))]


class SpooledResponse(Response):
    def __init__(self, answer: Answer, headers: dict[str, str]):  # noqa: D107 - no body in memory
        self.status_code, self.background, self.media_type = 200, None, answer.media_type
        self.file = open(answer.path, "rb")  # noqa: SIM115 - closed when sent (or dropped)
        os.unlink(answer.path)
        self.size = answer.size
        self.raw_headers = raw_headers(headers, answer.media_type) + [
            (b"content-length", str(answer.size).encode()),
            (STREAMED, b"1"),
        ] + ([(b"etag", etag_of_digest(answer.digest).encode())] if answer.digest else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gone = asyncio.ensure_future(disconnected(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            offset = 0
            while not gone.done():
                chunk = await read_at(self.file, offset, CHUNK)
                if not chunk:
                    return  # shorter than its worker said: cut off, never completed
                offset += len(chunk)
                more = offset < self.size
                await send({"type": "http.response.body", "body": chunk, "more_body": more})
                if not more:
                    return
        except OSError:
            return  # the client went away: the file goes with its handle
        finally:
            gone.cancel()
            self.file.close()


async def disconnected(receive: Receive) -> None:
    """Ends when the client has gone (a GET's request may still have its empty body to read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


class FollowingResponse(Response):
    def __init__(self, answer: Answer, headers: dict[str, str]):  # noqa: D107 - no body in memory
        self.status_code, self.background, self.media_type = 200, None, answer.media_type
        self.following = answer.following
        self.raw_headers = raw_headers(headers, answer.media_type)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gone = asyncio.ensure_future(receive())  # (the request is read: this ends when the client goes)
        chunks = self.following.chunks(CHUNK)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            async for chunk in chunks:
                if gone.done():
                    return  # the client went away: its query, if still running, is stopped (Following.close)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except errors.TermgraphError as exc:  # after the first bytes: the connection is cut
            log.warning("a streamed answer was cut off: %s", exc.message)
        except OSError:
            return  # the client went away
        finally:
            gone.cancel()
            await chunks.aclose()
            self.following.close()


def result_response(answer: Answer, headers: dict[str, str]):
    """The answer as a response: sent as its worker writes it, streamed from its file when
    spooled, else in one piece."""
    if answer.following is not None:
        return FollowingResponse(answer, headers)
    if answer.path is not None:
        return SpooledResponse(answer, headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)
