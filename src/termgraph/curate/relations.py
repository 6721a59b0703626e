"""Patterns for relations between two named things: makers, built on / powered by, architecture,
training objective, alternative names and synonymy, distinctness (general English constructions,
over a masked segment as in patterns.py)."""

from __future__ import annotations

import re

from termgraph.curate import cues
from termgraph.curate.acronyms import acronym_of, singular  # noqa: F401 - (singular: also this module's name)
from termgraph.curate.masking import Masked
from termgraph.curate.patterns import ADV, ANY, ASIDE, DET, HEAD, LIST, PAREN, Found, S, before


MAKER = [
    (re.compile(rf"{S('o')}\s*['’]s\s+{S('s')}"), "possessive-maker", 0.8),
    (re.compile(rf"{S('s')}{PAREN}\s*[,–—]?\s*(?P<rel>(?:(?:which|that)\s+)?(?:(?:was|is|were|are)\s+)?(?:\w+ly\s+)?(?:developed|created|built|made|released|launched|introduced|designed|trained|published)?\s*)by\s+{S('o')}"), "made-by", 0.8),
    (re.compile(rf"{S('s')}\s+(?P<rel>from)\s+{S('o')}(?!\s*['’]s)"), "from-maker", 0.55),
    # "Zorblax is a chatbot made by Google": the maker of the subject, past its kind
    (re.compile(rf"{S('s')}{PAREN}\s+(?P<rel>(?:is|was)\s+{DET}(?:[\w-]+\s+){{0,2}}?⟦\d+⟧\s+(?:\w+ly\s+)?(?:developed|created|built|made|"
                rf"released|launched|introduced|designed|trained|published)\s+)by\s+{S('o')}"), "kind-made-by", 0.7),
    (re.compile(rf"{S('o')}\s+(?P<rel>(?:\w+ly\s+)?(?:developed|created|built|released|launched|introduced|makes|made|trained))\s+(?:the\s+)?{S('s')}"), "org-made", 0.75),
    (re.compile(rf"{S('o')}\s*,\s*the\s+(?:[\w-]+\s+)?(?:company|lab|laboratory|firm|startup|organization|organisation|team|developer|maker|creator)s?\s+(?:behind|that\s+(?:made|built|created|developed))\s+{S('s')}"), "org-behind", 0.8),
]


def maker_rules(m: Masked) -> list[Found]:
    out = []
    for regex, rule, conf in MAKER:
        for hit in regex.finditer(m.text):
            s, o = m.mention(hit["s"]), m.mention(hit["o"])
            both_new = s.kind == o.kind == "new"
            if s.kind in ("system", "new") and o.kind in ("org", "new") and not (both_new and rule == "possessive-maker"):
                st, q = cues.stance(hit.groupdict().get("rel") or "", "")
                out.append(Found(s, "schema:creator", o, st, q, rule, conf * (0.7 if "new" in (s.kind, o.kind) else 1)))
    return out


BUILT_ON = [
    (re.compile(rf"^For\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{S('s')}{HEAD}\s*,(?:[^,]*?\s)?{S('o')}\s+(?P<rel>(?:\w+\s+)?(?:serves?|served|acts?|acted|is\s+used|was\s+used)\s+as\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:base|basis|foundation|backbone|core|starting\s+point|⟦\d+⟧))"), "for-x-y-serves-as", 0.7),
    (re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:based|built|founded)\s+(?:on|upon)\s+(?:top\s+of\s+)?{DET}(?:[\w-]+\s+){{0,2}}?){S('o')}"), "based-on", 0.8),
    (re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:powered|driven|enabled)\s+by\s+{DET}(?:[\w-]+\s+){{0,2}}?){S('o')}"), "powered-by", 0.8),
    (re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:uses?|used|using|relies\s+on|rely\s+on|runs?\s+on|leverages?|builds?\s+on|draws?\s+on)\s+{DET}(?:[\w-]+\s+){{0,2}}?){S('o')}{HEAD}(?!\s*(?:architecture|-based|for\b))"), "uses", 0.65),
    # "Generative AI leverages models like GANs, VAEs and transformers": each one listed
    (re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:uses?|used|using|relies\s+on|rely\s+on|leverages?|builds?\s+on|"
                rf"draws?\s+on))\s+(?:[\w-]+\s+){{0,2}}?(?:like|such\s+as|including)\s+(?P<list>{LIST})"), "uses-like", 0.65),
    # "LLMs are artificial neural networks trained using ML": what the subject is trained with
    (re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:is|are)\s+{DET}(?:[\w-]+\s+){{0,2}}?⟦\d+⟧{HEAD}\s+(?:pre-?)?trained\s+"
                rf"(?:using|with|by)\s+{DET}(?:[\w-]+\s+){{0,2}}?){S('o')}"), "trained-using", 0.7),
    (re.compile(rf"{S('o')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:powers?|powered|drives?|drove|underpins?|underlies|enables?))\s+(?:(?:some|many|most|all)\s+)?(?P<q>){S('s')}"), "powers", 0.75),
    (re.compile(rf"{S('o')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:serves?|served|acts?|acted|be\s+used|are\s+used|is\s+used|was\s+used)\s+as\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:base|basis|foundation|backbone|starting\s+point|foundation\s+model|core)\s+(?:for|of)\s+(?:(?:some|many|most|all)\s+)?){S('s')}"), "serves-as-base", 0.75),
]


