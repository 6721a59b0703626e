"""The curator's review page (termgraph serve --curate): on loopback only, off by default."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from termgraph.curate import review
from termgraph.curate.draft import draft_paths
from termgraph.curate.sources import registered
from termgraph.errors import TermgraphError
from termgraph.web.render import page
from termgraph.web.requests import is_loopback, state_of


class Forbidden(TermgraphError):
    status = 403


def host_name(netloc: str) -> str:
    """"127.0.0.1:8000" → "127.0.0.1", "[::1]:8000" → "::1"."""
    if netloc.startswith("["):
        return netloc[1:].split("]", 1)[0]
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def loopback_only(request: Request) -> None:
    """Only this machine, and only pages it served: a loopback client, a loopback Host header (no
    DNS rebinding) and, on changes, no Origin but our own (no other web site posting to the page)."""
    client = request.client.host if request.client else None
    if not (is_loopback(client) or client == "testclient"):  # testclient: Starlette's in-process transport
        raise Forbidden("the review page answers only on this machine (loopback)")
    if not is_loopback(host_name(request.headers.get("host", ""))):
        raise Forbidden("the review page answers only to a loopback Host (127.0.0.1, ::1 or localhost)")
    origin = request.headers.get("origin")
    if request.method != "GET" and origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise Forbidden(f"changes are taken only from the review page itself, not from {origin}")


router = APIRouter(prefix="/curate", dependencies=[Depends(loopback_only)])


def root(request: Request):
    return state_of(request).settings.root


class RowChanges(BaseModel):
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    lang: str | None = None
    stance: str | None = None
    qualification: str | None = None
    note: str | None = None
    accept: str | None = None


class EntityChanges(BaseModel):
    label: str | None = None
    kind: str | None = None
    accept: str | None = None


class Selection(RowChanges):
    quote: str
    start: int = 0


@router.get("")
def index(request: Request):
    sources = registered(root(request))
    drafts = [info for n, info in sorted(sources.items()) if draft_paths(root(request), n)[0].is_file()]
    return page(request, "curate.html", drafts=drafts, number=None)


@router.get("/{number}")
def draft_page(request: Request, number: str):
    text, rows = review.load(root(request), number)
    return page(request, "curate.html", number=number, rows=rows, pieces=review.pieces(text, rows), drafts=None,
                entities=review.entities(root(request), number))


@router.get("/{number}/rows")
def rows_json(request: Request, number: str):
    _, rows = review.load(root(request), number)
    return {"rows": rows}


@router.post("/{number}/rows/{row_id}")
def edit_row(request: Request, number: str, row_id: str, changes: RowChanges):
    return review.update(root(request), number, row_id, changes.model_dump(exclude_none=True))


@router.post("/{number}/rows")
def add_row(request: Request, number: str, selection: Selection):
    fields = selection.model_dump(exclude_none=True, exclude={"quote", "start"})
    return review.add_from_selection(root(request), number, selection.quote, selection.start, fields)


@router.post("/{number}/entities/{entity_id}")
def edit_entity(request: Request, number: str, entity_id: str, changes: EntityChanges):
    return review.decide_entity(root(request), number, entity_id, changes.model_dump(exclude_none=True))
