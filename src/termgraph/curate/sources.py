"""The source registry: `termgraph source add`, and the check that a kept text has not changed.

A source is described in data/curated/sources.ttl (as the first five are) plus its SHA-256 as
tg:textSha256; a new publisher is declared where every organisation is, data/curated/systems.ttl; its text is kept in data/sources/NNN_<first 16 hex of the SHA-256>.txt. Quote checks
look there first, then in ../shared/seeds/ (the first five texts).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from urllib.parse import urlparse

import pyoxigraph as ox

from termgraph import namespaces as ns
from termgraph.curate.extract import SourceInputError, read_article
from termgraph.curate.project import load_curated
from termgraph.paths import default_seeds

SOURCES_TTL = "data/curated/sources.ttl"
ORGANISATIONS_TTL = "data/curated/systems.ttl"  # (organisations live beside the systems they make)
SOURCES_DIR = "data/sources"


@dataclass(frozen=True)
class SourceInfo:
    number: str  # "005"
    identifier: str  # the text file's name
    title: str
    sha256: str | None  # recorded hash; None for sources registered before hashes were kept


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_words(text: str) -> str:
    """A text with its white space normalised: two files that differ only in spacing, line ends
    or blank lines are the same article."""
    return " ".join(text.split())


def registered(root: Path) -> dict[str, SourceInfo]:
    store = load_curated(root)
    query = ns.sparql_prefixes() + """SELECT ?s ?id ?title ?sha WHERE { ?s a tg:Source ; dcterms:identifier ?id .
      OPTIONAL { ?s dcterms:title|rdfs:label ?title } OPTIONAL { ?s tg:textSha256 ?sha } }"""
    out = {}
    for row in store.query(query):
        number = row["s"].value.removeprefix(ns.SOURCE)
        sha = row["sha"].value if row["sha"] else None
        title = row["title"].value if row["title"] else number
        out[number] = SourceInfo(number, row["id"].value, title, sha)
    return out


def text_path(root: Path, identifier: str, seeds: Path | None = None) -> Path | None:
    """The text in data/sources/, else in the seeds folder (`seeds`: TERMGRAPH_SEEDS or --seeds;
    by default ../shared/seeds beside the checkout)."""
    for folder in (root / SOURCES_DIR, seeds or default_seeds(root)):
        if (folder / identifier).is_file():
            return folder / identifier
    return None


def source_text(root: Path, number: str, seeds: Path | None = None) -> tuple[SourceInfo, str]:
    """A source's text, after checking that it is still the text that was registered."""
    sources = registered(root)
    if number not in sources:
        known = ", ".join(sorted(sources)) or "none"
        raise SourceInputError(f"no source {number} in {SOURCES_TTL} (registered: {known}); "
                               "add it first with termgraph source add ARTICLE.txt --title …")
    info = sources[number]
    path = text_path(root, info.identifier, seeds)
    if path is None:
        raise SourceInputError(f"source {number}: its text {info.identifier} is in neither {SOURCES_DIR}/ "
                               f"nor {seeds or default_seeds(root)} (point TERMGRAPH_SEEDS at the folder of "
                               "source texts)")
    text = path.read_bytes().decode("utf-8")
    if info.sha256 and sha256(text) != info.sha256:
        raise SourceInputError(f"{path}: the text has changed since source {number} was added (SHA-256 "
                               f"{sha256(text)[:16]}…, recorded {info.sha256[:16]}…); restore the original "
                               "text, or add the new text as a new source")
    return info, text


def next_number(sources: dict[str, SourceInfo]) -> str:
    numbers = [int(n) for n in sources if n.isdigit()]
    return f"{max(numbers, default=-1) + 1:03d}"


