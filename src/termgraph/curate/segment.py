"""Cut an article into segments: headings, list items, table cells and sentences.

Offsets always index the original text, so that every quote cut from a segment is verbatim.
Lines are read first (a list item or a table cell never runs into its neighbour); only prose
lines are cut into sentences, by one regular expression over the line itself: a sentence ends at
., ! or ? (with any closing quotes or brackets) before white space, except after a common
abbreviation ("e.g.", "etc.", "Dr.") or a single initial. The offsets are the line's own, so no
mapping back is needed. This is what spaCy's blank pipeline with its rule-based `sentencizer`
did here before, without its ~2 s start-up per process (and without its habit of leaving an
opening quote or bracket at the end of the sentence before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = re.compile(r"[ \t]*(?:[•●◦▪‣∙·*+\-–]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])[ \t]+(?=\S)")
RULER = re.compile(r"[\s|:+=_*\-–—]+")
# An ASCII tree's drawing before a node's label: "├── ", "│   └── ", "|-- ", "`-- ", "+-- "
TREE = re.compile(r"[ \t│┃|]*(?:[├└┣┗]|[|`+\\](?=[-─]))[─━\-–]+>?[ \t]*(?=\S)")
QUOTED = re.compile(r"(?:>[ \t]*)+")  # a block quotation's markers ("> "), not the text's words
CELL_SPLIT = re.compile(r"\t+| {3,}|\s\|\s")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str  # heading | item | cell | sentence | node (of an ASCII tree)
    block: int  # index of the line it comes from

    def text(self, article: str) -> str:
        return article[self.start:self.end]


# A sentence's end: its final punctuation and any closing quotes or brackets, before white space.
SENTENCE_END = re.compile(r"(?P<stop>[.!?…]+)[\"'”’)\]]*(?=\s+\S)")
# A full stop that ends an abbreviation or an initial, not a sentence.
ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|al|approx|ca|Dr|Mr|Mrs|Ms|Prof|St|Inc|Ltd|Co|Corp|Jr|Sr|"
                          r"No|Fig|Figs|Eq|Vol|pp|U\.S|U\.K|a\.k\.a)|(?<![\w.])[A-Z])\.$")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], without the white space between them."""
    out, pos = [], start
    for stop in SENTENCE_END.finditer(text, start, end):
        if stop["stop"] == "." and ABBREVIATION.search(text, max(start, stop.start() - 12), stop.end("stop")):
            continue
        out.append((pos, stop.end()))
        pos = stop.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        out.append((pos, end))
    return out


def lines(text: str):
    """(start, end) of every non-blank line, without surrounding blanks."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + body.index(stripped[0])
            yield start, start + len(stripped)
        pos += len(raw)


def sentences(text: str, start: int, end: int, kind: str, block: int) -> list[Segment]:
    out = []
    for s, e in sentence_spans(text, start, end):
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Segment(s, e, kind, block))
    return out


def is_heading(line: str) -> bool:
    """A short line without a sentence's end; a short question on its own line ("What Is BERT?")
    is a heading too (FAQ and explainer pages title their sections so)."""
    return len(line) <= 80 and not re.search(r"[.!;,]$", line) and len(line.split()) <= 10 and \
        not (line.endswith("?") and line.count("?") > 1)


def segment(text: str) -> list[Segment]:
    out: list[Segment] = []
    for block, (start, end) in enumerate(lines(text)):
        if quoted := QUOTED.match(text, start, end):
            start = quoted.end()
            if start >= end:
                continue  # an empty line of a block quotation
        line = text[start:end]
        bullet = BULLET.match(line)
        if RULER.fullmatch(line):
            continue  # a table's ruler (---|---), or a horizontal rule: no words
        if tree := TREE.match(line):
            out.append(Segment(start + tree.end(), end, "node", block))
        elif bullet:
            out += sentences(text, start + bullet.end(), end, "item", block)
        elif CELL_SPLIT.search(line):
            out += cells(text, start, end, block)
        elif is_heading(line):
            out.append(Segment(start, end, "heading", block))
        else:
            out += sentences(text, start, end, "sentence", block)
    return out


def cells(text: str, start: int, end: int, block: int) -> list[Segment]:
    out, pos = [], start
    for sep in CELL_SPLIT.finditer(text, start, end):
        if sep.start() > pos:
            out.append(Segment(pos, sep.start(), "cell", block))
        pos = sep.end()
    if pos < end:
        out.append(Segment(pos, end, "cell", block))
    return [trim(text, s) for s in out if text[s.start:s.end].strip(" |\t")]


def trim(text: str, cell: Segment) -> Segment:
    """A cell without the table's own pipes and padding around it."""
    start, end = cell.start, cell.end
    while start < end and text[start] in " |\t":
        start += 1
    while end > start and text[end - 1] in " |\t":
        end -= 1
    return Segment(start, end, cell.kind, cell.block)
