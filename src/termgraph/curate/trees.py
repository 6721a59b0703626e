"""ASCII trees: a taxonomy drawn with "├──", "└──", "│" (or "|--", "`--", "+--").

    Artificial intelligence
    ├── Machine learning
    │   └── Deep learning
    └── Generative AI
        └── Large language models

A node one level under another names a kind of it (a concept: subclass) or an instance of it (a
system: rdf:type). The tree's root is the line just above its first node, when that line is one
term. A node is read only when its label is one term (a short note after ":" or " - " allowed);
the quote is the node's own line, the note column names its parent's.
"""

from __future__ import annotations

import re

from termgraph.curate.gazetteer import Mention
from termgraph.curate.masking import mask
from termgraph.curate.patterns import Found, is_a
from termgraph.curate.segment import Segment

ONE_TERM = re.compile(r"⟦(\d+)⟧(?:\s*\([^()]*\))?\s*(?:(?::|\s[-–—]\s).*)?$")


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def term(text: str, seg: Segment, mentions: list[Mention]) -> Mention | None:
    m = mask(text, seg.start, seg.end, mentions, listed=True)
    hit = ONE_TERM.match(m.text)
    return m.mention(hit[1]) if hit and m.mention(hit[1]).kind in ("concept", "system", "new") else None


def tree_rules(text: str, segments: list[Segment], mentions: list[Mention]) -> list[tuple[Found, int, int, str]]:
    out = []
    stack: list[tuple[int, Mention | None, Segment]] = []  # (depth, term, segment) of the open branches
    previous = None
    for seg in segments:
        if seg.kind != "node":
            stack, previous = [], seg
            continue
        depth = seg.start - line_start(text, seg.start)
        if not stack and previous is not None and previous.block == seg.block - 1:
            stack.append((-1, term(text, previous, mentions), previous))  # the root, above the first node
        while stack and stack[-1][0] >= depth:
            stack.pop()
        node = term(text, seg, mentions)
        if stack and node and stack[-1][1]:
            parent, where = stack[-1][1], stack[-1][2]
            out += [(f, seg.start, seg.end, f"under: {text[where.start:where.end]}")
                    for f in is_a(node, parent, "", "", "tree-branch", 0.7)]
        stack.append((depth, node, seg))
    return out