def check_metadata(title: str, url: str | None, when: str | None) -> None:
    if not title or not title.strip():
        raise SourceInputError("--title: give the article's title (it is shown on every page)")
    if url is not None:
        parts = urlparse(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceInputError(f"--url {url!r}: give an absolute http(s) URL")
    if when is not None:
        try:
            Date.fromisoformat(when if len(when) == 10 else when + "-01" * ((10 - len(when)) // 3))
        except ValueError:
            raise SourceInputError(f"--date {when!r}: use YYYY, YYYY-MM or YYYY-MM-DD") from None


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    return str(ox.Literal(text, language=lang) if lang else ox.Literal(text, datatype=ox.NamedNode(datatype))
               if datatype else ox.Literal(text))


DATE_TYPES = {4: ns.XSD + "gYear", 7: ns.XSD + "gYearMonth", 10: ns.XSD + "date"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "organisation"


def publisher_block(root: Path, publisher: str) -> tuple[str, str]:
    """(the publisher's CURIE, Turtle declaring it when it is new): an organisation already in
    the graph is matched by CURIE or by any of its labels."""
    from termgraph.curate.project import load_project

    orgs = [e for e in load_project(root).entities.values() if e.kind == "org"]
    for org in orgs:
        if publisher in (org.curie, org.iri) or publisher.casefold() in {l.casefold() for l in org.labels}:
            return org.curie, ""
    if publisher.startswith("org:"):
        raise SourceInputError(f"--publisher {publisher}: no such organisation; give its name instead "
                               "and it is added")
    iri = ns.ORG + slug(publisher)
    block = (f"<{iri}> a schema:Organization ;\n    rdfs:label {literal(publisher, 'en')} ;\n"
             f"    schema:name {literal(publisher)} .\n\n")
    return f"<{iri}>", block


def source_block(number: str, identifier: str, digest: str, title: str, publisher: str | None,
                 url: str | None, when: str | None, extractor: str | None, original: str) -> str:
    lines = [f"<{ns.SOURCE}{number}> a tg:Source ;",
             f"    rdfs:label {literal(title, 'en')} ;",
             f"    dcterms:title {literal(title, 'en')} ;"]
    if publisher:
        lines.append(f"    dcterms:publisher {publisher} ;")
    if url:
        lines.append(f"    schema:url <{url}> ;")
    if when:
        lines.append(f"    dcterms:date {literal(when, datatype=DATE_TYPES[len(when)])} ;")
    if extractor:
        note = f"Text extracted from the HTML file {original} with {extractor}; quotes refer to the extracted text."
        lines.append(f"    skos:editorialNote {literal(note, 'en')} ;")
    lines += [f"    dcterms:identifier {literal(identifier)} ;",
              '    dcterms:language "en" ;',
              f"    tg:textSha256 {literal(digest)} ."]
    return "\n".join(lines) + "\n"


def add_source(root: Path, article: Path, title: str, publisher: str | None = None,
               url: str | None = None, when: str | None = None) -> SourceInfo:
    """Register an article; nothing is written unless every check passes."""
    check_metadata(title, url, when)
    got = read_article(article)
    digest, words = sha256(got.text), same_words(got.text)
    sources = registered(root)
    for info in sources.values():
        path = text_path(root, info.identifier)
        kept = path.read_bytes().decode("utf-8", errors="replace") if path else None
        if info.sha256 == digest or (kept is not None and same_words(kept) == words):
            same = "this text" if info.sha256 == digest or kept == got.text else "this text (but for its spacing)"
            raise SourceInputError(f"{article}: {same} is already source {info.number} "
                                   f"({info.title!r}); nothing added")
    number = next_number(sources)
    identifier = f"{number}_{digest[:16]}.txt"
    curie, org_block = publisher_block(root, publisher) if publisher else (None, "")
    block = source_block(number, identifier, digest, title.strip(), curie, url, when, got.extractor, article.name)
    write_source(root, identifier, got.text, block, org_block)
    return SourceInfo(number, identifier, title.strip(), digest)


def write_source(root: Path, identifier: str, text: str, block: str, org_block: str = "") -> None:
    """Write the source's description (and a new publisher's) and its text, after checking that each
    Turtle file still parses with the addition; nothing is written if one would not."""
    updates = {SOURCES_TTL: block, ORGANISATIONS_TTL: org_block}
    texts = {}
    for name, addition in updates.items():
        if not addition:
            continue
        texts[name] = (root / name).read_text(encoding="utf-8").rstrip("\n") + "\n\n" + addition
        try:
            list(ox.parse(texts[name], format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:  # e.g. a prefix the file does not declare
            raise SourceInputError(f"{name}: the new source would not parse ({exc}); nothing added") from None
    folder = root / SOURCES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / identifier).write_bytes(text.encode("utf-8"))
    for name, updated in texts.items():
        (root / name).write_text(updated, encoding="utf-8")
