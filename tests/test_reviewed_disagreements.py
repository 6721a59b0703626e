"""Every disagreement the graph holds, derived or curated, was read by a person against both quotes.

REVIEWED lists each one: its IRI, its kind, and one line saying why a careful reader of the quotes
would sign it (for a hedging difference: why the two are only a difference in firmness). The test
fails when the graph's disagreements differ from the list, so a change to the claims or the rules
that adds, drops or re-kinds a disagreement is read by a person before it lands: read the new
disagreement's quotes, then add it here with its reason (or fix the claims or the rule).
"""

from __future__ import annotations

import pytest

from termgraph import namespaces as ns

D = ns.DISAGREEMENT
REVIEWED = {
    # -- real disagreements ------------------------------------------------------------------------
    D + "opposite-stances/4722da3e2de0665d": ("OppositeStances",
        "004 lists BERT among 'text-generation models'; 002 says BERT is 'NOT generative': yes against no."),
    D + "opposite-stances/e7da2f5d17571b76": ("OppositeStances",
        "001 and 004 say LLMs are (a subset of) generative AI without condition; CSET says generative AI includes "
        "LLMs 'when these are used for generative use cases, but not when used in other ways'."),
    D + "membership-excluded/78101c767c0b4abd": ("MembershipExcluded",
        "001 and 004 call BERT an LLM and take LLMs to be generative AI models, so BERT is generative AI by their "
        "account; 002 says BERT is 'NOT generative'."),
    D + "curated/001": ("DifferentValues",
        "CSET: 'foundation model' stakes out 'a broader function-based concept'; 002: it 'refers to the type of "
        "model architecture' and 'describes architectural approach': rival answers to what the term names."),
    D + "curated/002": ("DifferentValues",
        "004: LLMs are 'Limited to text; cannot generate non-text content'; 003: LLMs (both models) 'have shown "
        "impressive results in ... computer vision, and speech recognition'."),
    D + "curated/003": ("DifferentValues",
        "002 defines foundation models as trained 'using self-supervised learning'; 003 says their objective is "
        "'multi-task learning', a loss per task, and that the training objective is what sets them apart from LLMs."),
    # -- hedging differences: both can be true, one is firmer -----------------------------------------
    D + "hedging-difference/231e16eb42adfa66": ("HedgingDifference",
        "004 'particularly transformer architectures' against 003 'typically employ a transformer-based architecture'."),
    D + "hedging-difference/26724db4bb82fb69": ("HedgingDifference",
        "001 'good at ... conversation' against 003 'typically employed for ... conversation': both say LLMs are used for it."),
    D + "hedging-difference/a3539da2c26f5958": ("HedgingDifference",
        "004 'Generative AI models rely on foundation models' against 002 'Usually uses foundation models'."),
    D + "hedging-difference/b555e00d1f5d0439": ("HedgingDifference",
        "004 lists ChatGPT among LLMs; CSET finds 'some ambiguity' whether to call such products LLMs."),
    D + "hedging-difference/b5d7c2389f3480bb": ("HedgingDifference",
        "002 lists Llama as a foundation model; CSET's 'many of the same systems listed as LLMs above' leaves open which."),
    D + "hedging-difference/d0060c9fb8fcb2da": ("HedgingDifference",
        "002 lists GPT-4 as a foundation model; CSET's 'many of the same systems' leaves open which."),
    D + "hedging-difference/d21a06c007b75b58": ("HedgingDifference",
        "004 'The large language model is a common foundation model' against CSET's 'currently the clearest example' "
        "in a sentence about a rough, present-day usage."),
    D + "hedging-difference/e7da2f5d17571b76": ("HedgingDifference",
        "001 and 004 say LLMs are generative AI; CSET names them among 'typical examples of generative AI systems' and "
        "elsewhere says only some uses are: usually against always, not opposition."),
    D + "hedging-difference/ef8f8c29590c1fef": ("HedgingDifference",
        "001 'text classification' among LLM applications against 003 'typically employed for ... text classification'."),
}

QUERY = ns.sparql_prefixes() + """
SELECT ?d ?kind WHERE { GRAPH <%s> { ?d a tg:Disagreement ; tg:disagreementKind ?kind } } ORDER BY ?d
""" % ns.GRAPH_DISAGREEMENTS


def test_every_disagreement_in_the_graph_was_reviewed(data):
    found = {r["d"].value: r["kind"].value.rsplit("#", 1)[-1] for r in data.store.query(QUERY)}
    reviewed = {iri: kind for iri, (kind, _) in REVIEWED.items()}
    new = {iri: kind for iri, kind in found.items() if reviewed.get(iri) != kind}
    gone = {iri: kind for iri, kind in reviewed.items() if found.get(iri) != kind}
    assert not new, f"disagreements no one has reviewed (read both quotes, then add them to REVIEWED): {new}"
    assert not gone, f"reviewed disagreements the graph no longer holds (remove them, or restore their claims): {gone}"


@pytest.mark.parametrize("iri", sorted(REVIEWED))
def test_each_review_says_why(iri):
    kind, reason = REVIEWED[iri]
    assert len(reason) > 40 and reason.strip() == reason


def test_no_source_is_said_to_contradict_itself(data):
    """None of the five sources contradicts itself in what it says about these terms; a
    within-one-source disagreement would need a review entry first."""
    assert not [iri for iri, (kind, _) in REVIEWED.items() if kind == "WithinOneSource"]
