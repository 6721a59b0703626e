"""Progress lines of a long start (progress.py): plain lines with the seconds since the start in a
log; on a real terminal (a pseudo-terminal here) the steps of a counted series replace each other
in place, the last one stays."""

from __future__ import annotations

import io
import os
import pty

from termgraph.progress import UP_AND_CLEAR, Progress


class Ticks:
    """A clock that advances 1.5 s at each reading after the first."""

    def __init__(self):
        self.now = 100.0
        self.started = False

    def __call__(self) -> float:
        if self.started:
            self.now += 1.5
        self.started = True
        return self.now


MESSAGES = ["validating termgraph's data against the shapes", "[1/3] a.ttl", "[2/3] b.ttl", "[3/3] c.trig",
            "deriving the source views", "[1/2] x", "[2/2] y", "starting 2 query worker(s)"]


def test_in_a_log_every_message_is_a_plain_line_with_its_second():
    out = io.StringIO()
    progress = Progress(out, clock=Ticks())
    for message in MESSAGES:
        progress(message)
    assert out.getvalue().splitlines() == [
        "termgraph: [1.5 s] validating termgraph's data against the shapes",
        "termgraph: [3.0 s] [1/3] a.ttl",
        "termgraph: [4.5 s] [2/3] b.ttl",
        "termgraph: [6.0 s] [3/3] c.trig",
        "termgraph: [7.5 s] deriving the source views",
        "termgraph: [9.0 s] [1/2] x",
        "termgraph: [10.5 s] [2/2] y",
        "termgraph: [12.0 s] starting 2 query worker(s)",
    ]
    assert "\x1b" not in out.getvalue()


def test_on_a_terminal_the_steps_of_a_series_replace_each_other_and_the_last_stays():
    master, slave = pty.openpty()
    try:
        with open(slave, "w", closefd=False) as terminal:
            progress = Progress(terminal, clock=Ticks())
            assert progress.terminal
            for message in MESSAGES:
                progress(message)
        os.close(slave)
        slave = -1
        written = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal's other side is closed: all read
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    up = UP_AND_CLEAR.encode()
    assert written.replace(b"\r\n", b"\n").split(b"\n")[:-1] == [
        b"termgraph: [1.5 s] validating termgraph's data against the shapes",
        b"termgraph: [3.0 s] [1/3] a.ttl",
        up + b"termgraph: [4.5 s] [2/3] b.ttl",
        up + b"termgraph: [6.0 s] [3/3] c.trig",  # the series' last step: it stays
        b"termgraph: [7.5 s] deriving the source views",
        b"termgraph: [9.0 s] [1/2] x",
        up + b"termgraph: [10.5 s] [2/2] y",
        b"termgraph: [12.0 s] starting 2 query worker(s)",
    ]
