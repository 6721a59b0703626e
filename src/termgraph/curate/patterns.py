"""Lexico-syntactic patterns over one masked segment (entity slots ⟦i⟧, see masking.py).

Each rule is written for a general English construction (copular definitions, "a type of",
Hearst's "such as" / "include", possessive makers, "based on", "trained using", "also known as",
"distinct from"); none names a term. Stance and qualification come from cues.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from termgraph.curate import cues
from termgraph.curate.gazetteer import Mention
from termgraph.curate.masking import Masked


def S(name: str) -> str:
    return rf"⟦(?P<{name}>\d+)⟧"


ANY = r"⟦\d+⟧"
PAREN = r"(?:\s*\([^()]*\))?"
HEAD = (r"(?:\s+(?:models?|systems?|tools?|applications?|products?|techniques?|methods?|networks?|"
        r"approach(?:es)?|technolog(?:y|ies)|algorithms?))?")
ITEM = rf"(?:the\s+)?(?:(?:\w+|{ANY})\s*['’]s\s+)?{ANY}{HEAD}{PAREN}(?:\s+by\s+{ANY})?"
LIST = rf"{ITEM}(?:\s*,\s*(?:(?:and|or)\s+)?{ITEM})*(?:\s*,?\s*(?:and|or|&)\s+{ITEM})?"
ADV = r"(?:(?:\w+ly|also|often|now|still|thus|therefore)\s+)?"
DET = r"(?:(?:a|an|the|one)\s+)?"
APPOS = r"(?:\s*,\s*(?:or|also\s+known\s+as|also\s+called|aka)\s+[^,]{1,40},)?"
ASIDE = r"(?:\s*,[^,;.]{1,80},)?"  # "X, such as A and B, are …"


@dataclass(frozen=True)
class Found:
    subject: Mention
    predicate: str  # CURIE
    obj: Mention | str  # an entity, or literal text
    stance: str
    qualification: str
    rule: str
    confidence: float


def before(m: Masked, pos: int) -> str:
    return m.text[max(0, pos - 30):pos]


def is_a(x: Mention, y: Mention, between: str, prefix: str, rule: str, conf: float) -> list[Found]:
    """X is-a Y: subclass for a concept X, rdf:type for a system X (or a new name: a system)."""
    if y.kind != "concept" or x.iri == y.iri and x.kind != "new" or x.kind == "org":
        return []
    predicate = "rdfs:subClassOf" if x.kind == "concept" else "rdf:type"
    st, q = cues.stance(between, prefix)
    return [Found(x, predicate, y, st, q, rule, round(conf * (0.7 if x.kind == "new" else 1), 2))]


TYPE_OF = re.compile(rf"{S('x')}{HEAD}{PAREN}{APPOS}\s+(?P<rel>{ADV}(?:is|are|was|were|refers?\s+to|describes?|(?:can|could|may|might)\s+(?:also\s+)?be(?:\s+(?:considered|seen\s+as|viewed\s+as|regarded\s+as))?)\s+{ADV}"
                     rf"(?:not\s+)?{DET}(?:[\w-]+\s+){{0,2}}?(?:type|kind|form|subset|class|category|subfield|field|"
                     rf"branch|family|variety|sort|subcategory|specialization|subtype)s?\s+of\s+(?:the\s+)?"
                     rf"(?:[\w-]+\s+){{0,3}}?){S('y')}")
COPULA = re.compile(rf"{S('x')}{HEAD}{PAREN}{APPOS}\s+(?P<rel>{ADV}(?:is|are)\s+{ADV}(?:not\s+)?{DET}"
                    rf"(?:(?!of\b|for\b|to\b|in\b|by\b|with\b|their\b|its\b|our\b|your\b|his\b|her\b|my\b)[\w-]+\s+){{0,2}}?){S('y')}(?!\s*(?:-|’s|'s|\())")
CONSIDERED = re.compile(rf"{S('x')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:be\s+|is\s+|are\s+)?(?:also\s+)?"
                        rf"(?:considered|viewed\s+as|regarded\s+as|seen\s+as|classified\s+as|thought\s+of\s+as)\s+{DET})"
                        rf"{S('y')}(?:\s*,?\s*but\s+not\s+{DET}{S('z')})?")


LIST_TYPE_OF = re.compile(rf"(?P<list>{LIST})\s+(?P<rel>{ADV}(?:are|were)\s+{ADV}(?:not\s+)?(?:[\w-]+\s+){{0,2}}?(?:types|kinds|forms|subsets|classes|categories|subfields|branches|families|varieties)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?){S('y')}")

SERVES_AS = re.compile(rf"{S('x')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:serves?|served|acts?|acted|functions?|functioned)\s+as\s+{DET}"
                       rf"(?:(?!of\b|for\b|to\b|in\b|by\b|with\b)[\w-]+\s+){{0,2}}?){S('y')}(?!\s*(?:-|’s|'s|\())")


def is_a_rules(m: Masked) -> list[Found]:
    out = []
    for hit in LIST_TYPE_OF.finditer(m.text):
        ids = re.findall(r"⟦(\d+)⟧", re.sub(r"\([^()]*\)", "", hit["list"]))
        for i in ids if len(ids) > 1 else []:
            out += is_a(m.mention(i), m.mention(hit["y"]), hit["rel"], before(m, hit.start()), "list-type-of", 0.85)
    for regex, rule, conf in ((TYPE_OF, "type-of", 0.9), (COPULA, "copula-is-a", 0.75),
                              (CONSIDERED, "considered-as", 0.7), (SERVES_AS, "serves-as-kind", 0.6)):
        for hit in regex.finditer(m.text):
            x, y = m.mention(hit["x"]), m.mention(hit["y"])
            out += is_a(x, y, hit["rel"], before(m, hit.start()), rule, conf)
            if "z" in regex.groupindex and hit["z"]:
                out += is_a(x, m.mention(hit["z"]), "not", "", rule, conf)
    return out


HEARST = [
    (re.compile(rf"{S('y')}{HEAD}\s*,?\s*\(?(?:such\s+as|like|including|e\.g\.,?|for\s+example,?|for\s+instance,?)\s+(?P<list>{LIST})"), "such-as", 0.85),
    (re.compile(rf"(?:examples|instances|types|kinds)\s+of\s+(?:\w+\s+){{0,2}}?{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+)?(?:include|includes|are|:))\s*:?\s*(?P<list>{LIST})"), "examples-of-include", 0.85),
    (re.compile(rf"^(?:(?:some|many|several|other)\s+(?:of\s+the\s+)?)?(?:(?:best|top|popular|notable|well-known|leading|common|major|prominent)\s+)?{S('y')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:include|includes|are))\s*:?\s*(?P<list>{LIST})\s*[.;]?$", re.I), "y-include-list", 0.75),
]


HEARST += [
    (re.compile(rf"{S('y')}{HEAD}\s*\((?P<list>{ITEM}(?:\s*,\s*(?:(?:and|or)\s+)?{ITEM})+)\)"), "parenthetical-examples", 0.7),
    (re.compile(rf"{S('y')}{HEAD}\s+(?P<rel>(?:called|named|known\s+as|dubbed))\s+(?P<list>{ITEM})"), "named", 0.8),
    (re.compile(rf"^(?P<list>{ITEM})\s*(?:—|–|:|\s-\s)\s*{DET}(?:(?!of\b|for\b|in\b)[\w-]+\s+){{0,3}}?{S('y')}"), "name-dash-kind", 0.7),
    (re.compile(rf"(?P<list>{ANY})\s+{S('y')}(?!\s*(?:-|’s|'s))"), "name-kind-compound", 0.6),
]


def hearst_rules(m: Masked) -> list[Found]:
    out = []
    for regex, rule, conf in HEARST:
        for hit in regex.finditer(m.text):
            y = m.mention(hit["y"])
            if rule in ("name-kind-compound", "parenthetical-examples", "name-dash-kind") and any(
                    m.mention(i).kind not in ("system", "new") for i in re.findall(r"⟦(\d+)⟧", hit["list"])):
                continue  # only names of systems are listed this way
            rel = hit.groupdict().get("rel") or ""
            for i in re.findall(r"⟦(\d+)⟧", re.sub(r"\([^()]*\)", "", hit["list"])):
                out += is_a(m.mention(i), y, rel if cues.NEGATION.search(rel) else "", "", rule, conf)
    return out


DEFINE_VERB = (r"(?:is|are|can\s+be|may\s+be)\s+(?:\w+ly\s+)?(?:defined|described|understood)\s+as|refers?\s+to|"
               r"describes?|means|denotes?|(?:is|are)\s+(?:\w+ly\s+)?designed\s+(?:to|for)|(?P<cop>is|are)")
DEFINITION = re.compile(rf"(?:(?:a|an|the)\s+)?{S('x')}{PAREN}{APPOS}{ASIDE}\s+(?P<verb>{DEFINE_VERB})\s+(?P<body>.{{12,}}?)\s*[.;!]?$",
                        re.I | re.S)
# "X is a term coined by …": about the word's history, not what it means
ABOUT_THE_WORD = re.compile(r"(?:a|an|the)\s+(?:[\w-]+\s+)?(?:term|word|phrase|name|buzzword|expression)\s+\W*"
                            r"(?:popularized|popularised|coined|introduced|invented|first\s+used|used\s+since)\b", re.I)
LEAD_IN = re.compile(r"(?:<sup>[^<]{0,8}</sup>|\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)?\s*"  # a footnote mark
                     r"(?:(?:[\w-]+\s+){0,3}[\w-]+:\s+(?=\S)"  # "Language-centric: …" before the sentence
                     r"|[A-Z][^⟦,:;.]{1,30},\s+(?=\S))?")  # "On the other hand, …", "In short, …"
GLOSS = re.compile(rf"^{S('x')}{PAREN}\s*(?::|—|–|\s-\s)\s*(?!(?:they|it|these|this|those|their|its)\b)(?P<body>[^⟦\s].{{11,}}?)\s*[.;]?$", re.S | re.I)


def definition_rules(m: Masked, article: str, segment_kind: str) -> list[Found]:
    """"X is a …" / "X refers to …" / "X is designed to …" at the head of a segment, and glossary
    lines "X: …" / "X — …"; the object is the defining text as it stands in the article."""
    out = []
    hit = DEFINITION.match(m.text, LEAD_IN.match(m.text).end())
    if hit and m.mention(hit["x"]).kind == "concept":
        body = hit["body"]
        copular_only = bool(hit["cop"])
        if not (copular_only and not re.match(rf"(?:a|an|the|one|any)\b|(?:[\w-]+\s+){{0,2}}⟦", body, re.I)):
            if not cues.NEGATION.match(body) and not cues.NEGATION.search(hit["verb"]) and not ABOUT_THE_WORD.match(body):
                st, q = cues.stance(hit["verb"], "")
                text = article[slice(*m.span(hit.start("body"), hit.end("body")))]
                conf = 0.65 if copular_only else 0.8
                out.append(Found(m.mention(hit["x"]), "skos:definition", text, st, q, "definition", conf))
    gloss = GLOSS.match(m.text)
    if gloss and segment_kind in ("item", "cell") and m.mention(gloss["x"]).kind == "concept":
        text = article[slice(*m.span(gloss.start("body"), gloss.end("body")))]
        out.append(Found(m.mention(gloss["x"]), "skos:definition", text, "asserts", "", "glossary-entry", 0.6))
    return out


MAKER = [
    (re.compile(rf"{S('o')}\s*['’]s\s+{S('s')}"), "possessive-maker", 0.8),
    (re.compile(rf"{S('s')}{PAREN}\s*,?\s*(?P<rel>(?:(?:which|that)\s+)?(?:(?:was|is|were|are)\s+)?(?:\w+ly\s+)?(?:developed|created|built|made|released|launched|introduced|designed|trained|published)?\s*)by\s+{S('o')}"), "made-by", 0.8),
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
    (re.compile(rf"{S('o')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:powers?|powered|drives?|drove|underpins?|underlies|enables?))\s+(?:(?:some|many|most|all)\s+)?(?P<q>){S('s')}"), "powers", 0.75),
    (re.compile(rf"{S('o')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:serves?|served|acts?|acted|be\s+used|are\s+used|is\s+used|was\s+used)\s+as\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:base|basis|foundation|backbone|starting\s+point|foundation\s+model|core)\s+(?:for|of)\s+(?:(?:some|many|most|all)\s+)?){S('s')}"), "serves-as-base", 0.75),
]


def built_on_rules(m: Masked) -> list[Found]:
    """X based on / powered by / uses Y: schema:isBasedOn between two systems, else tg:poweredBy."""
    out = []
    for regex, rule, conf in BUILT_ON:
        for hit in regex.finditer(m.text):
            s, o = m.mention(hit["s"]), m.mention(hit["o"])
            if s.kind not in ("concept", "system") or o.kind not in ("concept", "system") or s.iri == o.iri:
                continue
            predicate = "schema:isBasedOn" if s.kind == o.kind == "system" else "tg:poweredBy"
            st, q = cues.stance(hit["rel"], before(m, hit.start()))
            if st == "asserts" and re.search(r"\b(?:some|many|most)\s+⟦$", m.text[hit.start():hit.start("s")]):
                st, q = "qualifies", "partial"
            out.append(Found(s, predicate, o, st, q, rule, conf))
    return out


ARCHITECTURE = re.compile(rf"{S('s')}{HEAD}{PAREN}{ASIDE}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:uses?|employs?|relies\s+on|rely\s+on|is\s+based\s+on|are\s+based\s+on|leverag\w*|(?:is|are)\s+built\s+on|adopts?)\s+{DET}(?:[\w-]+\s+){{0,3}}?){S('o')}(?:-based)?\s+architectures?")
CONSISTS = re.compile(rf"{S('s')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:consists?|composed|made\s+up)\s+of\s+(?:[\w-]+\s+){{0,2}}?){S('o')}")
TRAINED = re.compile(rf"{S('s')}{HEAD}{PAREN}{ASIDE}\s+(?P<rel>(?:\w+\s+){{0,3}}?(?:pre-?)?trained\b[^.;⟦]{{0,80}}?\b(?:using|with|via|through|by)\s+(?:[\w-]+\s+){{0,4}}?)(?P<list>{LIST})")


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


def singular(text: str) -> str:
    return text[:-1] if re.fullmatch(r"[A-Z][A-Z0-9-]+s", text) else text


def acronym_of(short: str, long: str) -> bool:
    """"LLMs" / "LLM" for "Large Language Models", "GPT" for "Generative Pre-trained Transformer"."""
    short = singular(short.strip())
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,9}", short) or sum(c.isupper() for c in short) < 2:
        return False
    initials = "".join(w[0] for w in re.split(r"[\s-]+", long) if w and w[0].isalnum())
    return initials.upper() == short.upper()


SAME = re.compile(rf"{S('x')}{HEAD}\s+(?:and|or)\s+{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:are|is)\s+(?:\w+ly\s+|often\s+|not\s+)*(?:used\s+interchangeably|synonyms|synonymous|the\s+same(?:\s+thing)?))"
                  rf"|{S('x2')}{HEAD}\s+(?P<rel2>(?:\w+\s+){{0,2}}?(?:is|are)\s+(?:\w+ly\s+|often\s+|not\s+)*(?:used\s+interchangeably\s+with|(?:\w+\s+)?synonymous(?:ly)?\s+with|another\s+(?:word|term|name)\s+for|the\s+same\s+(?:thing\s+)?as))\s+{S('y2')}")
DISTINCT = re.compile(rf"{S('x')}{HEAD}\s+(?:and|vs\.?|versus)\s+{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:are|is)\s+(?:\w+ly\s+|not\s+)*(?:distinct|different|separate))"
                      rf"|{S('x2')}{HEAD}\s+(?P<rel2>(?:\w+\s+){{0,2}}?(?:(?:is|are)\s+(?:\w+ly\s+|not\s+)*(?:distinct|different|separate)\s+from|differs?\s+from))\s+{S('y2')}")


LIST_DISTINCT = re.compile(rf"(?P<list>{LIST})\s+(?P<rel>{ADV}(?:are|were)\s+{ADV}(?:not\s+)?(?:distinct|different|separate)\b)")


def pair_rules(m: Masked) -> list[Found]:
    out = []
    for hit in LIST_DISTINCT.finditer(m.text):
        xs = [m.mention(i) for i in re.findall(r"⟦(\d+)⟧", re.sub(r"\([^()]*\)", "", hit["list"]))]
        xs = [x for k, x in enumerate(xs) if x.kind == "concept" and x.iri not in {y.iri for y in xs[:k]}]
        st, q = cues.stance(hit["rel"], before(m, hit.start()))
        for k, x in enumerate(xs):
            out += [Found(x, "tg:distinctFrom", y, st, q, "list-distinct", 0.7) for y in xs[k + 1:]]
    for regex, rule in ((SAME, "same-as"), (DISTINCT, "distinct-from")):
        for hit in regex.finditer(m.text):
            x, y = (hit["x"], hit["y"]) if hit["x"] else (hit["x2"], hit["y2"])
            x, y = m.mention(x), m.mention(y)
            rel = hit["rel"] or hit["rel2"]
            if x.kind != "concept" or y.kind != "concept" or x.iri == y.iri:
                continue
            predicate = "tg:distinctFrom" if rule == "distinct-from" else (
                "tg:usedInterchangeablyWith" if "interchangeabl" in rel else "tg:synonymousWith")
            st, q = cues.stance(rel.replace("often", "") if "interchangeabl" in rel else rel, before(m, hit.start()))
            out.append(Found(x, predicate, y, st, q, rule, 0.75))
    return out


def segment_rules(m: Masked, article: str, kind: str) -> list[Found]:
    return (definition_rules(m, article, kind) + is_a_rules(m) + hearst_rules(m) + maker_rules(m)
            + built_on_rules(m) + architecture_rules(m) + synonymy_rules(m, article) + pair_rules(m))
