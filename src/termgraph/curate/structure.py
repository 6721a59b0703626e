"""Claims that the article's structure makes: what a line says about the term its section is about.

A section's term (its topic) is the one term its heading names ("2. Large Language Models (LLMs)",
"What Is BERT?"), until a heading names another; within it, the subject of the latest sentence
that has one. Lines that say something of that topic without naming it:
- examples without a class: "Examples: GPT, LLaMA, Claude", "Notable examples include A, B and C",
  "Known ones include …": each name is an instance (or a kind) of the topic;
- "Basis for modern image generators like A and B": A and B are built on the topic;
- under a "Concept" / "Definition" / "Overview" sub-heading, a first line with no subject of its
  own ("Composed of two neural networks: …") is the topic's definition.
The quote is the line itself; the note column names the heading or sentence the topic came from.
"""

from __future__ import annotations

import re

from termgraph.curate.anaphora import heading_topic, sentence_subject
from termgraph.curate.gazetteer import Mention
from termgraph.curate.masking import Masked
from termgraph.curate.patterns import LIST, Found, is_a
from termgraph.curate.segment import Segment

QUANTIFIER = r"(?:(?:some|many|other|notable|well-known|known|popular|common|famous|typical|key|prominent|major|leading)\s+)*"
MARKS = r"[\s*_#>]*"  # markdown emphasis or heading marks around a label: **Examples:**
EXAMPLES = re.compile(rf"^{MARKS}{QUANTIFIER}(?:examples?|ones|instances)\s*(?:include|includes|are|:)\s*:?{MARKS}(?P<list>{LIST})\s*[.;]?$",
                      re.I)
BASIS = re.compile(rf"^{MARKS}(?:the\s+|a\s+)?(?:basis|foundation|backbone|base)\s+(?:for|of)\s+[^⟦]*?"
                   rf"(?:(?:⟦\d+⟧|[\w-]+)\s+)*?(?:(?:like|such\s+as|including|e\.g\.,?)\s+)?(?P<list>{LIST})\s*[.;]?$", re.I)
DEFINING_HEADING = re.compile(r"^\W*(?:concept|definition|overview|meaning|description|what\s+it\s+is)\W*$", re.I)


def topics(text: str, segments: list[Segment], mentions: list[Mention],
           pronouns: dict[int, list[Mention]]) -> list[tuple[Mention | None, str]]:
    """For each segment, the term the text is about just before it, and where that came from."""
    out: list[tuple[Mention | None, str]] = []
    topic, recent = (None, ""), (None, "")
    for i, seg in enumerate(segments):
        if seg.kind == "heading":
            named = heading_topic(text, seg, mentions)
            if named:
                topic, recent = (named, text[seg.start:seg.end]), (None, "")
        out.append(recent if recent[0] else topic)
        own = sentence_subject(text, seg, sorted(mentions + pronouns.get(i, []), key=lambda m: m.start))
        if own and seg.kind != "heading":
            recent = (own, text[seg.start:seg.end])
    return out


def listed(m: Masked, group: str) -> list[Mention]:
    """The names of a matched list, leaving out what stands in parentheses and the makers of
    possessives ("OpenAI's GPT models": GPT)."""
    inner = re.sub(r"\([^()]*\)", "", group)
    inner = re.sub(r"⟦\d+⟧\s*['’]s\s+", "", inner)
    return [m.mention(i) for i in re.findall(r"⟦(\d+)⟧", inner)]


def structure_rules(m: Masked, seg: Segment, topic: Mention | None, after_defining_heading: bool,
                    article: str) -> list[Found]:
    if topic is None:
        return []
    out: list[Found] = []
    hit = EXAMPLES.match(m.text)
    if hit and topic.kind == "concept":
        for x in listed(m, hit["list"]):
            out += is_a(x, topic, "", "", "examples-of-topic", 0.7)
    hit = BASIS.match(m.text)
    if hit:
        for x in listed(m, hit["list"]):
            if x.kind in ("system", "new") and topic.kind == "concept":
                out.append(Found(x, "tg:poweredBy", topic, "asserts", "", "basis-for-topic", 0.6))
    opener = re.match(r"(?:the|a|an|this|these|those|it|they|there|its|their)\b", m.text, re.I)
    if after_defining_heading and seg.kind in ("item", "sentence") and topic.kind == "concept" \
            and re.match(r"[A-Z][a-z]", m.text) and not opener:  # a line with no subject of its own
        body = article[seg.start:seg.end].rstrip(" .;")
        out.append(Found(topic, "skos:definition", body, "asserts", "", "section-definition", 0.6))
    return out


def defining_firsts(text: str, segments: list[Segment]) -> set[int]:
    """The indexes of the first segment after each "Concept" / "Definition" sub-heading."""
    out = set()
    for i, seg in enumerate(segments[:-1]):
        if seg.kind == "heading" and DEFINING_HEADING.match(text[seg.start:seg.end]):
            out.add(i + 1)
    return out
