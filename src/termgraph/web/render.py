"""HTML pages from Jinja2 templates (src/termgraph/web/templates), one template per page."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from termgraph.sparql import formats
from termgraph import namespaces as ns


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("termgraph.web", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["short"] = formats.shorten
    env.globals["ns"] = ns
    env.filters["local"] = local_path
    return env


def local_path(iri: str) -> str:
    """A termgraph IRI as a path on this server (https://w3id.org/termgraph/concept/x -> /concept/x)."""
    return "/" + iri[len(ns.BASE):] if iri.startswith(ns.BASE) else iri


def page(request: Request, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    env = environment()
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=headers)
