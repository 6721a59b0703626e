"""Contracts with the web stack's private parts: web/connections.py subclasses uvicorn's httptools
protocol (a header timeout, 414 / 431 at once, the head sent with the body) and replaces its request
cycle's transport. These tests drive uvicorn's own protocol class, without a socket, and fail loudly
when the internals the hook relies on change; pyproject.toml pins fastapi, starlette and uvicorn to
the minor versions they ran on."""

from __future__ import annotations

import asyncio
import inspect
import json
import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from termgraph.web.connections import HeadWithBody, protocol_with_header_timeout

from .conftest import ROOT
from .transports import Transport

# The hook's own helpers; every other method of it overrides uvicorn's.
OWN = {"refuse", "arm", "disarm", "expire", "head_too_large", "body_late", "disarm_body", "check_reader", "disarm_send"}


def test_the_installed_web_stack_is_in_the_pinned_ranges():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = {r.name: r.specifier for r in map(Requirement, deps) if r.name in ("fastapi", "starlette", "uvicorn")}
    assert set(pinned) == {"fastapi", "starlette", "uvicorn"}
    for name, specifier in pinned.items():
        assert "<" in str(specifier), f"{name} has no upper bound"
        assert version(name) in specifier, f"{name} {version(name)} is outside the tested range {specifier}"


def broken_overrides(base) -> list[str]:
    """The hook's overrides that `base` (uvicorn's protocol class) no longer has as they were."""
    hook = protocol_with_header_timeout(1.0, 100, 1000)
    problems = []
    for name, ours in vars(hook).items():
        if not inspect.isfunction(ours) or name in OWN:
            continue
        theirs = getattr(base, name, None)
        if theirs is None:
            problems.append(f"{name}: gone")
        elif list(inspect.signature(theirs).parameters) != list(inspect.signature(ours).parameters):
            problems.append(f"{name}: parameters changed")
    return problems


def test_uvicorn_still_has_every_method_the_hook_overrides_with_the_same_parameters():
    hook = protocol_with_header_timeout(1.0, 100, 1000)
    assert sorted(n for n, f in vars(hook).items() if inspect.isfunction(f) and n not in OWN) == sorted([
        "on_url", "send_400_response", "data_received", "connection_made", "on_message_begin",
        "on_headers_complete", "on_message_complete", "pause_writing", "resume_writing",
        "on_response_complete", "connection_lost"])
    assert broken_overrides(HttpToolsProtocol) == []
    assert "transport" in inspect.signature(RequestResponseCycle.__init__).parameters


def test_the_check_fails_on_a_protocol_that_changed():
    class Changed(HttpToolsProtocol):
        on_url = None  # gone

        def on_message_begin(self, extra) -> None:  # a new parameter
            pass

    assert broken_overrides(Changed) == ["on_url: gone", "on_message_begin: parameters changed"]


async def answer(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]})
    await send({"type": "http.response.body", "body": b"true"})


def on_uvicorn(requests: list[bytes], timeout: float = 5.0, wait: float = 0.05):
    """The hook's protocol over a recording transport: the requests' bytes in, what went out."""
    async def run():
        config = Config(app=answer, http="httptools", log_level="error", access_log=False)
        config.load()
        protocol = protocol_with_header_timeout(timeout, 100, 1000)(
            config=config, server_state=ServerState(), app_state={}, _loop=asyncio.get_running_loop())
        transport = Transport()
        protocol.connection_made(transport)
        cycles = []
        for data in requests:
            protocol.data_received(data)
            cycles.append(protocol.cycle)
            await asyncio.sleep(wait)
        await asyncio.sleep(wait)
        protocol.connection_lost(None)
        return transport, cycles
    return asyncio.run(run())


def test_on_uvicorns_protocol_the_head_goes_out_with_the_body_in_one_call():
    transport, cycles = on_uvicorn([b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"])
    assert isinstance(cycles[0].transport, HeadWithBody)  # the cycle's transport is still a field we may set
    assert transport.calls == [("writelines", [b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n", b"true"])]


@pytest.mark.parametrize("request_bytes,status,reason", [
    ([b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: x\r\n\r\n"], 414, b"Request-URI Too Long"),
    ([b"GET / HTTP/1.1\r\nHost: x\r\n", b"X-Big: " + b"b" * 2000], 431, b"Request Header Fields Too Large"),
])
def test_on_uvicorns_protocol_a_target_or_head_past_its_cap_is_refused_with_the_envelope(request_bytes, status, reason):
    transport, _ = on_uvicorn(request_bytes)
    head, _, body = b"".join(b"".join(chunks) for _, chunks in transport.calls).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d %s" % (status, reason))
    assert json.loads(body)["error"]["status"] == status


def test_on_uvicorns_protocol_a_connection_slow_to_send_its_headers_is_closed():
    transport, _ = on_uvicorn([b"GET / HTTP/1.1\r\nHo"], timeout=0.05, wait=0.2)
    assert transport.closed and transport.calls == []
