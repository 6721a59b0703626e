"""`termgraph draft NNN`: propose claims for a registered source, for a curator to review.

Writes data/claims/NNN.draft.csv (the claims table's columns + rule, confidence, accept, found_at)
and data/claims/NNN.entities.draft.csv (concepts, systems and organisations the graph does not know
yet). What it reads is described in docs/drafting.md.
Every quote is checked verbatim (and made unique with prefix/suffix) before it is written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path

from termgraph.graph.quotes import Quote, problem
from termgraph.curate import anaphora, structure
from termgraph.graph import claims_table as table
from termgraph.curate.asides import aside_rules
from termgraph.curate.caption import caption_rows
from termgraph.curate.trees import tree_rules
from termgraph.curate.gazetteer import Gazetteer, Mention, longest
from termgraph.curate.masking import Masked, mask
from termgraph.curate.patterns import HEAD, LIST, PAREN, Found, S, is_a
from termgraph.curate.names import again, expansions
from termgraph.curate.relations import synonymy_rules
from termgraph.curate.rules import segment_rules
from termgraph.curate.project import Project, curie, load_project
from termgraph.curate.segment import Segment, segment
from termgraph.curate.sources import slug, source_text
from termgraph.curate.tables import table_rules
from termgraph.errors import TermgraphError

INTRO = [re.compile(rf"(?:examples|instances|types|kinds)\s+of\s+(?:[\w-]+\s+){{0,2}}?{S('y')}{HEAD}(?:\s+(?:include|includes|are))?\s*:$", re.I),
         # "The foundation models in generative AI include:": the list's kind is the subject's head
         re.compile(rf"^(?:(?:the|some|many|several|other)\s+)?(?:[\w-]+\s+){{0,2}}?{S('y')}{HEAD}"
                    rf"(?:\s+(?:in|of|for|from|by|used\s+in)\s+[^:]*?)?\s+(?:include|includes)\s*:$", re.I)]
ITEM_HEAD = re.compile(rf"^(?P<list>{LIST}){PAREN}\s*(?::|—|–|\s-\s|$)")
# "Foundation models that are not LLMs:": the items are Ys, and (not) Zs
# A heading that is only a (praised) category, over a list of names: "Well-known multimodal models"
INTRO_KIND = re.compile(rf"^[\s#*]*(?:(?:well-known|popular|notable|top|common|famous|leading|major|key|some|other|"
                        rf"\d+)\s+)*{S('y')}{HEAD}\s*:?[\s*]*$", re.I)
INTRO_THAT = re.compile(rf"^(?:(?:the|some|many|several|other)\s+)?{S('y')}{HEAD}\s+(?:that|which)\s+(?P<rel>(?:are|is)\s+(?:not\s+)?)"
                        rf"(?:(?:a|an)\s+)?(?:[\w-]+\s+){{0,2}}?{S('z')}{HEAD}\s*:$", re.I)


LABEL_LINE = re.compile(r"[^\W\d][\w -]{0,30}:\s")  # "Examples: A, B, C": what follows the label is a list


@dataclass(frozen=True)
class Drafted:
    found: Found
    start: int  # the quote's span in the article
    end: int
    note: str = ""  # for the reviewer: the heading or sentence a line's claim depends on
    section: int = 0  # how many headings stand before it (set by find_all)


def list_context(text: str, segments: list[Segment], mentions: list[Mention]) -> list[Drafted]:
    """"Examples of Y include:" followed by items or lines that each start with a name."""
    out = []
    firsts = {}
    for seg in segments:
        firsts.setdefault(seg.block, seg)
    blocks = sorted(firsts)
    for seg in segments:
        intro = mask(text, seg.start, seg.end, mentions)
        hit = next((h for r in INTRO + [INTRO_THAT] if (h := r.search(intro.text))), None) or (
            INTRO_KIND.match(intro.text) if seg.kind == "heading" and is_plural(text, intro) else None)
        if not hit or intro.mention(hit["y"]).kind != "concept":
            continue
        kinds = [(intro.mention(hit["y"]), "")]
        if "z" in hit.re.groupindex and intro.mention(hit["z"]).kind == "concept":
            kinds.append((intro.mention(hit["z"]), hit["rel"]))
        bullets = False
        for block in [b for b in blocks if b > seg.block][:30]:
            item = firsts[block]
            m = mask(text, item.start, item.end, mentions, listed=item.kind == "item")
            head = ITEM_HEAD.match(m.text)
            if bullets and item.kind == "sentence" and not head:
                continue  # a paragraph describing the bullet above it
            if not head or item.kind in ("heading", "node"):
                break  # (a tree's nodes are read by trees.py)
            bullets = item.kind == "item"
            for x in structure.listed(m, head["list"]):
                for y, rel in kinds:
                    for f in is_a(x, y, rel, "", "list-under-intro", 0.7):
                        out.append(Drafted(f, item.start, item.end, note=f"under: {text[seg.start:seg.end]}"))
    return out


def is_plural(text: str, intro: Masked) -> bool:
    """A heading naming a category in the plural ("… models"): a list of its members follows."""
    last = next((m for m in reversed(intro.mentions) if m.kind == "concept"), None)
    return bool(last) and text[last.start:last.end].endswith("s")


def learned_labels(project: Project, text: str, segments: list[Segment]) -> dict:
    """The entities with the abbreviations and other names the article itself introduces
    ("large language models (LLMs)", "generative AI, or gen AI,") added, for the rest of it; and a
    category named "<kind> AI" also as "<kind> models" / "<kind> systems" (generative models)."""
    mentions = Gazetteer(project.entities).find(text)
    entities = {iri: replace(e, labels=list(e.labels)) for iri, e in project.entities.items()}
    for seg in segments:
        for f in synonymy_rules(mask(text, seg.start, seg.end, mentions), text):
            if f.subject.iri not in entities:
                continue  # a category the article names that the graph does not know yet
            labels = entities[f.subject.iri].labels
            if f.predicate == "skos:altLabel" and f.obj not in labels:
                labels.append(f.obj)
    for entity in entities.values():  # "generative AI" is also said "generative models"
        for label in list(entity.labels):
            kind = re.fullmatch(r"([a-z][\w-]*) AI", label)
            if entity.kind == "concept" and kind:
                entity.labels += [f"{kind[1]} {head}" for head in ("model", "system") if f"{kind[1]} {head}" not in entity.labels]
    return entities


LISTED = ("include", "such-as")  # rules that read a list of examples ("Y include X", "Y such as X")


def nested_examples(found: list[Found]) -> list[Found]:
    """"Examples of Y include Xs (such as A and B)": A and B are examples of Y too. Within one
    sentence, an example of a class that the sentence lists as a kind of Y is an example of Y."""
    listed = lambda f: any(r in f.rule for r in LISTED) and not isinstance(f.obj, str)  # noqa: E731
    wider: dict[str, list] = {}  # a listed kind X -> the Ys (mentions) it is asserted to be a kind of
    for f in found:
        if f.predicate == "rdfs:subClassOf" and f.stance == "asserts" and listed(f):
            wider.setdefault(f.subject.iri, []).append(f.obj)
    have = {(f.subject.iri, f.predicate, getattr(f.obj, "iri", f.obj)) for f in found}
    extra = []
    for f in (f for f in found if f.predicate == "rdf:type" and listed(f)):
        for y in wider.get(f.obj.iri, []):
            if (f.subject.iri, "rdf:type", y.iri) not in have:
                have.add((f.subject.iri, "rdf:type", y.iri))
                extra.append(replace(f, obj=y, rule=f.rule + "+nested", confidence=round(f.confidence * 0.8, 2)))
    return found + extra


def find_all(project: Project, text: str) -> list[Drafted]:
    segments = segment(text)
    mentions = Gazetteer(learned_labels(project, text, segments)).find(text)
    named = sorted({n for seg in segments for n in mask(text, seg.start, seg.end, mentions, listed=seg.kind == "item",
                                                         heading=seg.kind == "heading").mentions},
                   key=lambda n: n.start)  # with the new names and categories each segment proposes
    mentions = longest(mentions + again(text, named, mentions))
    named = longest(named + again(text, named, named))
    pronouns = anaphora.resolve(text, segments, named)
    topics = structure.topics(text, segments, named, pronouns)
    defining = structure.defining_firsts(text, segments)
    out = []
    for i, seg in enumerate(segments):
        m: Masked = mask(text, seg.start, seg.end, sorted(mentions + pronouns.get(i, []), key=lambda x: x.start),
                         listed=seg.kind in ("item", "cell") or bool(LABEL_LINE.match(text, seg.start, seg.end)),
                         heading=seg.kind == "heading")
        for f in nested_examples(segment_rules(m, text, seg.kind)):
            if any(p in (f.subject, f.obj) for p in pronouns.get(i, [])):
                f = replace(f, rule=f.rule + "+pronoun", confidence=round(f.confidence * 0.7, 2))
            out.append(Drafted(f, seg.start, seg.end))
        topic, where = topics[i]
        by_structure = structure.structure_rules(m, seg, topic, i in defining, text)
        for f in by_structure + aside_rules(m, by_structure):
            out.append(Drafted(f, seg.start, seg.end, note=f"about {topic.label or text[topic.start:topic.end]}: {where}"))
    out += [Drafted(f, start, end) for f, start, end in table_rules(text, segments, mentions)]
    out += list_context(text, segments, mentions)
    out += [Drafted(f, start, end, note=note) for f, start, end, note in tree_rules(text, segments, mentions)]
    systems = [e for e in project.entities.values() if e.kind == "system"]
    out += [Drafted(f, start, end, note=f"under: {caption}") for f, start, end, caption in
            caption_rows(text, segments, mentions, systems)]
    headings = [seg.start for seg in segments if seg.kind == "heading"]
    full = expansions(text)
    return [replace(expanded(d, full), section=bisect_right(headings, d.start)) for d in out]


class Unanchorable(TermgraphError):
    """A passage repeated word for word, with the same 64 characters around it, elsewhere in the text."""


def anchor(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest prefix/suffix (whole characters, up to 64) that make text[start:end] unique."""
    exact = text[start:end]
    if text.count(exact) == 1:
        return "", ""
    for width in range(8, 65, 8):
        prefix, suffix = text[max(0, start - width):start], text[end:end + width]
        if text.count(prefix + exact) == 1:
            return prefix, ""
        if text.count(prefix + exact + suffix) == 1:
            return prefix, suffix
    raise Unanchorable(f"a quote at character {start} recurs even with 64 characters of context: {exact[:60]!r}")


