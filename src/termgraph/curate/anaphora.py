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
INNER = re.compile(r"(?:(?<=, )|(?<=, but )|(?<=, and )|(?<=; ))(?:it|they)(?=\s+(?:is|are|can|could|may|might|also|was|were)\b)")
# "As autoregressive language models, they work …": the pronoun after an opening clause is the subject
OPENING = re.compile(r"(?:As|Like|Unlike|Being|While|Although|Though|Because|Since)\b[^,;.]{1,80},\s+(?P<p>it|they)\b")
# "This refers to …", "This means …": the term the sentence before ended on
THIS = re.compile(r"This(?=\s+(?:refers\s+to|means|describes|denotes|is\s+defined\s+as)\b)")
# What may stand before a sentence's subject: "The short answer is: BERT is …", "The …"
SUBJECT = re.compile(r"(?:[^:.⟦]{0,40}:\s+)?(?:(?:A|An|The)\s+)?$")
MARKUP = re.compile(r"^[\s#*\[]*|[\]\s:.*?]*(?:\(#\))?[\s:.*?]*$")
# A heading's numbering ("2.", "II.") and question form ("What Are …?") around its one term
FRAME = re.compile(r"^[\s#*]*(?:(?:\d+(?:\.\d+)*|[IVX]+)[.)]\s+)?(?:(?:what|who)\s+(?:is|are)\s+(?:an?\s+|the\s+)?)?", re.I)


def heading_topic(text: str, seg: Segment, mentions: list[Mention]) -> Mention | None:
    """The one term a heading names ("2. Large Language Models (LLMs)", "What Is BERT?")."""
    inside = [m for m in mentions if seg.start <= m.start and m.end <= seg.end]
    if len({m.iri or m.label for m in inside}) != 1 or inside[0].kind not in ("concept", "system", "new"):
        return None
    m, rest, pos = inside[0], "", seg.start
    for other in inside:
        rest, pos = rest + text[pos:other.start] + " ", other.end
    rest = re.sub(r"\(\s*\)", "", rest + text[pos:seg.end])  # "(LLMs)" once its term is taken out
    return m if not MARKUP.sub("", FRAME.sub("", rest)).strip() else None


def sentence_subject(text: str, seg: Segment, mentions: list[Mention]) -> Mention | None:
    first = next((m for m in mentions if seg.start <= m.start < seg.end), None)
    if first and first.kind in ("concept", "system", "new") and SUBJECT.fullmatch(text[seg.start:first.start]):
        return first
    return None


def resolve(text: str, segments: list[Segment], mentions: list[Mention]) -> dict[int, list[Mention]]:
    """For each segment index, the pronoun mentions to add to it."""
    out: dict[int, list[Mention]] = {}
    topic, last, block, ended, carried = None, None, None, None, None
    for i, seg in enumerate(segments):
        if seg.kind == "heading":
            topic, last, ended, carried = heading_topic(text, seg, mentions) or topic, None, None, None
            continue
        if seg.block != block:
            block, last, ended, carried = seg.block, None, None, last or carried
        own = sentence_subject(text, seg, mentions)
        lead = LEADING.match(text, seg.start, seg.end)
        antecedent = last or topic
        added = []
        if lead and antecedent and not own:
            added.append(Mention(lead.start(), lead.end(), antecedent.iri, antecedent.kind, antecedent.label, antecedent.new))
        for inner in INNER.finditer(text, seg.start, seg.end):
            if own:
                added.append(Mention(inner.start(), inner.end(), own.iri, own.kind, own.label, own.new))
        opening = OPENING.match(text, seg.start, seg.end)
        if opening and not own and (last or topic or carried):
            who = last or topic or carried  # the paragraph's, the section's, or the paragraph before's term
            added.append(Mention(opening.start("p"), opening.end("p"), who.iri, who.kind, who.label, who.new))
        this = THIS.match(text, seg.start, seg.end)
        if this and ended and not own:
            added.append(Mention(this.start(), this.end(), ended.iri, ended.kind, ended.label, ended.new))
        if added:
            out[i] = added
        last = own or (added[0] if added and lead else last)
        inside = [m for m in mentions if seg.start <= m.start < seg.end and m.kind == "concept"]
        ended = inside[-1] if inside else None
    return out
