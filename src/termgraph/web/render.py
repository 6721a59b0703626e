"""HTML pages from Jinja2 templates (src/termgraph/web/templates), one template per page."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from termgraph import namespaces as ns
from termgraph import formats
from termgraph.sparql import protocol
from termgraph import wording


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("termgraph.web", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["short"] = formats.shorten
    env.filters["local"] = local_path
    env.filters["words"] = wording.local_words
    env.globals["ns"] = ns
    env.globals["wording"] = wording
    env.globals["core_terms"] = core_terms
    env.globals["disagreement_count"] = disagreement_count
    env.globals["source_name"] = source_name
    return env


def core_terms(request: Request) -> list[tuple[str, str]]:
    """The concept scheme's top concepts (skos:hasTopConcept), by label, for the landing page."""
    from termgraph.web import views

    state = request.app.state.termgraph
    who = views.names(state.store, state.cache)
    top = views.top_concepts(state.store)
    return sorted(((i, who.label(i)) for i in top), key=lambda t: t[1].casefold())


def disagreement_count(request: Request) -> int:
    from termgraph.web import disagreements

    state = request.app.state.termgraph
    return len(disagreements.cached(state.store, state.cache))


def source_name(request: Request, iri: str) -> str:
    from termgraph.web import views

    state = request.app.state.termgraph
    return views.names(state.store, state.cache).label(iri)


def local_path(iri: str) -> str:
    """A link target for an IRI: a termgraph IRI as a path on this server
    (https://w3id.org/termgraph/concept/x -> /concept/x), an http(s) IRI as itself, and any other
    scheme (javascript:, data:, file:… from a user's data file) as an inert "#", and so is a
    termgraph IRI whose path would read as another host's (`…/termgraph///host/x` would be the
    protocol-relative link //host/x; a backslash reads as a slash)."""
    if iri.startswith(ns.BASE):
        rest = iri[len(ns.BASE):]
        return "#" if rest.startswith(("/", "\\")) else "/" + rest
    return iri if iri.lower().startswith(("http://", "https://")) else "#"


def page(request: Request, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    env = environment()
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=headers)


def prefers_html(request: Request) -> bool:
    """True when the client ranks text/html above JSON (a browser); API clients keep JSON errors."""
    best: dict[str, float] = {}
    for media, q, _ in protocol.parse_accept(request.headers.get("accept") or ""):  # the one Accept parser
        best[media] = max(q, best.get(media, 0.0))
    html = best.get("text/html", 0.0)
    other = max(best.get("application/json", 0.0), best.get("*/*", 0.0) if "text/html" not in best else 0.0)
    return html > 0 and html >= other


def not_found(request: Request, message: str) -> HTMLResponse:
    return page(request, "404.html", status=404, title="Not found", message=message)
