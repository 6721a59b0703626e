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
        "004 lists BERT among 'text-generation models'; 002 says BERT is 'NOT generative' and 011 that its "
        "objective and architecture 'separate it from generative pre-trained transformer systems': yes against "
        "no."),
    D + "opposite-stances/e7da2f5d17571b76": ("OppositeStances",
        "001, 004, 007 and 013 say LLMs are (a subset, a type of) generative AI without condition; CSET says "
        "generative AI includes LLMs 'when these are used for generative use cases, but not when used in other "
        "ways'."),
    D + "opposite-stances/dca057aef7cbf47a": ("OppositeStances",
        "001, 004 and 010 name BERT an LLM ('one of the earliest LLM foundation models'); 011 answers 'Is BERT an LLM?' "
        "with 'it is not an LLM in the contemporary sense': yes against no."),
    D + "membership-excluded/78101c767c0b4abd": ("MembershipExcluded",
        "001 and 004 call BERT an LLM and take LLMs to be generative AI models, so BERT is generative AI by their "
        "account; 002 says BERT is 'NOT generative' and 011 sets it apart from 'generative pre-trained "
        "transformer systems'."),
    D + "curated/001": ("DifferentValues",
        "CSET: 'foundation model' stakes out 'a broader function-based concept'; 002: it 'refers to the type of "
        "model architecture' and 'describes architectural approach': rival answers to what the term names."),
    D + "curated/002": ("DifferentValues",
        "004: LLMs are 'Limited to text; cannot generate non-text content'; 003: LLMs (both models) 'have shown "
        "impressive results in ... computer vision, and speech recognition'; 006, answering 'What is a large "
        "language model?': language models 'are now becoming multimodal (working with media types beyond text)'."),
    D + "curated/003": ("DifferentValues",
        "002 defines foundation models as trained 'using self-supervised learning' and 005 lists 'Self-supervised "
        "learning methods' among their key characteristics; 003 says their objective is 'multi-task learning', a "
        "loss per task, and that the training objective is what sets them apart from LLMs."),
    D + "curated/005": ("DifferentValues",
        "003 gives the LLM training objective as 'Masked language modeling, next sentence prediction'; 014: LLMs "
        "are 'autoregressive language models' that work by 'repeatedly predicting the next token or word': the "
        "two rival pre-training tasks."),
    # -- hedging differences: both can be true, one is firmer -----------------------------------------
    D + "hedging-difference/231e16eb42adfa66": ("HedgingDifference",
        "004 'particularly transformer architectures', 008, 013 and 014 ('transformer-based', 'following a "
        "transformer architecture') against 003 'typically employ' and 007 'typically deployed with transformer "
        "architectures'."),
    D + "hedging-difference/26724db4bb82fb69": ("HedgingDifference",
        "001 'good at ... conversation' against 003 'typically employed for ... conversation': both say LLMs are used for it."),
    D + "hedging-difference/a3539da2c26f5958": ("HedgingDifference",
        "004 'Generative AI models rely on foundation models' and 002 'power Gen AI' against 002 'Usually uses "
        "foundation models' and 010's 'can use pretrained foundation models as starting points'."),
    D + "hedging-difference/b555e00d1f5d0439": ("HedgingDifference",
        "004 and 006 list ChatGPT among LLMs; CSET finds 'some ambiguity' whether to call such products LLMs."),
    D + "hedging-difference/b5d7c2389f3480bb": ("HedgingDifference",
        "002, 005 and 012 list Llama as a foundation model; CSET's 'many of the same systems listed as LLMs "
        "above' leaves open which."),
    D + "hedging-difference/d0060c9fb8fcb2da": ("HedgingDifference",
        "002 and 012 (a large multimodal model in its table of foundation models) list GPT-4 as a foundation "
        "model; CSET's 'many of the same systems' leaves open which."),
    D + "hedging-difference/d21a06c007b75b58": ("HedgingDifference",
        "004 'a common foundation model', 005 'a subset of foundation models', 006 'now also called foundation "
        "models', 010 'A specific kind of foundation model' and 012's table against CSET's 'currently the "
        "clearest example' in a sentence about a rough, present-day usage."),
    D + "hedging-difference/e7da2f5d17571b76": ("HedgingDifference",
        "001, 004, 007 and 013 say LLMs are generative AI; CSET names them among 'typical examples of generative "
        "AI systems' and 011 says the phrase 'often refers to decoder-style generative systems': usually against "
        "always, not opposition."),
    D + "hedging-difference/ef8f8c29590c1fef": ("HedgingDifference",
        "001 'text classification' among LLM applications against 003 'typically employed for ... text classification'."),
    D + "hedging-difference/22f7a7b359c75d50": ("HedgingDifference",
        "007 'Although used synonymously, they are not' reports the usage flatly; CSET, 001 and 004 say the terms are "
        "'often used interchangeably': the same observation, firmer."),
    D + "hedging-difference/1c4a37a610f2f585": ("HedgingDifference",
        "005 lists Google's PaLM among 'Examples of foundation models' and 012's table of foundation models among "
        "LLMs; CSET's 'many of the same systems' leaves open which."),
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
    """None of the sources contradicts itself in what it says about these terms (each was read for
    it): the graph holds no within-one-source disagreement, and a page never accuses one."""
    rows = list(data.store.query(ns.sparql_prefixes() + """SELECT ?d WHERE { GRAPH <%s> {
        ?d tg:disagreementKind tg:WithinOneSource } }""" % ns.GRAPH_DISAGREEMENTS))
    assert rows == []
