"""The disagreement rules join each claim with a few witnesses of each position rather than with
every other claim (see queries/disagreements/README.md). Here they must find exactly what the
rules that pair every two claims found (kept as they were in tests/fixtures/pairwise-rules/), on
random sets of claims: several sources, several claims per source and position, every stance and
qualification, symmetric and directed relations, either way round."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from termgraph.graph import disagreements
from tests.test_disagreements import RULES, claim, store_with

PAIRWISE_DIR = Path(__file__).parent / "fixtures" / "pairwise-rules"
PAIRWISE = {r.name: r for r in disagreements.read_rules(PAIRWISE_DIR)}
TERMS = ["concept:large-language-model", "concept:generative-ai"]
SYSTEMS = ["system:bert", "system:gpt-4"]
RELATIONS = ["rdfs:subClassOf", "tg:distinctFrom", "tg:disjointWith", "tg:overlapsWith", "tg:synonymousWith",
             "tg:poweredBy", "tg:popularizedBy"]
STANCES = [("Asserts", None), ("Denies", None), ("Qualifies", "Hedged"), ("Qualifies", "Partial"),
           ("Qualifies", "Conditional"), ("Qualifies", "OnlyWhen")]


def random_claims(seed: int, n: int = 60) -> list[str]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        source = rng.randrange(5)
        if rng.random() < 0.25:
            s, p, o = rng.choice(SYSTEMS), "rdf:type", rng.choice(TERMS)
        else:
            s, p, o = rng.choice(TERMS), rng.choice(RELATIONS), rng.choice(TERMS)
        out.append(claim(f"{source:03d}-{k:03d}", s, p, o, *rng.choice(STANCES)))
    return out


def groups(store, rule) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.kind, f.group, f.claims) for f in disagreements.run_rule(store, rule)]


@pytest.mark.parametrize("seed", range(12))
def test_the_rules_find_what_pairing_every_claim_finds(seed):
    store = store_with(*random_claims(seed))
    found_any = 0
    for name, pairwise in PAIRWISE.items():
        expected = groups(store, pairwise)
        assert groups(store, RULES[name]) == expected, name
        found_any += len(expected)
    assert found_any  # the random claims do disagree
