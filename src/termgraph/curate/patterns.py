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
QUOTED = r"[\"“”‘’']?"  # a name in quotes: Modern "LLMs" like …
LINKED = r"(?:\]\([^()\s]*\))?"  # a markdown link's target after its text: [GPT-4](https://…)
ITEM = rf"(?:the\s+(?:(?:original|first|latest|new|newer|current|popular|famous|open-source)\s+)?)?(?:(?:\w+|{ANY})\s*['’]s\s+|{ANY}\s+(?={ANY}))?{QUOTED}\[?{ANY}{LINKED}{QUOTED}{HEAD}{PAREN}(?:\s+by\s+{ANY})?"
CONJ = r"(?:(?:and|or)(?:\s+(?:even|also|then))?|&|as\s+well\s+as)"  # "…, and even multimodal models like …"
LIST = rf"{ITEM}(?:\s*,\s*(?:{CONJ}\s+)?{ITEM})*(?:\s*,?\s*{CONJ}\s+{ITEM})?"
ADV = r"(?:(?:\w+ly|also|often|now|still|thus|therefore)\s+)?"
DET = r"(?:(?:a|an|the|one)\s+)?"
ONE_OF = r"(?:one\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?)?"  # "is one of the earliest LLMs"
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


def names_in(m: Masked, group: str) -> list[str]:
    """The slots a matched list names, without what stands in parentheses, and without a term
    that only ends a maker's product name ("Meta AI": not the concept AI), and without the maker an
    item names ("Claude by Anthropic": Anthropic is who made it, not one of the list)."""
    inner = re.sub(r"\s+by\s+⟦\d+⟧", "", re.sub(r"\([^()]*\)", "", group))
    out, prev, prev_end = [], None, -1
    for hit in re.finditer(r"⟦(\d+)⟧", inner):
        adjacent = prev is not None and not inner[prev_end:hit.start()].strip()
        if not (adjacent and m.mention(prev).kind == "org" and m.mention(hit[1]).kind == "concept"):
            out.append(hit[1])
        prev, prev_end = hit[1], hit.end()
    return out


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
                     rf"branch|family|variety|sort|subcategory|specialization|subtype|example|instance)s?\s+of\s+(?:the\s+)?"
                     rf"(?:[\w-]+\s+){{0,3}}?){S('y')}")
COPULA = re.compile(rf"{S('x')}{HEAD}{PAREN}{APPOS}\s+(?P<rel>{ADV}(?:is|are)\s+{ADV}(?:not\s+)?{ONE_OF}{DET}"
                    rf"(?:(?!of\b|for\b|to\b|in\b|by\b|with\b|their\b|its\b|our\b|your\b|his\b|her\b|my\b)[\w-]+\s+){{0,2}}?){S('y')}(?!\s*(?:-|’s|'s|\())")
# "X is not a Y but a Z": X is a Z (and not a Y, which COPULA reads)
NOT_BUT = re.compile(rf"{S('x')}{HEAD}{PAREN}\s+(?:is|are)\s+not\s+{DET}(?:[\w-]+\s+){{0,2}}?⟦\d+⟧{HEAD}\s*,?\s+(?P<rel>but\s+(?:rather\s+)?{DET}"
                     rf"(?:(?!of\b|for\b)[\w-]+\s+){{0,2}}?){S('y')}")
CONSIDERED = re.compile(rf"{S('x')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+){{0,2}}?(?:be\s+|is\s+|are\s+)?(?:also\s+)?"
                        rf"(?:considered|viewed\s+as|regarded\s+as|seen\s+as|classified\s+as|thought\s+of\s+as)\s+{DET})"
                        rf"{S('y')}(?:\s*,?\s*but\s+not\s+{DET}{S('z')})?")


LIST_TYPE_OF = re.compile(rf"(?P<list>{LIST})\s+(?P<rel>{ADV}(?:are|were)\s+{ADV}(?:not\s+)?(?:[\w-]+\s+){{0,2}}?(?:types|kinds|forms|subsets|classes|categories|subfields|branches|families|varieties|examples|instances)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?){S('y')}")

# "Large language models (LLMs), a specialized kind of deep learning model, …": an appositive kind
APPOSITIVE_KIND = re.compile(rf"{S('x')}{HEAD}{PAREN}\s*,\s*(?P<rel>(?:a|an|one)\s+(?:[\w-]+\s+){{0,2}}?(?:kind|type|form|class|"
                             rf"subset|category|variety|sort)\s+of\s+(?:[\w-]+\s+){{0,2}}?){S('y')}{HEAD}\s*,")
# "CLIP and SAM are non-language-centric foundation models": each one listed is a Y
LIST_COPULA = re.compile(rf"(?P<list>{LIST})\s+(?P<rel>{ADV}(?:are|were)\s+{ADV}(?:not\s+)?(?:(?:all|both)\s+)?{DET}"
                         rf"(?:(?!of\b|for\b|to\b|in\b|by\b|with\b|their\b|its\b|our\b)[\w-]+\s+){{0,2}}?){S('y')}(?!\s*(?:-|’s|'s|\())")
