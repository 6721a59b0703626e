"""Names the article itself proposes, wherever it uses them: a new name or category found once is
matched at its every other occurrence, and an abbreviation the article spells out gives a new
system its full name."""

from __future__ import annotations

import re
from dataclasses import replace

from termgraph.curate.gazetteer import Mention
from termgraph.curate.relations import acronym_of, singular
from termgraph.curate.terms import ACRONYM_AFTER


def again(text: str, named: list[Mention], taken: list[Mention]) -> list[Mention]:
    """Every other occurrence of a new name or category the article proposes somewhere ("What Is
    Zorblax?" … "Zorblax is a chatbot."; "small language models (SLMs)" … "SLMs"), where no other
    mention stands."""
    labels = {m.label: m for m in named if m.kind == "new" or m.new}
    for m in [m for m in named if m.new]:  # "small language models (SLMs)": SLM too
        acronym = ACRONYM_AFTER.match(text, m.end)
        if acronym and acronym_of(acronym["acr"], text[m.start:m.end]):
            labels.setdefault(singular(acronym["acr"]), m)
    out = []
    for label, m in sorted(labels.items(), key=lambda kv: (not kv[1].new, -len(kv[0]))):  # categories first
        forms = re.escape(label) + (r"(?:s|es)?" if m.new else "")
        for hit in re.finditer(rf"(?<![\w-]){forms}(?![\w-])", text, 0 if m.kind == "new" or label.isupper() else re.I):
            if not any(t.start < hit.end() and hit.start() < t.end and not (hit.start() <= t.start and t.end <= hit.end())
                       for t in taken + out):  # a known term inside it ("language model") gives way
                out.append(replace(m, start=hit.start(), end=hit.end(), label=label))
    return out


# "SAM, Segment Anything Model;" (an abbreviations note) or "Segment Anything Model (SAM)"
SPELLED_OUT = re.compile(r"(?<![\w-])(?P<acr>[A-Z][A-Za-z0-9]{1,9}),\s+(?P<exp>[A-Z][\w-]*(?:\s+[A-Za-z][\w-]*){1,6})(?=[;.\n])"
                         r"|(?P<exp2>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){1,6})\s+\((?P<acr2>[A-Z][A-Za-z0-9]{1,9})\)")


def expansions(text: str) -> dict[str, str]:
    """The abbreviations the article spells out, to name a new system by its full name."""
    out = {}
    for hit in SPELLED_OUT.finditer(text):
        acr, exp = (hit["acr"], hit["exp"]) if hit["acr"] else (hit["acr2"], hit["exp2"])
        if acronym_of(acr, exp):
            out.setdefault(acr, exp)
    return out