def built_on_rules(m: Masked) -> list[Found]:
    """X based on / powered by / uses Y: schema:isBasedOn between two systems, else tg:poweredBy."""
    out = []
    for regex, rule, conf in BUILT_ON:
        for hit in regex.finditer(m.text):
            s = m.mention(hit["s"])
            objects = [hit["o"]] if "o" in regex.groupindex else re.findall(r"⟦(\d+)⟧", re.sub(r"\([^()]*\)", "", hit["list"]))
            if rule == "uses" and hit["rel"].lstrip().startswith("trained"):
                continue  # "Ys trained using Z": the trained-using rule names whose training it is
            st, q = cues.stance(hit["rel"], before(m, hit.start()))
            if st == "asserts" and re.search(r"\b(?:some|many|most)\s+⟦$", m.text[hit.start():hit.start("s")]):
                st, q = "qualifies", "partial"
            for o in map(m.mention, objects):
                if s.kind not in ("concept", "system") or o.kind not in ("concept", "system") or s.iri == o.iri:
                    continue
                predicate = "schema:isBasedOn" if s.kind == o.kind == "system" else "tg:poweredBy"
                out.append(Found(s, predicate, o, st, q, rule, conf))
    return out


ARCHITECTURE = re.compile(rf"{S('s')}{HEAD}{PAREN}{ASIDE}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:uses?|employs?|relies\s+on|rely\s+on|is\s+based\s+on|are\s+based\s+on|leverag\w*|(?:is|are)\s+built\s+on|adopts?)\s+{DET}(?:[\w-]+\s+){{0,3}}?){S('o')}(?:-based)?\s+architectures?")
CONSISTS = re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:consists?|composed|made\s+up)\s+of\s+(?:[\w-]+\s+){{0,2}}?){S('o')}")
TRAINED = re.compile(rf"{S('s')}{HEAD}{PAREN}{ASIDE}\s+(?P<rel>(?:\w+\s+){{0,3}}?(?:pre-?|fine-?)?(?:trained|tuned)\b[^.;⟦]{{0,80}}?\b(?:using|with|via|through|by)\s+(?:[\w-]+\s+){{0,4}}?)(?P<list>{LIST})")


def architecture_rules(m: Masked) -> list[Found]:
    out = []
    for regex, rule, conf in ((ARCHITECTURE, "architecture", 0.75), (CONSISTS, "consists-of", 0.55)):
        for hit in regex.finditer(m.text):
            s, o = m.mention(hit["s"]), m.mention(hit["o"])
            if s.kind in ("concept", "system") and o.kind == "concept" and s.iri != o.iri:
                st, q = cues.stance(hit["rel"], before(m, hit.start()))
                out.append(Found(s, "tg:architecture", o, st, q, rule, conf))
    for hit in TRAINED.finditer(m.text):
        s = m.mention(hit["s"])
        for i in re.findall(r"⟦(\d+)⟧", hit["list"]):
            o = m.mention(i)
            if s.kind in ("concept", "system") and o.kind == "concept" and s.iri != o.iri:
                st, q = cues.stance(hit["rel"], before(m, hit.start()))
                out.append(Found(s, "tg:trainingObjective", o, st, q, "trained-using", 0.7))
    return out


ALT = [
    re.compile(rf"{S('x')}\s*,\s*(?:or|also\s+known\s+as|also\s+called|aka|a\.k\.a\.)\s+(?P<alt>[^,;.()⟦]{{2,40}}|{ANY})\s*,"),
    re.compile(rf"{S('x')}\s*\((?:also\s+(?:known\s+as|called)\s+|or\s+|i\.e\.,?\s+)?(?P<alt>[^()⟦]{{2,60}}|{ANY})\)"),
]


