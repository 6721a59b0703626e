"""The FastAPI application: middleware, one error envelope for every status, and the routes.

Every error response, ours and FastAPI's own (404 for an unknown path, 405, 422 for a bad
parameter) and an unexpected 500, has the body {"error": {"status", "type", "message", ...}}.
A 500 is logged with its traceback; its body says only that the service failed.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from termgraph.version import VERSION
from termgraph import errors
from termgraph.web import manners
from termgraph.web.routes import browse, pages, sparql, terms
from termgraph.web import render
from termgraph.web.state import ServiceState

log = logging.getLogger("termgraph")
GZIP_MIN_BYTES = 4096  # bodies at least this large are gzipped for clients that accept it


def error_response(exc: errors.TermgraphError) -> JSONResponse:
    return JSONResponse(errors.envelope(exc), status_code=exc.status, headers=exc.headers())


async def termgraph_error(request: Request, exc: errors.TermgraphError) -> Response:
    if isinstance(exc, errors.InternalError):
        log.error("internal error on %s %s: %s", request.method, request.url.path, exc.message)
        exc = errors.InternalError(errors.InternalError.GENERIC)
    if exc.status == 404 and render.prefers_html(request):  # browsers get a page, API clients JSON
        return render.not_found(request, str(exc))
    return error_response(exc)


HTTP_ERRORS = {404: errors.NotFound, 405: errors.MethodNotAllowed}


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's own errors (no route for the path, a method the route does not take)."""
    cls = HTTP_ERRORS.get(exc.status_code)
    if exc.status_code == 404 and render.prefers_html(request):
        return render.not_found(request, f"{request.url.path}: there is no page here.")
    if exc.status_code == 404:
        error = errors.NotFound(f"{request.url.path}: no such page or resource (GET / lists what there is)")
    elif exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
        error = errors.MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}"
                                        + (f"; use {allow}" if allow else ""), allow=allow)
    else:
        error = (cls or errors.TermgraphError)(str(exc.detail))
        error.status = exc.status_code
    return error_response(error)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return error_response(errors.InvalidParameter(f"{where}: {first.get('msg', 'invalid value')}"))


async def client_gone(request: Request, exc: ClientDisconnect) -> Response:
    """The client went away while sending its request: no one reads the answer, nothing failed here."""
    return Response(status_code=400)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(errors.InternalError(errors.InternalError.GENERIC))


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.TermgraphError, termgraph_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ClientDisconnect, client_gone)
    app.add_exception_handler(Exception, unexpected_error)


def add_middleware(app: FastAPI, state: ServiceState) -> None:
    """termgraph's middleware: one layer (manners.py) for the security headers and CORS on every
    response, HEAD, ETag, 304 and gzip; every route gets it, queries too."""
    app.add_middleware(manners.Manners, last_modified=state_loaded_at(state), gzip_min=GZIP_MIN_BYTES)


def state_loaded_at(state: ServiceState) -> float:
    """When the served dataset was loaded: its Last-Modified (it never changes while served)."""
    return state.cache.setdefault("loaded_at", manners.now())


def create_app(state: ServiceState) -> FastAPI:
    """The app over an already validated and loaded state (see service.build_state)."""

    app = FastAPI(
        title="termgraph",
        version=VERSION,
        description="A knowledge graph of AI terminology: every claim of every source, with a read-only "
                    "SPARQL 1.1 endpoint.",
        docs_url=None,  # served by pages.py from the vendored Swagger UI (works offline)
        redoc_url=None,
        # No OpenTelemetry: termgraph exports nothing (offline), and FastAPI's per-request check
        # for configured providers costs time on every query.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.termgraph = state
    add_middleware(app, state)
    add_error_handlers(app)
    app.include_router(sparql.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.mount("/static", StaticFiles(packages=[("termgraph.web", "static")]), name="static")
    if state.settings.curate:  # the review page: only when asked for (termgraph serve --curate)
        from termgraph.web.routes import curate

        app.include_router(curate.router)
    app.include_router(terms.router)  # last: its /{kind}/{name} would shadow /download/{name}
    return app