def node(m: Mention, role: str) -> str:
    """The CURIE of a mention; a new name gets a proposed IRI by the role it plays."""
    return curie(m.iri) if m.kind != "new" else f"{role}:{slug(m.label)}"


def to_row(d: Drafted, text: str, source_file: str) -> dict[str, str]:
    f = d.found
    obj = node(f.obj, "org" if f.predicate == "schema:creator" else "system") if isinstance(f.obj, Mention) else f.obj
    prefix, suffix = anchor(text, d.start, d.end)
    row = {"subject": node(f.subject, "system"), "predicate": f.predicate,
           "object": obj, "lang": "", "stance": f.stance, "qualification": f.qualification,
           "quote": text[d.start:d.end], "prefix": prefix, "suffix": suffix, "note": d.note,
           "rule": f.rule, "confidence": f"{f.confidence:.2f}", "accept": "", "found_at": f"{d.start}-{d.end}"}
    found = problem(Quote("draft", source_file, row["quote"], prefix, suffix), text)
    if found:
        raise TermgraphError(f"drafting produced a quote that is not verbatim (a bug): {found}")
    return row


DEFINITIONS = ("skos:definition", "tg:additionalDefinition")


def best_definitions(drafted: list[Drafted]) -> list[Drafted]:
    """One definition per term and section, as a curator records it: the most explicit ("X refers
    to", "X is defined as", then "A X is a …", then "Xs are …", then glossary lines), the first of
    equals. (A term defined again under another heading keeps that definition too.)"""
    best: dict[tuple, Drafted] = {}
    for d in sorted(drafted, key=lambda d: (-d.found.confidence, d.start)):
        if d.found.predicate in DEFINITIONS:
            best.setdefault((d.found.subject.iri, d.section), d)
    return [d for d in drafted if d.found.predicate not in DEFINITIONS or best[(d.found.subject.iri, d.section)] is d]


