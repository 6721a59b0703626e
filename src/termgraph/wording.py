"""Plain-English words for the graph's relations and stances: the ONE table that the pages, the viewer
and the disagreements' titles (graph/titles.py) use, so that no visible text speaks RDF ("subclass
of", "instance of", bare IRIs).

A relation's entry gives: how to say it ("is a kind of"), how to deny it ("is not a kind of"),
the question a reader asks ("Is {s} a kind of {bare_o}?"), and the group it is shown in on a term
page: `relation` (an answer block at the top), `examples`, `characteristics`, `training`,
`architecture`, `uses`, `names`, `definitions`, `made by`.
"""

from __future__ import annotations

from dataclasses import dataclass

from termgraph import namespaces as ns


@dataclass(frozen=True)
class Relation:
    says: str  # "is a kind of"
    denies: str  # "is not a kind of"
    question: str  # "Is {s} a kind of {bare_o}?"
    group: str


def _r(says: str, denies: str, question: str, group: str) -> Relation:
    return Relation(says, denies, question, group)


RELATIONS: dict[str, Relation] = {
    ns.RDFS + "subClassOf": _r("is a kind of", "is not a kind of", "Is {s} a kind of {bare_o}?", "relation"),
    ns.RDF + "type": _r("is an example of", "is not an example of", "Is {s} an example of {o}?", "examples"),
    ns.TG + "distinctFrom": _r("is a different concept from", "is not a different concept from",
                               "Is {s} a different concept from {o}?", "relation"),
    ns.TG + "disjointWith": _r("has nothing in common with (nothing is both)", "shares members with",
                               "Is nothing both {s} and {o}?", "relation"),
    ns.TG + "overlapsWith": _r("overlaps with", "does not overlap with", "Does {s} overlap with {o}?", "relation"),
    ns.TG + "synonymousWith": _r("means the same as", "does not mean the same as",
                                 "Does {s} mean the same as {o}?", "relation"),
    ns.TG + "usedInterchangeablyWith": _r("is used interchangeably with", "is not used interchangeably with",
                                          "Is {s} used interchangeably with {o}?", "relation"),
    ns.TG + "poweredBy": _r("is powered by", "is not powered by", "Is {s} powered by {o}?", "relation"),
    ns.SCHEMA + "isBasedOn": _r("is built on", "is not built on", "Is {s} built on {o}?", "architecture"),
    ns.TG + "architecture": _r("has the architecture", "does not have the architecture",
                               "Does {s} have the {bare_o} architecture?", "architecture"),
    ns.TG + "trainingObjective": _r("is trained by", "is not trained by", "Is {s} trained by {o}?", "training"),
    ns.TG + "trainingData": _r("is trained on", "is not trained on", "Is {s} trained on {o}?", "training"),
    ns.TG + "popularizedBy": _r("was made popular by", "was not made popular by",
                                "Was {s} made popular by {o}?", "made by"),
    ns.SCHEMA + "creator": _r("is made by", "is not made by", "Is {s} made by {o}?", "made by"),
    ns.TG + "hasCharacteristic": _r("is", "is not", "Is {s} {o}?", "characteristics"),
    ns.TG + "strength": _r("has the strength", "does not have the strength",
                           "Is {o} a strength of {s}?", "characteristics"),
    ns.TG + "weakness": _r("has the weakness", "does not have the weakness",
                           "Is {o} a weakness of {s}?", "characteristics"),
    ns.TG + "statistic": _r("has the figure", "does not have the figure", "Does {s} have the figure {o}?",
                            "characteristics"),
    ns.TG + "application": _r("is used for", "is not used for", "Is {s} used for {o}?", "uses"),
    ns.SKOS + "altLabel": _r("is also called", "is not called", "Is {s} also called {o}?", "names"),
    ns.SKOS + "definition": _r("is defined as", "is not defined as", "Is {s} defined as {o}?", "definitions"),
    ns.TG + "additionalDefinition": _r("is also described as", "is not described as",
                                       "Is {s} described as {o}?", "definitions"),
}

GROUP_TITLES = {
    "characteristics": "Characteristics, strengths and weaknesses",
    "training": "Training",
    "architecture": "Architecture",
    "uses": "Uses",
    "made by": "Who made it",
    "names": "Other names",
}


def relation(predicate: str) -> Relation:
    """The entry for a predicate; an unknown one is named from its local name, never its IRI."""
    known = RELATIONS.get(predicate)
    if known:
        return known
    name = local_words(predicate)
    return _r(name, f"not {name}", "Does {s} stand in the relation '" + name + "' to {o}?", "other")


def local_words(iri: str) -> str:
    """'https://…#trainingObjective' -> 'training objective'."""
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    words, word = [], ""
    for ch in local:
        if ch.isupper() and word:
            words.append(word)
            word = ""
        word += ch.lower()
    return " ".join(words + [word]) if word else local


def says(predicate: str, stance: str) -> str:
    """The relation as a source puts it: 'is a kind of' / 'is not a kind of'."""
    r = relation(predicate)
    return r.denies if stance_name(stance) == "denies" else r.says


def stance_name(stance: str) -> str:
    """tg:Asserts (IRI or local name) -> 'asserts'; tg:OnlyWhen -> 'only-when' (the claims tables' word)."""
    local = stance.rsplit("#", 1)[-1]
    return "".join("-" + ch.lower() if ch.isupper() and i else ch.lower() for i, ch in enumerate(local))


# A source's answer to "is it so?", and how firmly it gives it.
ANSWERS = {
    ("asserts", None): ("Yes", "firmly"),
    ("denies", None): ("No", "firmly"),
    ("qualifies", "hedged"): ("Probably", "hedged"),
    ("qualifies", "conditional"): ("When …", "under a condition"),
    ("qualifies", "only-when"): ("Only when …", "only under a condition"),
    ("qualifies", "partial"): ("Partly", "in part"),
    ("qualifies", None): ("With reservations", "qualified"),
    ("implied", None): ("Implied", "follows from its other statements"),
}


def answer(stance: str, qualification: str | None = None) -> tuple[str, str]:
    key = (stance_name(stance), stance_name(qualification) if qualification else None)
    return ANSWERS.get(key) or ANSWERS[(key[0], None)]


def article(label: str) -> str:
    """'a large language model', 'generative AI' (an uncountable field keeps no article)."""
    if not label or label[0].isupper() or label.endswith(("AI", "learning", "intelligence")):
        return label
    return ("an " if label[0].lower() in "aeiou" else "a ") + label


def question(predicate: str, subject: str, obj: str) -> str:
    text = relation(predicate).question.format(s=article(subject), o=article(obj), bare_o=obj)
    return text[0].upper() + text[1:]


# What a page says under a quote shown otherwise than verbatim (web/readable.py).
REPAIRED = {
    "repaired": "Characters the source's text holds mis-decoded are shown repaired; the data keeps the quote verbatim.",
    "elided": "Characters the source's text holds mis-decoded beyond repair are shown as …; the data keeps the "
              "quote verbatim.",
}
