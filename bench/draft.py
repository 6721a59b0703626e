"""How well `termgraph draft` does: on the ten unseen articles (../shared/articles, scored by its
score.py) and on the five development texts (figures printed).

The articles: each text (after its 3-line header) is drafted against the curated entities of
data/curated/ and the drafts are scored by ../shared/articles/score.py itself (run, not copied),
overall and once per relation kind (the gold and the drafts both cut to that kind). Drafting
time is measured per article and on a ~3,000-word text (three development texts joined), the first
draft of the process included (any one-off start-up counts).

The development texts:

Each source is drafted as if it were new: the gazetteer holds the curated entities
(data/curated/, never any source's claims), less the alternative labels that only that source
claims (a label first seen in that source is not known before it arrives). The draft is compared with that source's curated
claims per relation kind. A resource claim matches on (subject, kind, object, stance); a
definition matches when its subject is the same and its quote overlaps the curated quote.
Counts are over distinct keys, so a claim the curators recorded twice from two quotes counts once.

    .venv/bin/python bench/draft.py [--root .] [--strict] [--articles DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.graph.quotes import Quote, problem
from termgraph.curate.draft import find_all, rows_for
from termgraph.curate.project import curie, load_project
from termgraph.curate.sources import source_text
from termgraph.graph.claims_table import DRAFT_COLUMNS, write_rows

KINDS = {"skos:definition": "definition", "tg:additionalDefinition": "definition", "rdfs:subClassOf": "subclass",
         "rdf:type": "example", "schema:creator": "maker", "schema:isBasedOn": "built-on", "tg:poweredBy": "built-on"}
ORDER = ["definition", "subclass", "example", "maker", "built-on"]
QUERY = ns.sparql_prefixes() + """SELECT ?s ?p ?o ?st ?ex ?pre WHERE { ?c a tg:Claim ; rdf:subject ?s ; rdf:predicate ?p ;
  rdf:object ?o ; tg:stance ?st ; tg:evidence/oa:hasSelector ?sel . ?sel oa:exact ?ex . OPTIONAL { ?sel oa:prefix ?pre } }"""


def curated(root: Path, number: str, text: str) -> list[tuple]:
    store = ox.Store()
    store.load(path=str(root / "data" / "claims" / f"{number}.ttl"), format=ox.RdfFormat.TURTLE)
    out = []
    for r in store.query(QUERY):
        kind = KINDS.get(curie(r["p"].value))
        if kind:
            obj = curie(r["o"].value) if isinstance(r["o"], ox.NamedNode) else r["o"].value
            stance = r["st"].value.rsplit("#", 1)[1].lower()
            pre = r["pre"].value if r["pre"] else ""
            start = text.find(pre + r["ex"].value) + len(pre)
            out.append((curie(r["s"].value), kind, obj, stance, start, start + len(r["ex"].value)))
    return out


def drafted(rows: list[dict], text: str) -> list[tuple]:
    out = []
    for row in rows:
        kind = KINDS.get(row["predicate"])
        if kind:
            start = text.find(row["prefix"] + row["quote"] + row["suffix"]) + len(row["prefix"])
            out.append((row["subject"], kind, row["object"], row["stance"], start, start + len(row["quote"])))
    return out


def key(claim: tuple) -> tuple:
    return claim[:4]


def matches(a: tuple, b: tuple) -> bool:
    if a[1] != b[1]:
        return False
    if a[1] == "definition":
        return a[0] == b[0] and a[4] < b[5] and b[4] < a[5]
    return key(a) == key(b)


def distinct(claims: list[tuple]) -> list[tuple]:
    seen, out = set(), []
    for c in claims:
        k = c if c[1] == "definition" else key(c)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def score(gold: list[tuple], got: list[tuple]) -> dict[str, list[int]]:
    """Per kind: [curated, recalled, drafted, correct]."""
    table = {k: [0, 0, 0, 0] for k in ORDER}
    for g in distinct(gold):
        table[g[1]][0] += 1
        table[g[1]][1] += any(matches(g, d) for d in got)
    for d in distinct(got):
        table[d[1]][2] += 1
        table[d[1]][3] += any(matches(d, g) for g in gold)
    return table


def claim_stores(root: Path) -> dict[str, ox.Store]:
    stores = {}
    for path in sorted((root / "data" / "claims").glob("*.ttl")):
        stores[path.stem] = ox.Store()
        stores[path.stem].load(path=str(path), format=ox.RdfFormat.TURTLE)
    return stores


def only_in(stores: dict[str, ox.Store], number: str, query: str) -> set[tuple]:
    """Rows of `query` that the source's claims give and no other source's claims give."""
    found = {n: {tuple(t.value for t in r) for r in st.query(ns.sparql_prefixes() + query)} for n, st in stores.items()}
    return found[number] - set().union(*(v for n, v in found.items() if n != number))


def as_if_new(project, stores: dict[str, ox.Store], number: str, strict: bool):
    """The project as it was before this source came: without the alternative labels that only
    this source claims (unless they are an entity's main label), and with --strict also without
    the systems and organisations that only this source names."""
    own = only_in(stores, number, "SELECT ?s ?o WHERE { ?c rdf:subject ?s ; rdf:predicate skos:altLabel ; rdf:object ?o }")
    named = only_in(stores, number, "SELECT ?e WHERE { ?c rdf:subject|rdf:object ?e . FILTER(isIRI(?e)) }") if strict else set()
    entities = {iri: replace(e, labels=[l for i, l in enumerate(e.labels) if i == 0 or (iri, l) not in own])
                for iri, e in project.entities.items() if not (e.kind != "concept" and (iri,) in named)}
    return replace(project, entities=entities)


def run(root: Path, strict: bool = False) -> tuple[dict, list, int, int]:
    project, stores = load_project(root), claim_stores(root)
    total = {k: [0, 0, 0, 0] for k in ORDER}
    per_article, verbatim, rows_all = [], 0, 0
    for number in ("000", "001", "002", "003", "004"):
        info, text = source_text(root, number)
        known = as_if_new(project, stores, number, strict)
        began = time.perf_counter()
        rows = rows_for(find_all(known, text), text, info.identifier, number)
        seconds = time.perf_counter() - began
        rows_all += len(rows)
        verbatim += sum(problem(Quote(r["id"], info.identifier, r["quote"], r["prefix"], r["suffix"]), text) is None
                        for r in rows)
        table = score(curated(root, number, text), drafted(rows, text))
        for k in ORDER:
            total[k] = [a + b for a, b in zip(total[k], table[k])]
        per_article.append((number, len(text), len(rows), seconds))
    return total, per_article, verbatim, rows_all


ARTICLE_KINDS = {"definition": ("skos:definition", "tg:additionalDefinition"), "subclass": ("rdfs:subClassOf",),
                 "example": ("rdf:type",), "maker": ("schema:creator",),
                 "built-on": ("tg:poweredBy", "schema:isBasedOn"), "distinction": ("tg:distinctFrom",)}
SCORE_LINE = re.compile(r"recall [\d.]+ \((\d+)/(\d+)\), precision [\d.]+ \((\d+)/(\d+)\)")


def article_text(path: Path) -> str:
    """An article's text: everything after its 3-line header (../shared/articles/README.md)."""
    return path.read_bytes().decode("utf-8").split("\n", 3)[3]


def ruler(score_py: Path, gold: Path, drafts: list[Path]) -> tuple[str, tuple[int, int, int, int]]:
    """score.py's own output and its last line's figures (recalled, gold, correct, drafted)."""
    done = subprocess.run([sys.executable, str(score_py), "--gold", str(gold), *map(str, drafts)],
                          capture_output=True, text=True, encoding="utf-8")
    hit = SCORE_LINE.search(done.stdout)
    if not hit:
        raise SystemExit(f"{score_py} gave no score line: {done.stdout[-300:]} {done.stderr[-300:]}")
    return done.stdout, tuple(int(g) for g in hit.groups())


def cut(src: Path, dst: Path, predicates: tuple[str, ...], columns: list[str] | None = None) -> None:
    """A copy of a CSV with only the rows of these predicates (gold keeps its own columns)."""
    with open(src, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [r for r in reader if r["predicate"] in predicates]
        fields = columns or reader.fieldnames
    with open(dst, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def draft_text(project, text: str, name: str, number: str) -> tuple[list[dict], float]:
    began = time.perf_counter()
    rows = rows_for(find_all(project, text), text, name, number)
    return rows, time.perf_counter() - began


COLD = """import sys, time
began = time.perf_counter()
from pathlib import Path
from termgraph.curate.draft import find_all, rows_for
from termgraph.curate.project import load_project
from termgraph.curate.sources import source_text
root = Path(sys.argv[1])
text = "\\n\\n".join(source_text(root, n)[1] for n in ("000", "001", "003"))
rows_for(find_all(load_project(root), text), text, "joined", "900")
print(f"{time.perf_counter() - began:.2f}")
"""


def cold_process(root: Path) -> str:
    """Seconds for a new Python process to import the drafter, load the project and draft the
    ~3,000-word text: what `termgraph draft` pays beyond the interpreter's own start."""
    done = subprocess.run([sys.executable, "-c", COLD, str(root)], capture_output=True, text=True)
    return done.stdout.strip() or f"failed: {done.stderr.strip()[-200:]}"


def run_articles(root: Path, folder: Path) -> None:
    """Draft the ten articles, score them with the folder's score.py, print the tables."""
    project = load_project(root)
    seeds = [source_text(root, n)[1] for n in ("000", "001", "003")]
    joined = "\n\n".join(seeds)
    _, cold = draft_text(project, joined, "joined", "900")
    _, warm = draft_text(project, joined, "joined", "900")
    paths = sorted(folder.glob("[0-9][0-9]_*.txt"))
    timing, verbatim, rows_all = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        drafts = []
        for path in paths:
            text = article_text(path)
            rows, seconds = draft_text(project, text, path.name, path.name[:2])
            rows_all += len(rows)
            verbatim += sum(problem(Quote(r["id"], path.name, r["quote"], r["prefix"], r["suffix"]), text) is None
                            for r in rows)
            drafts.append(tmp / f"{path.name[:2]}.draft.csv")
            write_rows(drafts[-1], rows, DRAFT_COLUMNS)
            timing.append((path.name[:2], len(text.split()), len(rows), seconds))
        output, overall = ruler(folder / "score.py", folder / "gold", drafts)
        print(output.rstrip())
        print()
        print("| kind | gold | recalled | recall | drafted | correct | precision |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for kind, predicates in ARTICLE_KINDS.items():
            (tmp / kind / "gold").mkdir(parents=True)
            for gold in (folder / "gold").glob("*.csv"):
                cut(gold, tmp / kind / "gold" / gold.name, predicates)
            for d in drafts:
                cut(d, tmp / kind / d.name, predicates, DRAFT_COLUMNS)
            _, (hit, gold_n, ok, drafted_n) = ruler(folder / "score.py", tmp / kind / "gold",
                                                     [tmp / kind / d.name for d in drafts])
            print(f"| {kind} | {gold_n} | {hit} | {ratio(hit, gold_n)} | {drafted_n} | {ok} | {ratio(ok, drafted_n)} |")
        hit, gold_n, ok, drafted_n = overall
        print(f"| **all six kinds** | {gold_n} | {hit} | {ratio(hit, gold_n)} | {drafted_n} | {ok} | {ratio(ok, drafted_n)} |")
    print()
    print(f"verbatim quotes: {verbatim}/{rows_all} ({ratio(verbatim, rows_all)})")
    print()
    print("| article | words | drafted rows (all relations) | seconds |")
    print("|---|---:|---:|---:|")
    for number, words, rows, seconds in timing:
        print(f"| {number} | {words} | {rows} | {seconds:.3f} |")
    print(f"\na {len(joined.split())}-word text (sources 000, 001, 003 joined): first draft of the process "
          f"{cold:.2f} s (any one-off start-up included), again {warm:.2f} s; in a new process, imports and "
          f"loading the project included: {cold_process(root)} s\n")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--strict", action="store_true",
                        help="also leave out the systems and organisations that only the tested source names "
                             "(they then come in as proposed new names, matching when the proposed IRI is the curated one)")
    parser.add_argument("--articles", type=Path, default=None,
                        help="the unseen articles' folder (default: ../shared/articles beside the project)")
    args = parser.parse_args(argv)
    folder = args.articles or args.root.parent / "shared" / "articles"
    if (folder / "score.py").is_file():
        print(f"## Unseen articles ({folder})\n")
        run_articles(args.root, folder)
    else:
        print(f"(no articles at {folder}: only the development texts are measured)\n")
    print("## Development texts (sources 000-004)\n")
    total, per_article, verbatim, rows_all = run(args.root, args.strict)
    print("| kind | curated | recalled | recall | drafted | correct | precision |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    sums = [0, 0, 0, 0]
    for k in ORDER:
        c, r, d, ok = total[k]
        sums = [a + b for a, b in zip(sums, total[k])]
        print(f"| {k} | {c} | {r} | {ratio(r, c)} | {d} | {ok} | {ratio(ok, d)} |")
    c, r, d, ok = sums
    print(f"| **all five kinds** | {c} | {r} | {ratio(r, c)} | {d} | {ok} | {ratio(ok, d)} |")
    print()
    print(f"verbatim quotes: {verbatim}/{rows_all} ({ratio(verbatim, rows_all)})")
    print()
    print("| source | characters | drafted rows (all relations) | seconds |")
    print("|---|---:|---:|---:|")
    for number, chars, rows, seconds in per_article:
        print(f"| {number} | {chars} | {rows} | {seconds:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