def rows_for(drafted: list[Drafted], text: str, source_file: str, number: str) -> list[dict[str, str]]:
    """One row per (claim, quote); one definition per term and section, the first of a term its
    skos:definition, the others tg:additionalDefinition; rows in the order of the text."""
    drafted = best_definitions(drafted)
    rows, seen, defined = [], set(), set()
    for d in sorted(drafted, key=lambda d: (d.start, -d.found.confidence)):
        try:
            row = to_row(d, text, source_file)
        except Unanchorable:
            continue  # a duplicated passage cannot be quoted unambiguously: its other copy may be
        key = (row["subject"], row["predicate"], row["object"], row["stance"], row["quote"], row["prefix"])
        if key in seen:
            continue
        seen.add(key)
        if row["predicate"] == "skos:definition":
            if row["subject"] in defined:
                row["predicate"] = "tg:additionalDefinition"
            defined.add(row["subject"])
        rows.append(row)
    for i, row in enumerate(rows, start=1):
        row["id"] = f"{number}-d{i:03d}"
    return rows


def entity_rows(drafted: list[Drafted], text: str) -> list[dict[str, str]]:
    """New concepts, systems and organisations the rows name, one line each, with the first evidence."""
    out: dict[str, dict[str, str]] = {}
    for d in sorted(drafted, key=lambda d: d.start):
        f = d.found
        roles = [(f.subject, "system")]
        if isinstance(f.obj, Mention):
            roles.append((f.obj, "org" if f.predicate == "schema:creator" else "system"))
        for m, role in roles:
            if m.new:
                role = "concept"
            if m.kind == "new" or m.new:
                key = node(m, role)
                row = out.setdefault(key, {"id": key, "kind": role, "label": m.label,
                                           "evidence": text[d.start:d.end], "rule": f.rule, "accept": ""})
                if m.new and len(m.label) > len(row["label"]):
                    row["label"] = m.label  # "small language model", not its acronym "SLM"
    return list(out.values())


