"""Category rows under a table's caption: "A concise summary of foundation models", then rows that
each start with a category and list its members ("Large language models (LLMs) | Text | PaLM,
LLaMA, GPT-3.5 | …").

The caption presupposes that every row's category is a kind of the caption's category, and every
member an instance of both (the gold convention: "membership a table caption presupposes is
recorded too"). A row is read by what it holds, not by its separators, so it is read the same
whether its cells are split by pipes, tabs or nothing at all: web pages reduced to text often glue
a table's cells together ("…(LLMs)TextPaLM, LLaMA, GPT-3.5Text corpora"), and footnote numbers to
names ("CLIP41"). Within such a row a known name is matched across a glued boundary (a lower-case
letter before it, a capital or a number after it), and a new name is cut where a lower-case letter
meets a capital, or where a footnote number follows. A plain capitalised word ("Vision", "Text")
is not taken for a name.
"""

from __future__ import annotations

import re

from termgraph.curate.gazetteer import Mention, fold_hyphens, longest
from termgraph.curate.masking import NOT_NAMES, mask
from termgraph.curate.patterns import Found, S, is_a
from termgraph.curate.project import Entity
from termgraph.curate.segment import Segment

CAPTION = re.compile(rf"(?i:summary|overview|comparison|list|types|kinds|examples|families|categories|classes)\s+of\s+"
                     rf"(?:[\w-]+\s+){{0,2}}?{S('y')}")
GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d{2,}(?!\.\d)(?:\b|[A-Z]))|(?<=\d)(?=[A-Z][a-z])")
PIECE = re.compile(r"[A-Z][\w.+·‑-]*(?:[ \t]+[A-Z0-9][\w.+·‑-]*)*")
ROWS_AFTER = 12  # lines after a caption that may hold its rows


def glued_known(text: str, start: int, end: int, systems: list[Entity], taken: list[Mention]) -> list[Mention]:
    """Known system names inside the row, across glued boundaries ("TextPaLM", "DALL-E73")."""
    out: list[Mention] = []
    line = fold_hyphens(text[start:end])
    for entity in systems:
        for label in sorted(entity.labels, key=len, reverse=True):
            if len(label) < 2 or not any(c.isupper() for c in label):
                continue
            for hit in re.finditer(re.escape(fold_hyphens(label)), line):
                s, e = start + hit.start(), start + hit.end()
                before = text[s - 1] if s > start else " "
                after = text[e] if e < end else " "
                glued_before = before.isalnum() and not (before.islower() and label[0].isupper())
                glued_after = after.isalnum() and not (after.isdigit() or after.isupper())
                if not (glued_before or glued_after):
                    out.append(Mention(s, e, entity.iri, "system", label))
    return longest(out + taken)


def glued_new(text: str, start: int, end: int, taken: list[Mention]) -> list[Mention]:
    """New names in the row's gaps, cut at glued boundaries; plain capitalised words are not names."""
    out = []
    for gap_start, gap_end in [(a.end, b.start) for a, b in zip([Mention(start, start, "", "")] + taken,
                                                               taken + [Mention(end, end, "", "")])]:
        gap = text[gap_start:gap_end]
        cuts = [0] + [m.start() for m in GLUE.finditer(gap)] + [len(gap)]
        for a, b in zip(cuts, cuts[1:]):
            for hit in PIECE.finditer(gap, a, b):
                name = hit.group().rstrip(" .,;")
                plain = not re.search(r"[A-Z0-9].*[A-Z0-9]|\d", name)
                if name and not plain and name not in NOT_NAMES and not name.isdigit():
                    s = gap_start + hit.start()
                    out.append(Mention(s, s + len(name), "", "new", name))
    return out


PROSE = re.compile(r"[.!?]$|[.!?]\s+[A-Z]|\s(?:is|are|was|were|refers?)\s")  # a sentence, not a table row


def row_claims(text: str, start: int, end: int, mentions: list[Mention], systems: list[Entity],
               y: Mention) -> list[Found] | None:
    """The claims of one row, or None when the line is not a category row."""
    row = mask(text, start, end, mentions)
    head = re.match(rf"{S('c')}(?:\s*\([^()]*\))?", row.text)
    if not head or row.mention(head["c"]).kind != "concept" or head.end() >= len(row.text):
        return None
    category = row.mention(head["c"])
    rest = row.span(head.end(), len(row.text))[0]
    inside = [m for m in mentions if rest <= m.start and m.end <= end and m.kind != "new"]  # names: read here, glued
    known = [m for m in glued_known(text, rest, end, systems, [m for m in inside if m.kind == "system"]) if m.kind == "system"]
    taken = longest(known + [m for m in inside if m.kind != "system"])
    members = sorted(known + glued_new(text, rest, end, taken), key=lambda m: m.start)
    if len(members) < 2:
        return None
    claims = is_a(category, y, "", "", "caption-row", 0.65) if category.iri != y.iri else []
    for x in members:
        claims += is_a(x, category, "", "", "caption-row", 0.65)
        if category.iri != y.iri:
            claims += is_a(x, y, "", "", "caption-row", 0.6)
    return claims


def caption_rows(text: str, segments: list[Segment], mentions: list[Mention], systems: list[Entity]) -> list[tuple]:
    """(Found, start, end, caption) for every claim of the category rows (two or more, one after
    the other) that follow a caption line naming a category ("A summary of Ys")."""
    out = []
    lines: dict[int, list[Segment]] = {}
    for seg in segments:
        lines.setdefault(seg.block, []).append(seg)
    for seg in segments:
        caption = mask(text, seg.start, seg.end, mentions) if seg.kind == "heading" else None
        hit = caption and CAPTION.search(caption.text)
        if not hit or caption.mention(hit["y"]).kind != "concept":
            continue
        rows = []
        for block in sorted(b for b in lines if seg.block < b <= seg.block + ROWS_AFTER):
            start, end = lines[block][0].start, lines[block][-1].end
            claims = None if PROSE.search(text[start:end]) else row_claims(
                text, start, end, mentions, systems, caption.mention(hit["y"]))
            if claims is not None:
                rows.append((claims, start, end))
            elif rows or PROSE.search(text[start:end]):
                break  # the rows have ended, or a paragraph came before any row
        if len(rows) >= 2:
            out += [(f, start, end, text[seg.start:seg.end]) for claims, start, end in rows for f in claims]
    return out
