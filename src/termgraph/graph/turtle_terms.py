"""Turtle terms as the generated files write them: an IRI as a CURIE where one is safe, a string escaped."""

from __future__ import annotations

import re

from termgraph.graph.claims_vocab import shorten

USED_PREFIXES = ("tg", "concept", "system", "org", "source", "claim", "rdf", "rdfs", "owl", "skos",
                 "prov", "dcterms", "oa", "schema")
SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def iri(value: str) -> str:
    curie = shorten(value)
    prefix, _, local = curie.partition(":")
    if curie != value and prefix in USED_PREFIXES and SAFE_LOCAL.match(local):
        return curie
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def string(text: str) -> str:
    out = "".join(ESCAPES.get(ch, ch if ord(ch) >= 0x20 or ch in ESCAPES else f"\\u{ord(ch):04X}") for ch in text)
    return f'"{out}"'
