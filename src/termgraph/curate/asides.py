"""Parenthetical asides after a name in a sentence: "OpenAI's GPT models (e.g., GPT-3.5 and GPT-4,
used in ChatGPT), Google's PaLM (used in Bard)".

- Names an aside gives as examples of a name ("(e.g., A and B)", "(such as A)") share what the
  sentence says that name is and who made it: A and B are also examples of the class the GPT
  models are listed under, and also OpenAI's.
- "(used in Z)" / "(used by Z)": Z is built on the name (or on the aside's examples, when it
  gives some): schema:isBasedOn between two systems.
"""

from __future__ import annotations

import re
from dataclasses import replace

from termgraph.curate.masking import Masked
from termgraph.curate.patterns import HEAD, LIST, Found, S

EXAMPLES = re.compile(rf"{S('x')}{HEAD}\s*\((?:e\.g\.,?|such\s+as|including|like|for\s+example,?)\s+(?P<list>{LIST})[^()]*\)")
USED_IN = re.compile(rf"{S('x')}{HEAD}\s*\((?P<inner>[^()]*?)\bused\s+(?:in|by)\s+(?P<users>{LIST})\s*\)")
SLOTS = re.compile(r"⟦(\d+)⟧")


def aside_rules(m: Masked, found: list[Found]) -> list[Found]:
    """The claims the asides of segment `m` add to those `found` in it."""
    extra: list[Found] = []
    members: dict[str, list] = {}  # a name's IRI (or label) -> the names its aside gives as examples
    for hit in EXAMPLES.finditer(m.text):
        x = m.mention(hit["x"])
        listed = [m.mention(i) for i in SLOTS.findall(hit["list"])]
        members[x.iri or x.label] = [y for y in listed if y.kind in ("system", "new")]
    for f in found:
        for y in members.get(f.subject.iri or f.subject.label, []):
            if f.predicate in ("rdf:type", "schema:creator"):
                extra.append(replace(f, subject=y, rule=f.rule + "+aside-example", confidence=round(f.confidence * 0.8, 2)))
    for hit in USED_IN.finditer(m.text):
        x = m.mention(hit["x"])
        bases = members.get(x.iri or x.label) or [x]
        for user in (m.mention(i) for i in SLOTS.findall(hit["users"])):
            for base in bases:
                if user.kind in ("system", "new") and base.kind in ("system", "new") and (user.iri or user.label) != (base.iri or base.label):
                    extra.append(Found(user, "schema:isBasedOn", base, "asserts", "", "used-in-aside", 0.65))
    return extra
