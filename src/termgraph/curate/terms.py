"""New terms an article names that the graph does not know yet, typed by their wording.

Two kinds of proposal, both only for the curator to accept or reject in the entities sheet:
- a category (a concept): a noun phrase whose head says it is a class of things, "diffusion
  models", "vision-language models", "Variational Autoencoders", "conversational AI": lower-case
  modifiers before a category head, or a capitalised name ending in one;
- a system: any other capitalised product name (RoBERTa, Stable Diffusion, Claude 2), including a
  known name with a version after it ("DALL·E 2" beside the known DALL·E) and an organisation's
  name followed by a product's ("Microsoft Copilot").

A category's proposed IRI is concept:<singular label>; its label is lower case and singular, as
the graph's own concepts are labelled.
"""

from __future__ import annotations

import re

from termgraph import namespaces as ns
from termgraph.curate.gazetteer import Mention

HEADS = r"(?:models?|networks?|autoencoders?|AI)"
HEAD_WORD = re.compile(r"(?i:models?|networks?|autoencoders?)$")  # "Stability AI" is a company
# Modifiers that say which or how many, or praise, rather than what kind: "many models", "more
# powerful models", "open models" are not categories.
NOT_KINDS = frozenset("""a an the this that these those some many most all any each every other others such
different various several few more less new newer modern popular notable well-known known powerful best top
main key large larger largest small smaller sized specific underlying existing current today pretrained
pre-trained trained open closed advanced complex simple good better first second earlier earliest recent
latest own their its our your his her and or of for in on with by from to as at like including also even
just only both same similar two three multiple individual entire whole single custom frontier proprietary
commercial public private big huge massive giant sophisticated capable strong standard typical traditional
conventional classic classical early older old future next these those which what whose how why when where
there here be is are was were using used use uses make makes making train training smaller tiny leading
favorite favourite certain particular given base""".split())
SIZES = frozenset({"large", "small"})  # a size that names a kind only before another modifier
NOT_KIND_SUFFIX = re.compile(r"-(?:based|style|like|only|specific|trained|driven|powered|sized|scale|level)$")
VERB_LIKE = re.compile(r"(?<!s)s$|ly$", re.I)  # a verb ("uses models") or an adverb before the head
PHRASE = re.compile(rf"(?<![\w⟦-])((?:[a-zA-Z][a-z0-9]*(?:-[a-z0-9]+)*\s+)(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*\s+){{0,2}})({HEADS})(?![\w-])")


def singular(words: str) -> str:
    """The label of a category: lower case (acronyms kept), last word singular."""
    parts = words.split()
    last = parts[-1]
    if re.fullmatch(r"[A-Za-z]+s", last) and not last.isupper() and not last.endswith("ss"):
        last = last[:-1]
    parts[-1] = last
    return " ".join(p if p.isupper() else p.lower() for p in parts)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category(start: int, end: int, words: str) -> Mention:
    label = singular(words)
    return Mention(start, end, ns.CONCEPT + slug(label), "concept", label, new=True)


ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:al|ive|ic|ous|ent|ant|ary|ble|ed)$")  # Multimodal, Generative, Symbolic


def is_category_name(name: str) -> bool:
    """A capitalised name whose last word is a category head ("Diffusion Models"), not a product
    ("Stable Diffusion"); "<adjective> AI" ("Multimodal AI") is a category, "<noun> AI" a company
    ("Stability AI"); a single word is a name whatever it ends in."""
    words = name.split()
    if len(words) > 1 and words[-1] == "AI":
        return all(ADJECTIVE.fullmatch(w) for w in words[:-1])
    return len(words) > 1 and bool(HEAD_WORD.search(words[-1])) and not any(
        re.search(r"\d|[A-Z].*[A-Z]", w) for w in words[:-1])


def phrases(article: str, start: int, end: int, taken: list[Mention]) -> list[Mention]:
    """Lower-case category phrases ("vision-language models") that overlap no known mention."""
    out = []
    for m in PHRASE.finditer(article, start, end):
        words = m.group(1).split()
        while words and (words[0].lower() in NOT_KINDS or NOT_KIND_SUFFIX.search(words[0])) and not (
                words[0].lower() in SIZES and len(words) > 1 and words[1].lower() not in NOT_KINDS):
            words.pop(0)  # "large" stays in "large vision models", not in "large models"
        if not words or any((w.lower() in NOT_KINDS and not (k == 0 and w.lower() in SIZES)) or NOT_KIND_SUFFIX.search(w)
                            or VERB_LIKE.search(w) for k, w in enumerate(words)):
            continue  # "leverages models", "readily trained models": not a kind
        if m.group(2) == "AI" and len(words) > 1:
            continue  # "deep learning AI": too loose a phrase to propose
        s = m.end() - len(" ".join(words + [m.group(2)]))
        if article[s:m.end()] != " ".join(words + [m.group(2)]):
            continue  # modifiers split by more than one space or a line break
        if article[s].isupper() and article[start:s].strip(" \t>*#-•:"):
            continue  # a capital only where a sentence or an item starts
        overlapping = [t for t in taken if t.start < m.end() and s < t.end]
        if overlapping and not (m.group(2) == "AI" and [(t.start, t.end, t.kind) for t in overlapping] == [
                (m.start(2), m.end(2), "concept")]):
            continue  # a known term inside; but "multimodal AI" is a kind of the known AI
        out.append(category(s, m.end(), article[s:m.end()]))
    return out


ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9]{1,9})\)")


def introduced(article: str, start: int, end: int, taken: list[Mention]) -> list[Mention]:
    """"Small language models (SLMs)": one or two words before a known category, with the
    whole phrase's acronym after it, name a narrower category the article introduces."""
    from termgraph.curate.acronyms import acronym_of

    out = []
    for known in taken:
        if known.kind != "concept" or not HEAD_WORD.search(known.label.split()[-1] + "s") or known.start <= start:
            continue
        acronym = ACRONYM_AFTER.match(article, known.end, end)
        before = re.search(r"(?:(?<![\w-])[A-Za-z][\w-]*[ \t]+){1,2}$", article[max(start, known.start - 40):known.start])
        if not acronym or not before:
            continue
        for words in (before.group().split()[-n:] for n in (2, 1)):
            s = known.start - len(" ".join(words)) - 1
            phrase = article[s:known.end]
            if s >= start and acronym_of(acronym["acr"], phrase) and not any(w.lower() in ("the", "a", "an") for w in words):
                out.append(category(s, known.end, phrase))
                break
    return out
