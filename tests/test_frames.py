"""The server's end of a worker's pipe (executor/frames.py) speaks multiprocessing's framing on
the event loop: messages of any size both ways, an end that goes away is EOFError, and the
descriptor stays blocking for the worker's Connection."""

import asyncio
import os
import socket
import threading
from multiprocessing.connection import Connection

import pytest

from termgraph.executor import frames


def pair():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return ours, Connection(theirs.detach())


@pytest.mark.parametrize("size", [0, 10, 100_000, 3_000_000])  # 3 MB: many partial sends and reads
def test_messages_both_ways(size):
    ours, conn = pair()
    payload = ("ok", os.urandom(size))

    def echo():  # the worker's side: a blocking Connection
        conn.send(("echo",) + conn.recv())

    async def main():
        t = threading.Thread(target=echo)
        t.start()
        await frames.send(ours, payload)
        reply = await frames.Inbox(ours).receive()
        t.join()
        return reply

    assert asyncio.run(main()) == ("echo",) + payload
    assert ours.getblocking()  # the descriptor itself was never made non-blocking
    ours.close()
    conn.close()


def test_an_end_that_goes_away_is_eoferror():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    theirs.sendall(b"\x00\x00\x00\x10abc")  # a frame announcing 16 bytes, cut short
    theirs.close()
    with pytest.raises(EOFError):
        asyncio.run(frames.Inbox(ours).receive())
    ours.close()


def test_a_message_arriving_a_few_bytes_at_a_time_is_read_whole():
    import pickle
    import time

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    message = ("ok", b"y" * 300)
    framed = frames.frame(message)

    def trickle():
        for i in range(0, len(framed), 7):
            theirs.sendall(framed[i:i + 7])
            time.sleep(0.001)

    async def main():
        t = threading.Thread(target=trickle)
        t.start()
        got = await frames.Inbox(ours).receive()
        t.join()
        return got

    assert asyncio.run(main()) == message == pickle.loads(framed[4:])
    ours.close()
    theirs.close()


def test_messages_arriving_together_are_read_one_after_the_other():
    ours, conn = pair()
    messages = [("stream", "/tmp/x", "CONSTRUCT", "application/n-triples", 300_000), ("more", 400_000),
                ("ok", b"z" * 100_000, 0.5)]
    for message in messages:
        conn.send(message)  # all in the socket before the first is read

    async def main():
        inbox = frames.Inbox(ours)
        return [await inbox.receive() for _ in messages]

    assert asyncio.run(main()) == messages
    ours.close()
    conn.close()
