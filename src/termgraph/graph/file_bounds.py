"""Bounds on a user's data file, read before the parser sees it: how deeply its blank nodes,
collections or JSON-LD objects nest, and how long one literal may be. The parsers recurse on
nesting and hold a literal whole: a 100 KB file of nested brackets drove the loader past 4 GiB,
and a 50 MB literal ended in a traceback. A file past either bound is refused with one line
naming the file and the line.

The text is read as Turtle, TriG, N-Triples, N-Quads and JSON-LD are written: strings (short
ones end at their line, long ones at their closing quotes), IRIs and comments are skipped whole,
and every bracket outside them counts. Each character is read a bounded number of times.

An RDF/XML file's elements and literals are bounded the same way (`check_xml`, read by expat,
which streams):
the RDF/XML parser's time grows with the square of their depth (30,000 deep, a 1.4 MB file, took
13 s; 100,000 deep, 4.6 MB, more than 100 s).
"""

from __future__ import annotations

import pyexpat
import re
from pathlib import Path

from termgraph.errors import DataSyntaxError

MAX_NESTING = 256  # brackets ([, ( and {) open at once
MAX_LITERAL = 10_000_000  # characters in one string

MARK = re.compile(r"""["'<#\[\](){}]""")
SHORT = {q: re.compile(q + rf"(?:[^{q}\\\n\r]|\\.)*+", re.DOTALL) for q in "\"'"}
LONG = {q: re.compile(q * 3 + rf"(?:[^{q}\\]|\\.|{q}(?!{q}{q}))*+", re.DOTALL) for q in "\"'"}
IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*+>")
OPEN, CLOSE = "[({", "])}"


def check_text(path: Path, text: str) -> None:
    """Raise DataSyntaxError (one line, naming the file and line) past either bound."""
    depth, pos, n = 0, 0, len(text)
    while pos < n:
        m = MARK.search(text, pos)
        if m is None:
            return
        pos, char = m.start(), m.group()
        if char in OPEN:
            depth += 1
            if depth > MAX_NESTING:
                raise DataSyntaxError(path, f"brackets nest more than {MAX_NESTING} deep (blank nodes, "
                                            "collections or objects inside each other); flatten the data",
                                      line_of(text, pos))
            pos += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
            pos += 1
        elif char == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end + 1
        elif char == "<":
            iri = IRI.match(text, pos)
            pos = iri.end() if iri else pos + 1
        else:
            pos = string_end(path, text, pos, char)


def string_end(path: Path, text: str, pos: int, quote: str) -> int:
    """Past the string that opens at `pos` (or just past the quote, if it opens none)."""
    long = text.startswith(quote * 3, pos)
    m = (LONG if long else SHORT)[quote].match(text, pos)
    close = quote * 3 if long else quote
    if not text.startswith(close, m.end()):
        return pos + (3 if long else 1)
    if m.end() - pos - len(close) > MAX_LITERAL:
        raise DataSyntaxError(path, f"a literal is longer than {MAX_LITERAL} characters; "
                                    "keep long texts in files of their own", line_of(text, pos))
    return m.end() + len(close)


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class _TooDeep(Exception):
    pass


class _TooLong(Exception):
    pass


def check_xml(path: Path) -> None:
    """Raise DataSyntaxError (one line, naming the file and line) when an XML file's elements
    nest more than MAX_NESTING deep, one text or attribute value (a literal) is longer than
    MAX_LITERAL characters, or it is not well-formed XML (the RDF/XML parser would not name the
    line)."""
    parser = pyexpat.ParserCreate()
    depth, run = 0, 0

    def start(_name, attributes) -> None:
        nonlocal depth, run
        depth, run = depth + 1, 0
        if depth > MAX_NESTING:
            raise _TooDeep(parser.CurrentLineNumber)
        if any(len(value) > MAX_LITERAL for value in attributes.values()):
            raise _TooLong(parser.CurrentLineNumber)

    def end(_name) -> None:
        nonlocal depth, run
        depth, run = depth - 1, 0

    def text(data: str) -> None:  # (expat hands a long text over in pieces)
        nonlocal run
        run += len(data)
        if run > MAX_LITERAL:
            raise _TooLong(parser.CurrentLineNumber)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except _TooDeep as deep:
        raise DataSyntaxError(path, f"XML elements nest more than {MAX_NESTING} deep (blank nodes or "
                                    "literals inside each other); flatten the data", deep.args[0]) from None
    except _TooLong as long:
        raise DataSyntaxError(path, f"a literal is longer than {MAX_LITERAL} characters; "
                                    "keep long texts in files of their own", long.args[0]) from None
    except pyexpat.ExpatError as exc:
        raise DataSyntaxError(path, f"not well-formed XML: {pyexpat.ErrorString(exc.code)}", exc.lineno) from None
