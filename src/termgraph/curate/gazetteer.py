"""Find every label and alternative label of the graph's entities in an article.

pyahocorasick (one Aho-Corasick automaton over all labels and their plurals, one pass over the
text) rather than spaCy's PhraseMatcher: it matches on characters, not tokens, so a label such as
"GPT-3.5", "dall-e-3" or "resemble.ai" matches however a tokenizer would cut it, and it needs no
Doc. Matches are kept only at word boundaries, longest first, without overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from termgraph.curate.project import Entity


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str
    kind: str  # concept | system | org | new (a candidate name, not yet in the graph)
    label: str = ""  # the label it matched, before any plural ending
    new: bool = False  # a category the graph does not know yet (terms.py), proposed with its IRI


def plurals(label: str) -> list[str]:
    """The English plural of a label's last word (model → models, ontology → ontologies, LLM → LLMs)."""
    if label[-1:].isdigit() or not label[-1:].isalpha():
        return []
    if re.search(r"[^aeiou]y$", label):
        return [label[:-1] + "ies"]
    if re.search(r"(s|x|z|ch|sh)$", label):
        return [label + "es"]
    return [label + "s"]


def case_sensitive(label: str, kind: str) -> bool:
    """Acronyms and names keep their case (AI, CLIP, Meta); a concept's words may be capitalised."""
    letters = [c for c in label if c.isalpha()]
    acronym = len(letters) > 0 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)
    return acronym or (kind != "concept" and any(c.isupper() for c in label))


HYPHENS = {"\u00b7": "-", "\u2010": "-", "\u2011": "-"}  # DALL·E, GPT‑4 (a non-breaking hyphen)


def fold(text: str) -> str:
    """Lower case, hyphen variants as "-", with the text's length kept, so offsets stay valid."""
    return "".join(HYPHENS.get(c) or (c.lower() if len(c.lower()) == 1 else c) for c in text)


class Gazetteer:
    def __init__(self, entities: dict[str, Entity]):
        self.entities = entities
        self.automaton = ahocorasick.Automaton()
        for entity in entities.values():
            for label in entity.labels:
                for form in [label] + plurals(label):
                    self.add(form, label, entity, case_sensitive(label, entity.kind))
        if len(self.automaton):
            self.automaton.make_automaton()

    def add(self, form: str, label: str, entity: Entity, exact: bool) -> None:
        key = fold(form)
        entries = self.automaton.get(key) if key in self.automaton else []
        entries.append((len(key), fold_hyphens(form) if exact else None, entity.iri, entity.kind, label))
        self.automaton.add_word(key, entries)

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text`, longest first where two overlap."""
        if not len(self.automaton):
            return []
        found = []
        for last, entries in self.automaton.iter(fold(text)):
            for length, exact, iri, kind, label in entries:
                start, end = last - length + 1, last + 1
                if (exact is None or fold_hyphens(text[start:end]) == exact) and bounded(text, start, end):
                    found.append(Mention(start, end, iri, kind, label))
        return longest(found)


def fold_hyphens(text: str) -> str:
    return "".join(HYPHENS.get(c, c) for c in text)


def bounded(text: str, start: int, end: int) -> bool:
    before = HYPHENS.get(text[start - 1], text[start - 1]) if start > 0 else " "
    after = HYPHENS.get(text[end], text[end]) if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_") and not (
        after == "-" and end + 1 < len(text) and text[end + 1].isalnum())


def longest(mentions: list[Mention]) -> list[Mention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
