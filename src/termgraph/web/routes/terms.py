"""Term IRIs dereference: HTML for browsers, Turtle / JSON-LD / N-Triples / RDF/XML for RDF clients.

Covers concepts, systems, organisations, sources, claims, rules, disagreements
(/disagreement/<rule>/<id>) and the concept scheme (/concepts)."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from termgraph import namespaces as ns
from termgraph.graph import retired
from termgraph.errors import Gone, NotFound
from termgraph.web import disagreements as dis
from termgraph.web import render, termpage, termsummary
from termgraph import wording
from termgraph.web import views as describe
from termgraph.web.requests import TERM_TYPES, alternates, as_rdf, chosen, state_of

router = APIRouter()

KINDS = ("concept", "system", "org", "source", "claim", "rule")
KIND_NAMES = {"concept": "Term", "system": "AI system", "org": "Organisation", "source": "Source",
              "claim": "Claim", "rule": "Rule that finds disagreements"}
def own_iri(path: str) -> str:
    """The IRI of a termgraph URL path ('concept/x'). A name with characters no IRI may hold (a
    space, '<', a control character, an undecodable byte) names nothing here: 404."""
    iri = ns.BASE + path
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise NotFound(f"/{quote(path)}: no termgraph IRI has this name (it holds characters an IRI cannot contain)") from None
    return iri


@router.get("/concepts", summary="The concept scheme: every term, the core terms first")
def concepts(request: Request) -> Response:
    state = state_of(request)
    iri = ns.BASE + "concepts"
    headers = {"Link": alternates(request.url.path, TERM_TYPES), "Vary": "Accept"}
    media = chosen(request, TERM_TYPES)
    if media != "text/html":
        return as_rdf(request, iri, media, headers)
    who = describe.names(state.store, state.cache)
    top = describe.top_concepts(state.store)
    listing = {kind: sorted(((i, who.label(i)) for i, k in who.kinds.items() if k == kind), key=lambda x: x[1].lower())
               for kind in ("concept", "system", "org", "source")}
    return render.page(request, "concepts.html", headers=headers, title="Terms", listing=listing,
                       top=[(i, who.label(i)) for i in sorted(top, key=lambda i: who.label(i).lower())])


@router.get("/disagreement/{rule}/{name}", summary="Dereference a disagreement's IRI")
def disagreement(rule: str, name: str, request: Request) -> Response:
    state = state_of(request)
    iri = own_iri(f"disagreement/{rule}/{name}")
    headers = {"Link": alternates(request.url.path, TERM_TYPES), "Vary": "Accept"}
    media = chosen(request, TERM_TYPES)
    if media != "text/html":
        return as_rdf(request, iri, media, headers)
    found = dis.find(dis.every(state.store, state.cache), iri)
    if found is None:
        raise NotFound(f"<{iri}> is not a disagreement in the graph")
    who = describe.names(state.store, state.cache)
    sides = dis.sides(describe.claims(state.store, found.claims, who))
    return render.page(request, "disagreement.html", headers=headers, title=found.label, d=found, sides=sides,
                       about=[(i, who.label(i)) for i in found.about], alternates=TERM_TYPES[1:])


@router.get("/contested/{name:path}", include_in_schema=False)
def contested(name: str) -> Response:
    """The retired /contested kind (no resource ever had it): old links go to the disagreements."""
    return RedirectResponse("/disagreements", status_code=301)


@router.get("/{kind}/{name}", summary="Dereference a termgraph IRI (concept, system, org, source, claim, rule)")
def term(kind: str, name: str, request: Request) -> Response:
    if kind not in KINDS:
        raise NotFound(f"/{kind}/…: not a kind of termgraph resource ({', '.join(KINDS)})")
    state = state_of(request)
    iri = own_iri(f"{kind}/{name}")
    if kind == "claim":
        gone_if_retired(state, iri, name)
    media = chosen(request, TERM_TYPES)
    headers = {"Link": alternates(request.url.path, TERM_TYPES), "Vary": "Accept"}
    if media != "text/html":
        return as_rdf(request, iri, media, headers)
    view = describe.resource(state.store, iri, state.cache)
    if view is None:
        raise NotFound(f"<{iri}> is not in the graph")
    found = dis.cached(state.store, state.cache)
    if kind == "claim":
        return claim_page(request, view, found, headers)
    context = dict(view=view, kind=kind, kind_name=KIND_NAMES[kind], title=view.label, alternates=TERM_TYPES[1:],
                   top=iri in describe.top_concepts(state.store), filter_sources=[], filter_relations=[],
                   blocks=[], examples=None, groups=[], summary=None)
    if kind != "source":
        context.update(blocks=termpage.blocks(state.store, view, found, state.cache),
                       examples=termpage.examples(view), groups=termpage.grouped(view))
        context.update(summary=termsummary.summarise(view, context["blocks"]) if view.claims else None)
        context.update(filter_sources=sorted({(c.source, c.source_name) for c in view.claims}, key=lambda s: s[1].lower()),
                       filter_relations=sorted({(c.predicate, wording.relation(c.predicate).says) for c in view.claims},
                                               key=lambda r: r[1]))
    context["contents"] = termsummary.contents(view, context)
    return render.page(request, "term.html", headers=headers, **context)


def gone_if_retired(state, iri: str, name: str) -> None:
    """A retired claim number (data/claims/retired.csv) is 410 Gone, with the reason: its IRI was
    published once and is never given to another claim."""
    if any(True for _ in state.store.quads_for_pattern(ox.NamedNode(iri), None, None, None)):
        return
    why = retired.reason(state.settings.root, name)
    if why:
        raise Gone(f"claim {name} was {why}")


def claim_page(request: Request, view: describe.ResourceView, found: list, headers: dict) -> Response:
    claim = next(c for c in view.claims if c.iri == view.iri)
    involved = dis.by_claim(found).get(claim.iri, [])
    title = f"{claim.source_name}: {claim.subject_label} {claim.relation} {claim.object_label}"
    return render.page(request, "claim.html", headers=headers, title=title, c=claim, view=view,
                       disagreements=involved, alternates=TERM_TYPES[1:])
