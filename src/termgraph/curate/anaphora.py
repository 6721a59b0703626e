"""Resolve a segment's leading pronoun ("It refers to …", "These models are …") to the term the
text is about: the subject of the previous sentence of the same paragraph, else the section's
heading when the heading is a single term. A resolved pronoun becomes a mention spanning the
pronoun, so the quote stays the segment's own words; the claims it yields are marked and weaker.
"""

from __future__ import annotations

import re

from termgraph.curate.gazetteer import Mention
from termgraph.curate.segment import Segment

LEADING = re.compile(r"(?:It|They|This\s+(?:term|model|technology|approach|system|field|concept)|"
                     r"These\s+(?:models|systems|terms|tools|technologies|networks)|Such\s+(?:models|systems))(?=\s)")
INNER = re.compile(r"(?<=, )(?:it|they)(?=\s+(?:is|are|can|could|may|might|also|was|were)\b)")
SUBJECT = re.compile(r"(?:(?:A|An|The)\s+)?$")
MARKUP = re.compile(r"^[\s#*\[]*|[\]\s:.*]*(?:\(#\))?[\s:.*]*$")


def heading_topic(text: str, seg: Segment, mentions: list[Mention]) -> Mention | None:
    inside = [m for m in mentions if seg.start <= m.start and m.end <= seg.end and m.kind in ("concept", "system")]
    if len(inside) != 1:
        return None
    m = inside[0]
    rest = text[seg.start:m.start] + text[m.end:seg.end]
    return m if not MARKUP.sub("", rest).strip() else None


def sentence_subject(text: str, seg: Segment, mentions: list[Mention]) -> Mention | None:
    first = next((m for m in mentions if seg.start <= m.start < seg.end), None)
    if first and first.kind in ("concept", "system") and SUBJECT.fullmatch(text[seg.start:first.start]):
        return first
    return None


def resolve(text: str, segments: list[Segment], mentions: list[Mention]) -> dict[int, list[Mention]]:
    """For each segment index, the pronoun mentions to add to it."""
    out: dict[int, list[Mention]] = {}
    topic, last, block = None, None, None
    for i, seg in enumerate(segments):
        if seg.kind == "heading":
            topic, last = heading_topic(text, seg, mentions) or topic, None
            continue
        if seg.block != block:
            block, last = seg.block, None
        own = sentence_subject(text, seg, mentions)
        lead = LEADING.match(text, seg.start, seg.end)
        antecedent = last or topic
        added = []
        if lead and antecedent and not own:
            added.append(Mention(lead.start(), lead.end(), antecedent.iri, antecedent.kind, antecedent.label))
        for inner in INNER.finditer(text, seg.start, seg.end):
            if own:
                added.append(Mention(inner.start(), inner.end(), own.iri, own.kind, own.label))
        if added:
            out[i] = added
        last = own or (added[0] if added and lead else last)
    return out
