"""A response's head goes out with its first body write (web/connections.py: HeadWithBody), on
uvicorn's own request cycle over a transport that records its writes."""

from __future__ import annotations

import asyncio
import logging

from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

from termgraph.web.connections import HeadWithBody

from .transports import Transport


class Flow:
    write_paused = False

    def resume_reading(self) -> None:
        pass


def cycle_on(transport: Transport, method: str = "GET", expect_100: bool = False):
    completed: list[bool] = []
    log = logging.getLogger("test")
    cycle = RequestResponseCycle(scope={"method": method, "http_version": "1.1"}, transport=transport, flow=Flow(),
                                 logger=log, access_logger=log, access_log=False, default_headers=[],
                                 message_event=asyncio.Event(), expect_100_continue=expect_100, keep_alive=True,
                                 on_response=lambda: completed.append(True))
    held = HeadWithBody(transport, cycle)
    cycle.transport = held
    cycle.on_response = lambda: (held.flush(), completed.append(True))
    return cycle, held, completed


START = {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]}
BODY = {"type": "http.response.body", "body": b"true"}


def test_the_head_and_a_small_body_go_out_in_one_call():
    transport = Transport()
    cycle, _, completed = cycle_on(transport)

    async def answer():
        await cycle.send(START)
        assert transport.calls == []  # held until the body
        await cycle.send(BODY)
    asyncio.run(answer())
    assert [kind for kind, _ in transport.calls] == ["writelines"]
    head, body = transport.calls[0][1]
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and head.endswith(b"\r\n\r\n") and body == b"true"
    assert completed == [True]


def test_later_body_chunks_are_written_as_they_come():
    transport = Transport()
    cycle, _, _ = cycle_on(transport)

    async def answer():
        await cycle.send({**START, "headers": [(b"content-length", b"8")]})
        await cycle.send({**BODY, "more_body": True})
        await cycle.send(BODY)
    asyncio.run(answer())
    assert [(kind, len(chunks)) for kind, chunks in transport.calls] == [("writelines", 2), ("write", 1)]
    assert transport.calls[1][1] == [b"true"]


def test_the_head_of_an_answer_to_head_goes_out_when_the_response_completes():
    transport = Transport()
    cycle, _, completed = cycle_on(transport, method="HEAD")

    async def answer():
        await cycle.send(START)
        await cycle.send(BODY)  # uvicorn writes no body for HEAD
    asyncio.run(answer())
    assert [kind for kind, _ in transport.calls] == ["write"] and completed == [True]
    assert transport.calls[0][1][0].startswith(b"HTTP/1.1 200 OK\r\n")


def test_an_interim_100_continue_is_not_held():
    transport = Transport()
    cycle, _, _ = cycle_on(transport, expect_100=True)

    async def read():
        cycle.message_event.set()
        await cycle.receive()
    asyncio.run(read())
    assert transport.calls == [("write", [b"HTTP/1.1 100 Continue\r\n\r\n"])]


def test_closing_sends_a_held_head_first():
    transport = Transport()
    cycle, held, _ = cycle_on(transport)

    async def answer():
        await cycle.send(START)
    asyncio.run(answer())
    held.close()
    assert [kind for kind, _ in transport.calls] == ["write"] and transport.closed
