"""Progress lines of a long start on standard error: what is being done, since when, how far.

Each line is `termgraph: [SECONDS s] MESSAGE`, the seconds counted from the start. A step of a
counted series (`[3/23] path`) says how far it is by its count. On a terminal the lines of one
series replace each other in place (the cursor moves up a line and clears it: the terminal shows
one line per stage, and an error printed later lands on a line of its own); in a log (not a
terminal) every line is written as it comes, plainly, with no control characters.
"""

from __future__ import annotations

import re
import sys
import time
from typing import TextIO

STEP = re.compile(r"^\[(\d+)/(\d+)\] ")  # a step of a counted series: "[3/23] …"
UP_AND_CLEAR = "\x1b[1A\x1b[2K"  # cursor up one line, erase that line


class Progress:
    """A callable that writes one progress message (the `progress` of build_state and the loaders)."""

    def __init__(self, stream: TextIO | None = None, clock=time.monotonic, prefix: str = "termgraph: "):
        self.stream = stream if stream is not None else sys.stderr
        self.clock, self.prefix = clock, prefix
        self.started = clock()
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.replaceable = False  # the last line written is a step that the next step replaces

    def __call__(self, message: str) -> None:
        step = STEP.match(message)
        line = f"{self.prefix}[{self.clock() - self.started:.1f} s] {message}"
        if self.terminal and step and self.replaceable:
            line = UP_AND_CLEAR + line
        # the last step of a series stays; a step before it is replaced by the next one
        self.replaceable = bool(self.terminal and step and step.group(1) != step.group(2))
        self.stream.write(line + "\n")
        self.stream.flush()
