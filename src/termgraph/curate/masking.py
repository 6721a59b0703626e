"""A segment with every entity mention replaced by a placeholder ⟦i⟧, so that each pattern is a
plain regular expression over English words and entity slots, with a map back to the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from termgraph.curate import terms
from termgraph.curate.gazetteer import Mention

SLOT = r"⟦(\d+)⟧"
is_category = terms.is_category_name
NAME = re.compile(r"(?<![\w⟦-])[A-Z][A-Za-z0-9]*(?:[-.+·‑][A-Za-z0-9]+)*(?:[ \t]+[A-Z0-9][A-Za-z0-9]*(?:[-.+·‑][A-Za-z0-9]+)*){0,3}(?![\w⟧])")
VERSION = re.compile(r"\s+\d+(?:\.\d+)*")  # "DALL·E 2" beside the known DALL·E: another system
NOT_NAMES = frozenset("""I A An The This That These Those It Its They Their There Some Many Most All Each Every
And Or But For In On Of To By With As At From Other Others Such Unlike While When If Key Examples Example
Typical Popular Notable Top Best Both Also However Moreover Finally First Second Third What Who Why How Is Are
Was Were Which Where Do Does Can Posted Written Published Updated Edited Reviewed Read Share By Q A""".split())


@dataclass
class Masked:
    text: str  # the segment with mentions replaced by ⟦i⟧
    mentions: list[Mention]  # absolute offsets into the article
    starts: list[int]  # article offset of each masked character
    ends: list[int]  # article offset just after each masked character

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Article offsets of masked[a:b]."""
        return self.starts[a], self.ends[b - 1]

    def mention(self, match_group: str) -> Mention:
        return self.mentions[int(match_group)]


# After a list item's leading name: "Synthesia (videos)", "Jukebox by OpenAI", "Midjourney, DALL·E"
# "Zorblax and Quillon are …": a capital at a sentence's start, coordinated with a name
COORDINATED = re.compile(r"\s*(?:,|\s(?:and|or|&))\s+(?:[A-Z][A-Za-z]*[A-Z0-9]|[A-Z][a-z]+[ ,.])")
ITEM_NAME_END = re.compile(r"\s*(?:$|[(,;]|by\s)")  # not before ":" or a dash: "Scale — …" is a glossary term


def name_candidates(article: str, start: int, end: int, taken: list[Mention], listed: bool = False,
                    heading: bool = False) -> list[Mention]:
    """Capitalised names not in the graph (RoBERTa, T5, Stable Diffusion): proposals only. In a
    list item (`listed`), a capitalised word that stands alone before "(", ",", "by" or the end
    is a name too, even at the item's start."""
    out = []
    for m in NAME.finditer(article, start, end):
        s, e = m.start(), m.end()
        stripped = []
        while (w := re.match(r"(\S+)\s+", article[s:e])) and w.group(1) in NOT_NAMES:
            s += w.end()
            stripped.append(w.group(1))
        if heading and (rest := re.match(r"(\S+)((?:\s+[A-Z][a-z]+)+)$", article[s:e])) and not is_category(article[s:e]):
            e = s + len(rest.group(1))  # a title-case heading: "SLMs Relate to …" names SLMs, not "SLMs Relate"
        name = article[s:e]
        plain = not re.search(r"[A-Z0-9].*[A-Z0-9]|\d", name)
        alone = (listed and ITEM_NAME_END.match(article, e, end) or COORDINATED.match(article, e, end)) and not (
            plain and name.endswith("ed"))  # "Posted by …", "Trained on …": a verb, not a name
        opening = s == start or article[start:s].rstrip().endswith((".", ":")) or (
            stripped and not {"What", "Who"} & set(stripped))  # "Key Features": still the line's first word
        if name in NOT_NAMES or (plain and not alone and opening):
            continue  # a capital at the start of a sentence says nothing
        overlapping = [t for t in taken if t.start < e and s < t.end]
        versioned = len(overlapping) == 1 and overlapping[0].kind == "system" and overlapping[0].start == s and \
            VERSION.fullmatch(article, overlapping[0].end, e)
        # "Microsoft Copilot": a known product's name after another capitalised name (not a
        # known maker's, not a sentence's first word) is another product
        versioned = versioned or len(overlapping) == 1 and overlapping[0].kind == "system" and overlapping[0].start > s \
            and overlapping[0].end == e and s > start and not article[start:s].rstrip().endswith((".", ":"))
        if not versioned and any(t.kind != "concept" or t.start < s or t.end > e or (t.start, t.end) == (s, e)
                                 for t in overlapping):
            continue  # a known name, or a name that runs into one
        if overlapping and not overlapping[0].start > s and not versioned:
            continue  # "Generative AI …": a term, not a name
        if terms.is_category_name(name):
            out.append(terms.category(s, e, name))  # "Diffusion Models": a kind of thing
        else:
            out.append(Mention(s, e, "", "new", article[s:e]))
    return out


def mask(article: str, start: int, end: int, mentions: list[Mention], listed: bool = False,
         heading: bool = False) -> Masked:
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    names = name_candidates(article, start, end, inside, listed, heading)
    names += terms.phrases(article, start, end, inside + names)
    names += terms.introduced(article, start, end, [m for m in inside if not any(n.start < m.end and m.start < n.end for n in names)])
    inside = [m for m in inside if not any(n.start <= m.start and m.end <= n.end for n in names)]
    inside = sorted(inside + names, key=lambda m: m.start)
    parts, starts, ends, pos = [], [], [], start
    for i, m in enumerate(inside):
        for k in range(pos, m.start):
            parts.append(article[k]); starts.append(k); ends.append(k + 1)
        slot = f"⟦{i}⟧"
        parts.append(slot); starts += [m.start] * len(slot); ends += [m.end] * len(slot)
        pos = m.end
    for k in range(pos, end):
        parts.append(article[k]); starts.append(k); ends.append(k + 1)
    return Masked("".join(parts), inside, starts, ends)
