"""The few sentences at the top of a term page: how many sources speak about the term, what they
agree on, and where they disagree -- made from the page's answer blocks (web/termpage.py), whose
disagreements are read from the disagreements graph (nothing is recomputed here).

A statement is *agreed* when at least two sources answer it and every source that answers it
in its own words says plainly yes (no denial, hedge or condition) and no disagreement names it.
It is *disputed* when a disagreement of the graph names one of its claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from termgraph import wording

MOST = 3  # statements named in each sentence; the rest are counted


@dataclass(frozen=True)
class Statement:
    words: str  # "a large language model is a kind of generative AI"
    anchor: str  # the block it is answered in on the page: "block-N"
    sources: int


@dataclass(frozen=True)
class Summary:
    sources: int
    claims: int
    agreed: list[Statement]
    disputed: list[Statement]

    def sentences(self, label: str) -> list[tuple[str, str, list[Statement], str]]:
        """(words before, the word before each statement, statements, words after) for each sentence;
        the statements link to their blocks."""
        claims, sources = self.claims, self.sources
        out = [(f"{sources} source{'s' if sources != 1 else ''} make{'s' if sources == 1 else ''} {claims} "
                f"claim{'s' if claims != 1 else ''} about “{label}”.", "", [], "")]
        if self.agreed:
            more = len(self.agreed) - MOST
            out.append(("The sources that speak to it agree", "that", self.agreed[:MOST],
                        f" (and on {more} more statement{'s' if more != 1 else ''})." if more > 0 else "."))
        if self.disputed:
            more = len(self.disputed) - MOST
            out.append(("They disagree on", "whether", self.disputed[:MOST],
                        f" (and on {more} more)." if more > 0 else "."))
        if not self.agreed and not self.disputed:
            out.append(("No statement about it is made by two sources that agree, and none is disputed.", "", [], ""))
        return out


def statement(question, label_of) -> str:
    """The question's statement in words, with the articles its relation takes ("a kind of generative AI")."""
    s, p, o = question.key
    relation = wording.relation(p)
    obj = label_of(o) if "{bare_o}" in relation.question else wording.article(label_of(o))
    return f"{wording.article(label_of(s))} {relation.says} {obj}"


def summarise(view, blocks) -> Summary:
    """The summary of a term page from its view (every claim) and its answer blocks."""
    agreed, disputed = [], []
    for n, block in enumerate(blocks, 1):
        for q in block.questions:
            speaking = [a for a in q.answers if a.claims]  # in the source's own words (not implied)
            sources = len({a.source for a in speaking})
            words = statement(q, view.names.label)
            if q.disagreements:
                disputed.append(Statement(words, f"block-{n}", sources))
            elif sources >= 2 and all(a.answer == "Yes" for a in speaking):
                agreed.append(Statement(words, f"block-{n}", sources))
    rank = lambda st: (-st.sources, st.words.lower())  # noqa: E731
    return Summary(len({c.source for c in view.claims}), len(view.claims), sorted(agreed, key=rank),
                   sorted(disputed, key=rank))


def contents(view, context: dict) -> list[tuple[str, str]]:
    """The page's table of contents: (anchor, words) of each section the term page shows."""
    out = []
    if context.get("blocks"):
        out.append(("answers", f"How {view.label} relates to other terms"))
    if view.definitions():
        out.append(("definitions", "Definitions, source by source"))
    if context.get("examples"):
        out.append(("examples", "Examples"))
    out += [(f"group-{n}", title) for n, (title, _) in enumerate(context.get("groups") or [], 1)]
    if view.claims:
        out.append(("all-claims", f"Every claim ({len(view.claims)})"))  # (its heading: inside the folded part)
    return out