def synonymy_rules(m: Masked, article: str) -> list[Found]:
    out = []
    for regex, appositive in zip(ALT, (True, False)):
        for hit in regex.finditer(m.text):
            x = m.mention(hit["x"])
            if x.kind not in ("concept", "system"):
                continue
            alt = hit["alt"].strip()
            slot = re.fullmatch(r"⟦(\d+)⟧", alt)
            if slot and m.mention(slot.group(1)).kind == "new":  # a name the graph does not know yet
                alt, slot = m.mention(slot.group(1)).label, None
            if slot:
                y = m.mention(slot.group(1))
                if y.iri == x.iri:
                    out.append(Found(x, "skos:altLabel", y.label, "asserts", "", "alternative-name", 0.8))
                elif appositive and y.kind == x.kind == "concept":
                    out.append(Found(x, "tg:synonymousWith", y, "asserts", "", "alternative-name", 0.5))
            elif acronym_of(alt, article[x.start:x.end]) or acronym_of(article[x.start:x.end], alt):
                out.append(Found(x, "skos:altLabel", singular(alt), "asserts", "", "acronym", 0.85))
    return out


SAME = re.compile(rf"{S('x')}{HEAD}\s+(?:and|or)\s+{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:are|is)\s+(?:\w+ly\s+|often\s+|not\s+)*(?:used\s+interchangeably|synonyms|synonymous|the\s+same(?:\s+thing)?))"
                  rf"|{S('x2')}{HEAD}\s+(?P<rel2>(?:\w+\s+){{0,2}}?(?:is|are)\s+(?:\w+ly\s+|often\s+|not\s+)*(?:used\s+interchangeably\s+with|(?:\w+\s+)?synonymous(?:ly)?\s+with|another\s+(?:word|term|name)\s+for|the\s+same\s+(?:thing\s+)?as))\s+{S('y2')}")
DISTINCT = re.compile(rf"{S('x')}{HEAD}\s+(?:and|vs\.?|versus)\s+{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:are|is)\s+(?:\w+ly\s+|not\s+)*(?:distinct|different|separate))"
                      rf"|{S('x2')}{HEAD}\s+(?P<rel2>(?:\w+\s+){{0,2}}?(?:(?:is|are)\s+(?:\w+ly\s+|not\s+)*(?:distinct|different|separate)\s+from|differs?\s+from))\s+{S('y2')}")


# "the difference between X and Y", "X vs. Y": the text sets two categories apart
DIFFERENCE = re.compile(rf"(?i:differences?|distinction)\s+between\s+{S('x')}{HEAD}{PAREN}\s+and\s+{S('y')}"
                        rf"|{S('x2')}{HEAD}{PAREN}\s+(?:vs\.?|versus)\s+{S('y2')}")
LIST_DISTINCT = re.compile(rf"(?P<list>{LIST})\s+(?P<rel>{ADV}(?:are|were)\s+{ADV}(?:not\s+)?(?:distinct|different|separate)\b)")


def pair_rules(m: Masked) -> list[Found]:
    out = []
    for hit in LIST_DISTINCT.finditer(m.text):
        xs = [m.mention(i) for i in re.findall(r"⟦(\d+)⟧", re.sub(r"\([^()]*\)", "", hit["list"]))]
        xs = [x for k, x in enumerate(xs) if x.kind == "concept" and x.iri not in {y.iri for y in xs[:k]}]
        st, q = cues.stance(hit["rel"], before(m, hit.start()))
        for k, x in enumerate(xs):
            out += [Found(x, "tg:distinctFrom", y, st, q, "list-distinct", 0.7) for y in xs[k + 1:]]
    for regex, rule in ((SAME, "same-as"), (DISTINCT, "distinct-from"), (DIFFERENCE, "difference-between")):
        for hit in regex.finditer(m.text):
            x, y = (hit["x"], hit["y"]) if hit["x"] else (hit["x2"], hit["y2"])
            x, y = m.mention(x), m.mention(y)
            rel = hit.groupdict().get("rel") or hit.groupdict().get("rel2") or ""
            if x.kind != "concept" or y.kind != "concept" or x.iri == y.iri:
                continue
            predicate = "tg:distinctFrom" if rule != "same-as" else (
                "tg:usedInterchangeablyWith" if "interchangeabl" in rel else "tg:synonymousWith")
            st, q = cues.stance(rel.replace("often", "") if "interchangeabl" in rel else rel, before(m, hit.start()))
            out.append(Found(x, predicate, y, st, q, rule, 0.75))
    return out