def draft_paths(root: Path, number: str) -> tuple[Path, Path]:
    folder = root / "data" / "claims"
    return folder / f"{number}.draft.csv", folder / f"{number}.entities.draft.csv"


def reviewed(path: Path, columns: list[str]) -> int:
    """How many rows of an existing draft a curator has marked or written."""
    if not path.is_file():
        return 0
    return sum(1 for r in table.read_rows(path, columns) if r["accept"].strip() or r.get("rule") == "curator")


def already_claimed(root: Path, number: str) -> set[tuple]:
    path = root / "data" / "claims" / f"{number}.csv"
    rows = table.read_rows(path, table.COLUMNS) if path.is_file() else []
    return {(r["subject"], r["predicate"], r["object"], r["quote"]) for r in rows}


def run_draft(root: Path, number: str, project: Project | None = None,
              seeds: Path | None = None) -> tuple[Path, Path, int, int]:
    """Draft source `number`; returns the two files written and their row counts. A draft that a
    curator has started reviewing is never overwritten; claims already in NNN.csv are not drafted again.
    `seeds`: the folder of the seed sources' texts (TERMGRAPH_SEEDS), when not ../shared/seeds."""
    info, text = source_text(root, number, seeds)
    claims_csv, entities_csv = draft_paths(root, number)
    done = reviewed(claims_csv, table.DRAFT_COLUMNS) + reviewed(entities_csv, table.ENTITY_COLUMNS)
    if done:
        raise TermgraphError(f"{claims_csv.name}: {done} row(s) already reviewed; run termgraph draft {number} "
                             "--accept first, or delete the draft files to draft again")
    project = project or load_project(root)
    drafted = find_all(project, text)
    claimed = already_claimed(root, number)
    rows = [r for r in rows_for(drafted, text, info.identifier, number)
            if (r["subject"], r["predicate"], r["object"], r["quote"]) not in claimed]
    entities = entity_rows(drafted, text)
    claims_csv.parent.mkdir(parents=True, exist_ok=True)
    table.write_rows(claims_csv, rows, table.DRAFT_COLUMNS)
    table.write_rows(entities_csv, entities, table.ENTITY_COLUMNS)
    return claims_csv, entities_csv, len(rows), len(entities)


def expanded(d: Drafted, full: dict[str, str]) -> Drafted:
    """A row naming a new system by an abbreviation the article spells out names it in full."""
    f = d.found
    fix = lambda m: replace(m, label=full[m.label]) if isinstance(m, Mention) and m.kind == "new" and m.label in full else m  # noqa: E731
    return replace(d, found=replace(f, subject=fix(f.subject), obj=fix(f.obj)))