# "X describes models like A and B": the models named are Xs
DESCRIBES = re.compile(rf"{S('x')}{HEAD}{QUOTED}\s+(?P<rel>(?:\w+\s+)?(?:describes?|refers?\s+to|denotes?|covers?|means?))\s+"
                       rf"(?:[\w-]+\s+){{0,2}}?(?:models|systems|tools|programs|applications)\s*,?\s+(?:like|such\s+as|including)\s+(?P<list>{LIST})")
# "As autoregressive language models, they …": the subject is one of them
AS_KIND = re.compile(rf"^(?P<rel>As\s+(?:an?\s+)?(?:[\w-]+\s+){{0,2}}?){S('y')}{HEAD}\s*,\s*{S('x')}")
SERVES_AS = re.compile(rf"{S('x')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:serves?|served|acts?|acted|functions?|functioned)\s+as\s+{DET}"
                       rf"(?:(?!of\b|for\b|to\b|in\b|by\b|with\b)[\w-]+\s+){{0,2}}?){S('y')}(?!\s*(?:-|’s|'s|\())")


COMPOUND = re.compile(rf"\s+{S('z')}")  # "an LLM foundation model": a kind of both


def is_a_rules(m: Masked) -> list[Found]:
    out = []
    for regex, rule in ((LIST_TYPE_OF, "list-type-of"), (LIST_COPULA, "list-copula")):
        for hit in regex.finditer(m.text):
            ids = names_in(m, hit["list"])
            for i in ids if len(ids) > 1 else []:
                out += is_a(m.mention(i), m.mention(hit["y"]), hit["rel"], before(m, hit.start()), rule, 0.85)
    for hit in DESCRIBES.finditer(m.text):
        for i in names_in(m, hit["list"]):
            out += is_a(m.mention(i), m.mention(hit["x"]), "", before(m, hit.start()), "describes-like", 0.7)
    for regex, rule, conf in ((TYPE_OF, "type-of", 0.9), (COPULA, "copula-is-a", 0.75), (APPOSITIVE_KIND, "appositive-kind", 0.8),
                              (AS_KIND, "as-kind", 0.7), (NOT_BUT, "not-but", 0.75),
                              (CONSIDERED, "considered-as", 0.7), (SERVES_AS, "serves-as-kind", 0.6)):
        for hit in regex.finditer(m.text):
            x, y = m.mention(hit["x"]), m.mention(hit["y"])
            out += is_a(x, y, hit["rel"], before(m, hit.start()), rule, conf)
            head = COMPOUND.match(m.text, hit.end())
            if head and rule == "copula-is-a" and m.mention(head["z"]).kind == "concept":
                out += is_a(x, m.mention(head["z"]), hit["rel"], before(m, hit.start()), rule, conf)
            if "z" in regex.groupindex and hit["z"]:
                out += is_a(x, m.mention(hit["z"]), "not", "", rule, conf)
    return out


AND_MORE = r"(?:,?\s*(?:among\s+others|and\s+(?:many\s+)?(?:more|others)|etc\.?))?"  # "…, among others."
HEARST = [
    (re.compile(rf"{S('y')}{QUOTED}{HEAD}\s*,?\s*\(?(?:such\s+as|like|including|e\.g\.,?|for\s+example,?|for\s+instance,?)\s+(?P<list>{LIST})"), "such-as", 0.85),
    (re.compile(rf"(?i:examples|instances|types|kinds)\s+of\s+(?:\w+\s+){{0,2}}?{S('y')}{HEAD}\s+(?P<rel>(?:\w+\s+)?(?:include|includes|are|:))\s*:?\s*(?P<list>{LIST})"), "examples-of-include", 0.85),
    (re.compile(rf"^(?:(?:some|many|several|other)\s+(?:of\s+the\s+)?)?(?:(?:best|top|popular|notable|well-known|leading|common|major|prominent)\s+)?{S('y')}{HEAD}{PAREN}\s+(?P<rel>(?:\w+\s+)?(?:include|includes|are))\s*:?\s*(?P<list>{LIST}){AND_MORE}\s*[.;]?$", re.I), "y-include-list", 0.75),
]


