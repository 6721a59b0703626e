"""Generate a graph in termgraph's vocabulary, about 100x the size of termgraph's own, for the
benchmark: sources, concepts, AI systems, organisations and claims (with stances, quotes and
named graphs per source), deterministic for a given seed.

    python bench/generate.py --scale 100 --out bench/data/large.trig
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

B = "https://w3id.org/termgraph/"
GRAPHS = "http://example.org/bench/graph/"
TG = B + "ontology#"
PREFIXES = """@prefix tg: <https://w3id.org/termgraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
CORE = ["generative-ai", "large-language-model", "foundation-model"]
WORDS = ["language", "vision", "audio", "code", "model", "agent", "diffusion", "transformer", "retrieval",
         "multimodal", "reasoning", "embedding", "speech", "image", "video", "policy", "robot", "chat"]
STANCES = ["Asserts"] * 7 + ["Denies"] * 2 + ["Qualifies"]
RELATIONS = ["rdfs:subClassOf", "tg:overlapsWith", "tg:distinctFrom", "tg:synonymousWith", "tg:poweredBy"]


def concept_lines(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        label = f"{rng.choice(WORDS)} {rng.choice(WORDS)} system {i}"
        parent = rng.choice(CORE) if i < 50 else f"bench-concept-{rng.randrange(i)}"
        out.append(f'<{B}concept/bench-concept-{i}> a tg:Concept , owl:Class ; skos:prefLabel "{label}"@en ; '
                   f'rdfs:label "{label}"@en ; skos:definition "A generated concept number {i}."@en ; '
                   f'skos:inScheme <{B}concepts> ; rdfs:comment "generated; parent {parent}" .')
    return out


def system_lines(rng: random.Random, n: int, concepts: int) -> list[str]:
    return [f'<{B}system/bench-system-{i}> a tg:AISystem ; rdfs:label "Bench System {i}"@en ; '
            f'schema:name "Bench System {i}" .' for i in range(n)]


def claim_block(rng, source: int, k: int, concepts: int, systems: int) -> str:
    cid = f"{B}claim/b{source:04d}-{k:03d}"
    src = f"{B}source/b{source:04d}"
    kind = rng.random()
    if kind < 0.35:  # relation between concepts
        s = f"<{B}concept/{rng.choice(CORE) if rng.random() < 0.3 else f'bench-concept-{rng.randrange(concepts)}'}>"
        p = rng.choice(RELATIONS)
        o = f"<{B}concept/{rng.choice(CORE) if rng.random() < 0.5 else f'bench-concept-{rng.randrange(concepts)}'}>"
    elif kind < 0.75:  # a system in a category
        s = f"<{B}system/bench-system-{rng.randrange(systems)}>"
        p = "rdf:type"
        o = f"<{B}concept/{rng.choice(CORE) if rng.random() < 0.4 else f'bench-concept-{rng.randrange(concepts)}'}>"
    else:  # a characteristic
        s = f"<{B}concept/{rng.choice(CORE)}>"
        p = "tg:hasCharacteristic"
        o = f'"{rng.choice(WORDS)} {rng.choice(WORDS)} ability {k}"@en'
    stance = rng.choice(STANCES)
    qual = " tg:qualification tg:Hedged ;" if stance == "Qualifies" else ""
    quote = f"Source {source} says, in passage {k}, that {rng.choice(WORDS)} matters."
    return (f"<{cid}> a tg:Claim ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; "
            f"tg:stance tg:{stance} ;{qual} prov:wasDerivedFrom <{src}> ; "
            f"tg:evidence [ a oa:SpecificResource ; oa:hasSource <{src}> ; "
            f'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] ] .')


def generate(scale: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    sources, per_source = 5 * scale, 110
    concepts, systems = 3 * scale, 30 * scale
    # (graph names of its own: a user's file may not name termgraph's graphs, graph/load.py)
    parts = [PREFIXES, f"<{GRAPHS}bench-curated> {{"]
    parts += concept_lines(rng, concepts) + system_lines(rng, systems, concepts)
    parts += [f'<{B}source/b{i:04d}> a tg:Source ; rdfs:label "Bench source {i}"@en ; '
              f'dcterms:identifier "b{i:04d}.txt" .' for i in range(sources)]
    parts.append("}")
    for i in range(sources):
        parts.append(f"<{GRAPHS}claims/b{i:04d}> {{")
        parts += [claim_block(rng, i, k, concepts, systems) for k in range(per_source)]
        parts.append("}")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/data/large.trig"))
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.scale, args.seed))
    print(args.out)


if __name__ == "__main__":
    main()
