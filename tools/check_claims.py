"""Check one or more claim files (data/claims/NNN.ttl) against their source text.

Usage: python tools/check_claims.py data/claims/000.ttl [...]
Prints every problem found; exit 1 if any.
"""
import sys
from pathlib import Path

import rdflib
from rdflib import RDF, Literal, Namespace, URIRef

from termgraph.build import quotes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TG = Namespace("https://w3id.org/termgraph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("https://schema.org/")
RDFS = rdflib.RDFS
LIT = "literal"
PREDICATES = {
    SKOS.definition: LIT, TG.additionalDefinition: LIT, SKOS.altLabel: LIT,
    TG.hasCharacteristic: LIT, TG.strength: LIT, TG.weakness: LIT, TG.trainingData: LIT,
    TG.application: LIT, TG.statistic: LIT,
    RDFS.subClassOf: "iri", RDF.type: "iri", TG.overlapsWith: "iri", TG.synonymousWith: "iri",
    TG.usedInterchangeablyWith: "iri", TG.distinctFrom: "iri", TG.poweredBy: "iri",
    SCHEMA.isBasedOn: "iri", SCHEMA.creator: "iri", TG.popularizedBy: "iri",
    TG.trainingObjective: "iri", TG.architecture: "iri",
}
STANCES = {TG.Asserts, TG.Denies, TG.Qualifies}


def known_iris():
    g = rdflib.Graph()
    for f in (ROOT / "data" / "curated").glob("*.ttl"):
        g.parse(f)
    return set(g.subjects())


def source_text(src: URIRef) -> str:
    num = str(src).rsplit("/", 1)[-1]
    (path,) = SEEDS.glob(f"{num}_*.txt")
    return path.read_text(encoding="utf-8")


def check_file(path: Path, known: set) -> list[str]:
    problems = []
    g = rdflib.Graph().parse(path)
    for claim in sorted(g.subjects(RDF.type, TG.Claim)):
        cid = str(claim).rsplit("/", 1)[-1]
        def need(p):
            vals = list(g.objects(claim, p))
            if len(vals) != 1:
                problems.append(f"{cid}: needs exactly one {p.n3(g.namespace_manager)}, has {len(vals)}")
                return None
            return vals[0]
        s, p, o = need(RDF.subject), need(RDF.predicate), need(RDF.object)
        stance, src = need(TG.stance), need(PROV.wasDerivedFrom)
        if stance is not None and stance not in STANCES:
            problems.append(f"{cid}: stance {stance} not in asserts/denies/qualifies")
        if stance == TG.Qualifies and g.value(claim, TG.qualification) not in {TG.Hedged, TG.Conditional, TG.Partial}:
            problems.append(f"{cid}: a qualifies claim needs tg:qualification tg:Hedged|tg:Conditional|tg:Partial")
        if p is not None:
            kind = PREDICATES.get(p)
            if kind is None:
                problems.append(f"{cid}: predicate {p} not allowed")
            elif kind == LIT and not (isinstance(o, Literal) and o.language == "en"):
                problems.append(f"{cid}: object must be an @en literal")
            elif kind == "iri" and not isinstance(o, URIRef):
                problems.append(f"{cid}: object must be an IRI")
        for node in (s, o):
            if isinstance(node, URIRef) and node not in known:
                problems.append(f"{cid}: unknown IRI {node} (not in data/curated)")
        ev = need(TG.evidence)
        if ev is None or src is None:
            continue
        if g.value(ev, OA.hasSource) != src:
            problems.append(f"{cid}: evidence oa:hasSource must be the claim's source")
        sel = g.value(ev, OA.hasSelector)
        exact = g.value(sel, OA.exact) if sel is not None else None
        if exact is None or not str(exact).strip():
            problems.append(f"{cid}: no oa:exact quote")
            continue
        found = quotes.problem(quotes.Quote(cid, str(src), str(exact), str(g.value(sel, OA.prefix) or ""),
                                            str(g.value(sel, OA.suffix) or "")), source_text(src))
        if found:
            problems.append(found)
    return problems


def main(argv):
    known = known_iris()
    problems = []
    for arg in argv:
        problems += [f"{arg}: {p}" for p in check_file(Path(arg), known)]
    print("\n".join(problems) if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