HEARST += [
    (re.compile(rf"{S('y')}{HEAD}\s*\((?P<list>{ITEM}(?:\s*,\s*(?:(?:and|or)\s+)?{ITEM})+)\)"), "parenthetical-examples", 0.7),
    (re.compile(rf"{S('y')}{HEAD}\s+(?P<rel>(?:called|named|known\s+as|dubbed))\s+(?:(?:a|an)\s+)?(?P<list>{ITEM})"), "named", 0.8),
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
            for i in names_in(m, hit["list"]):
                out += is_a(m.mention(i), y, rel if cues.NEGATION.search(rel) else "", "", rule, conf)
    return out


DEFINE_VERB = (r"(?:is|are|can\s+be|may\s+be)\s+(?:\w+ly\s+)?(?:defined|described|understood)\s+as|refers?\s+to|"
               r"describes?|means|denotes?|(?:is|are)\s+(?:\w+ly\s+)?designed\s+(?:to|for)|(?P<cop>is|are)")
DEFINITION = re.compile(rf"(?:(?:today|now|nowadays|currently|generally|usually|typically),?\s+)?(?:(?:a|an|the)\s+)?"
                        rf"(?:(?:term|phrase|word|expression|name)\s+)?{S('x')}{HEAD}{PAREN}{APPOS}(?P<aside>{ASIDE})\s+"
                        rf"(?P<adv>(?:often|usually|typically|generally|commonly|simply|broadly|sometimes)\s+)?"
                        rf"(?P<verb>{DEFINE_VERB})\s+(?P<body>.{{12,}}?)\s*[.;!]?$", re.I | re.S)
# Sentences that compare or add rather than define: "X, in contrast, is a much broader category",
# "X is also a …", "X is a subset of Y" (a subclass statement, not what X is).
NOT_DEFINING = re.compile(r"\b(?:in\s+contrast|by\s+contrast|on\s+the\s+other\s+hand|also|broader|narrower|wider|"
                          r"subset|superset|part|examples?|one\s+of)\b", re.I)
# A definition ends at its clause: before ", but …", "; …", " — meaning …", ", while …".
CLAUSE_END = re.compile(r"\s*(?:,\s*(?:but|while|whereas|although|though|meaning|which\s+means|so)\b|;|\s[—–]\s|:\s)")
# "Xs are transformer-based models trained on …": a bare plural genus with what makes it one.
PLURAL_GENUS = re.compile(r"(?:[\w-]+\s+){0,3}[a-z][\w-]*s\s+(?:that|which|who|trained|designed|built|created|used|capable|"
                          r"able|specialized|specialised|specifically|optimized|developed|made|following|based)\b")
# "… describes models like A and B" names examples; "… are a kind of Y." only classifies: neither defines
BY_EXAMPLES = re.compile(r"(?:[\w-]+\s+){0,3}?(?:like|such\s+as|including|e\.g\.)\s", re.I)
GENUS_ONLY = re.compile(r"(?:(?:a|an|the|one)\s+)?(?:[\w-]+\s+){0,3}?(?:(?:kind|type|form|class|sort)\s+of\s+)?(?:[\w-]+\s+){0,2}?⟦\d+⟧"
                        r"(?:\s+(?:models?|systems?))?\s*[.;]?", re.I)
# "This means they are …": a consequence (a clause with its own subject), not a definition
CLAUSE = re.compile(r"(?:that\s+)?(?:they|it|we|you|he|she|there|this|these|those|our|their|its)\b", re.I)
EXPLICIT = re.compile(r"defined|described|understood|refers?|means|denotes?", re.I)
# The genus of an explicit definition: "X refers to (decoder-style) Ys …"
GENUS = re.compile(rf"(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,2}}?{S('y')}")
PASSIVE = re.compile(r"(?:\w+ly\s+)?\w+(?:ed|en|wn|lt)\s+(?:by|on|upon|with|for|in|to|from|into|at)\b", re.I)
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
        passive = copular_only and PASSIVE.match(body)  # "X are powered by …": a predication, not a definition
        genus = re.match(r"(?:a|an|the|one|any)\b|(?:[\w-]+\s+){0,2}⟦", body, re.I) or PLURAL_GENUS.match(body)
        comparing = NOT_DEFINING.search(hit["aside"] or "") or NOT_DEFINING.search(" ".join(body.split()[:4])) \
            or BY_EXAMPLES.match(body) or GENUS_ONLY.fullmatch(body) or CLAUSE.match(body)
        if not passive and not comparing and not (copular_only and not genus):
            if not cues.NEGATION.match(body) and not cues.NEGATION.search(hit["verb"]) and not ABOUT_THE_WORD.match(body):
                st, q = cues.stance((hit["adv"] or "") + hit["verb"], "")
                cut = CLAUSE_END.search(body)
                end = hit.start("body") + cut.start() if cut and cut.start() >= 12 else hit.end("body")
                text = article[slice(*m.span(hit.start("body"), end))]
                article_led = re.match(r"(?:a|an)\s", m.text[LEAD_IN.match(m.text).end():], re.I)
                conf = 0.85 if not copular_only and EXPLICIT.match(hit["verb"]) else 0.7 if article_led else 0.65
                x = m.mention(hit["x"])
                out.append(Found(x, "skos:definition", text, st, q, "definition", conf))
                kind = GENUS.match(body) if not copular_only and EXPLICIT.match(hit["verb"]) else None
                if kind:  # "X refers to Ys that …": X is a kind of Y
                    out += is_a(x, m.mention(kind["y"]), (hit["adv"] or "") + hit["verb"], "", "definition-genus", 0.7)
    gloss = GLOSS.match(m.text)
    if gloss and segment_kind in ("item", "cell", "sentence") and m.mention(gloss["x"]).kind == "concept":
        text = article[slice(*m.span(gloss.start("body"), gloss.end("body")))]
        out.append(Found(m.mention(gloss["x"]), "skos:definition", text, "asserts", "", "glossary-entry", 0.6))
    return out
